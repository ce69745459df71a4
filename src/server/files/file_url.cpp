#include "server/files/file_url.hpp"

namespace qsip::server {

namespace {
constexpr std::string_view kScheme = "qsip://";
constexpr std::string_view kFiles = "/files/";
}  // namespace

std::string file_url(std::string_view server_id, std::string_view file_id) {
  std::string url(kScheme);
  url += server_id;
  url += kFiles;
  url += file_id;
  return url;
}

std::optional<FileUrl> parse_file_url(std::string_view url) {
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  auto slash = url.find('/');
  if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
  std::string_view server = url.substr(0, slash);
  std::string_view rest = url.substr(slash);
  if (!rest.starts_with(kFiles)) return std::nullopt;
  std::string_view id = rest.substr(kFiles.size());
  if (id.empty() || id.size() > 256 || id.find('/') != std::string_view::npos) return std::nullopt;
  return FileUrl{std::string(server), std::string(id)};
}

}  // namespace qsip::server
