#include "server/files/transfer_header.hpp"

#include <simdjson.h>

#include <algorithm>

#include "server/files/file_url.hpp"
#include "server/dispatch/sha256.hpp"

namespace qsip::server {

namespace {

using core::ErrorCode;
using core::Failure;

Failure malformed(std::string detail, const std::string& message_id) {
  return Failure{ErrorCode::kMalformedPayload, std::move(detail), message_id, {}};
}

// A name is metadata shown to people and sent back in Content-Disposition:
// no control characters and no path separators.
bool is_valid_file_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxFileNameBytes) return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == '/' || c == '\\';
  });
}

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// type "/" subtype, tokens as in RFC 9110 8.3, then any parameters in
// printable ASCII: it becomes an HTTP Content-Type as it is.
bool is_valid_mime_type(std::string_view mime) {
  if (mime.empty() || mime.size() > kMaxMimeTypeBytes) return false;
  auto params = mime.find(';');
  std::string_view media = mime.substr(0, params);
  auto slash = media.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == media.size()) return false;
  for (std::size_t i = 0; i < media.size(); ++i)
    if (i != slash && !is_token_char(media[i])) return false;
  return std::all_of(mime.begin(), mime.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

core::Outcome<TransferHeader> parse_upload(simdjson::dom::object header, const std::string& id) {
  UploadHeader up;
  up.message_id = id;
  std::string_view text;

  auto name = header["file_name"];
  if (name.error()) return malformed("file_name: required", id);
  if (name.get(text) || !is_valid_file_name(text))
    return malformed("file_name: must be a string of 1 to 255 bytes without control characters, / or \\", id);
  up.file_name = std::string(text);

  auto size = header["file_size"];
  if (size.error()) return malformed("file_size: required", id);
  std::uint64_t n = 0;
  if (size.get(n)) return malformed("file_size: must be a non-negative integer", id);
  up.file_size = n;

  auto mime = header["mime_type"];
  if (mime.error()) return malformed("mime_type: required", id);
  if (mime.get(text) || !is_valid_mime_type(text))
    return malformed("mime_type: must be a media type such as \"application/pdf\"", id);
  up.mime_type = std::string(text);

  auto hash = header["sha256"];
  if (hash.error()) return malformed("sha256: required", id);
  if (hash.get(text) || !is_sha256_hex(text)) return malformed("sha256: must be 64 hex digits", id);
  up.sha256 = std::string(text);
  std::transform(up.sha256.begin(), up.sha256.end(), up.sha256.begin(),
                 [](char c) { return static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c); });
  return TransferHeader(std::move(up));
}

core::Outcome<TransferHeader> parse_download(simdjson::dom::object header, const std::string& id) {
  DownloadHeader down;
  down.message_id = id;
  auto file_id = header["file_id"];
  auto url = header["url"];
  if (!file_id.error() && !url.error()) return malformed("url: give file_id or url, not both", id);
  std::string_view text;
  if (!file_id.error()) {
    if (file_id.get(text) || text.empty() || text.size() > 256)
      return malformed("file_id: must be a string of 1 to 256 bytes", id);
    down.file_id = std::string(text);
  } else if (!url.error()) {
    std::optional<FileUrl> parsed;
    if (!url.get(text)) parsed = parse_file_url(text);
    if (!parsed) return malformed("url: must be qsip://<server_id>/files/<file_id>", id);
    down.file_id = std::move(parsed->file_id);
    down.url_server_id = std::move(parsed->server_id);
  } else {
    return malformed("file_id: required (or url)", id);
  }
  return TransferHeader(std::move(down));
}

}  // namespace

core::Outcome<TransferHeader> parse_transfer_header(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object header;
  if (parser.parse(json.data(), json.size(), true).get(header))
    return malformed("file_transfer: the header must be a JSON object", {});
  std::string id;
  std::string_view text;
  auto message_id = header["message_id"];
  if (!message_id.error()) {
    if (message_id.get(text) || text.empty() || text.size() > 256)
      return malformed("message_id: must be a string of 1 to 256 bytes", {});
    id = std::string(text);
  }
  std::string_view kind;
  if (header["file_transfer"].get(kind) || (kind != "upload" && kind != "download"))
    return malformed("file_transfer: must be \"upload\" or \"download\"", id);
  return kind == "upload" ? parse_upload(header, id) : parse_download(header, id);
}

const std::string& header_message_id(const TransferHeader& header) {
  return std::visit([](const auto& h) -> const std::string& { return h.message_id; }, header);
}

}  // namespace qsip::server
