// The header that opens a file-transfer stream (docs/files.md): one framed
// JSON object with `file_transfer` set to "upload" or "download". Parsing
// turns it into a typed request, or into the Failure that refuses it,
// naming the offending field (4001).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "core/failure.hpp"

namespace qsip::server {

struct UploadHeader {
  std::string message_id;  // optional; echoed as target_message_id
  std::string file_name;
  std::uint64_t file_size = 0;
  std::string mime_type;
  std::string sha256;      // normalized to lowercase
};

struct DownloadHeader {
  std::string message_id;
  std::string file_id;
  // The server named by `url`, when the file was named by url (empty for a
  // bare file_id); a download checks it is this server.
  std::string url_server_id;
};

using TransferHeader = std::variant<UploadHeader, DownloadHeader>;

// `json` need not be padded. Unknown members are ignored.
core::Outcome<TransferHeader> parse_transfer_header(std::string_view json);

// The message_id of a header (empty when absent or not a usable id).
const std::string& header_message_id(const TransferHeader& header);

// Limits on the metadata strings.
inline constexpr std::size_t kMaxFileNameBytes = 255;
inline constexpr std::size_t kMaxMimeTypeBytes = 255;

}  // namespace qsip::server
