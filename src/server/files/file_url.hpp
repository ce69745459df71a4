// The stable URL naming a stored file: qsip://<server_id>/files/<file_id>.
// A MESSAGE of message_type "file" carries it; a download names the file
// by it or by the bare file_id (docs/files.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qsip::server {

std::string file_url(std::string_view server_id, std::string_view file_id);

struct FileUrl {
  std::string server_id;
  std::string file_id;
};
// nullopt when `url` is not of that form (empty parts, extra path segments).
std::optional<FileUrl> parse_file_url(std::string_view url);

}  // namespace qsip::server
