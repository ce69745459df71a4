#include "server/files/files_http_server.hpp"

#include <microhttpd.h>

#include <arpa/inet.h>

#include <cstdarg>
#include <cstring>
#include <cstdio>

#include "core/json_writer.hpp"

namespace qsip::server {

using core::ErrorCode;

namespace {

constexpr std::string_view kPrefix = "/files/";

unsigned http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kUnauthorized:
    case ErrorCode::kTokenExpired:
    case ErrorCode::kInvalidToken: return MHD_HTTP_UNAUTHORIZED;
    case ErrorCode::kForbidden:
    case ErrorCode::kInsufficientPermissions: return MHD_HTTP_FORBIDDEN;
    case ErrorCode::kResourceNotFound: return MHD_HTTP_NOT_FOUND;
    case ErrorCode::kActionNotSupported: return MHD_HTTP_METHOD_NOT_ALLOWED;
    case ErrorCode::kServiceUnavailable: return MHD_HTTP_SERVICE_UNAVAILABLE;
    default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
  }
}

// filename="..." in ASCII (anything else replaced) for old clients, and
// filename*=UTF-8''... (RFC 6266, RFC 8187) with the real name.
std::string content_disposition(std::string_view name) {
  std::string ascii, encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    ascii += (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') ? '_' : c;
    bool attr_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
    if (attr_char) {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[u >> 4];
      encoded += kHex[u & 0xf];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace

struct FilesHttpCallbacks {
  static MHD_Result handle(void* cls, MHD_Connection* connection, const char* url, const char* method,
                           const char* /*version*/, const char* /*upload_data*/, std::size_t* upload_data_size,
                           void** /*state*/) {
    *upload_data_size = 0;  // a request body is never wanted here
    auto* self = static_cast<FilesHttpServer*>(cls);
    return self->answer(connection, method, url) == MHD_YES ? MHD_YES : MHD_NO;
  }

  static void log(void* cls, const char* format, va_list args) {
    auto* self = static_cast<FilesHttpServer*>(cls);
    char buf[512];
    std::vsnprintf(buf, sizeof buf, format, args);
    std::lock_guard lock(self->error_mutex_);
    self->last_daemon_error_ = buf;
    while (!self->last_daemon_error_.empty() && self->last_daemon_error_.back() == '\n')
      self->last_daemon_error_.pop_back();
  }

  static int error(MHD_Connection* connection, const core::Failure& failure) {
    std::string body;
    core::JsonWriter(body)
        .begin_object()
        .member("code", static_cast<int>(core::to_number(failure.code)))
        .member("reason", core::reason_phrase(failure.code))
        .member("detail", failure.detail)
        .end_object();
    body += '\n';
    MHD_Response* response = MHD_create_response_from_buffer(body.size(), body.data(), MHD_RESPMEM_MUST_COPY);
    if (response == nullptr) return MHD_NO;
    unsigned status = http_status(failure.code);
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (status == MHD_HTTP_UNAUTHORIZED) MHD_add_response_header(response, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"qsip\"");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    int result = MHD_queue_response(connection, status, response);
    MHD_destroy_response(response);
    return result;
  }
};

FilesHttpServer::FilesHttpServer(FileStorage& storage, const BearerTokenCheck& tokens,
                                 std::unique_ptr<store::SqliteDatabase> reader)
    : storage_(storage), tokens_(tokens), reader_(std::move(reader)) {}

FilesHttpServer::~FilesHttpServer() { stop(); }

std::optional<std::string> FilesHttpServer::start(const ListenAddress& address) {
  if (daemon_ != nullptr) return "the files HTTP endpoint is already started";
  sockaddr_storage storage;
  address.to_sockaddr(storage);
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
  if (address.family == AF_INET6) flags |= MHD_USE_IPv6;
  daemon_ = MHD_start_daemon(flags, address.port, nullptr, nullptr, &FilesHttpCallbacks::handle, this,
                             // The logger first, or libmicrohttpd reports option errors on stderr.
                             MHD_OPTION_EXTERNAL_LOGGER, &FilesHttpCallbacks::log, this,
                             MHD_OPTION_SOCK_ADDR, reinterpret_cast<const sockaddr*>(&storage),
                             MHD_OPTION_CONNECTION_LIMIT, 128U, MHD_OPTION_CONNECTION_TIMEOUT, 60U, MHD_OPTION_END);
  if (daemon_ == nullptr) {
    std::lock_guard lock(error_mutex_);
    return "cannot serve files over HTTP on " + address.to_string() +
           (last_daemon_error_.empty() ? std::string() : ": " + last_daemon_error_);
  }
  bound_ = address;
  if (const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT)) bound_.port = info->port;
  return std::nullopt;
}

void FilesHttpServer::stop() {
  if (daemon_ == nullptr) return;
  MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
}

namespace {
// The client's IP address as text (no port), for the audit log; empty when unknown.
std::string client_address(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == nullptr || info->client_addr == nullptr) return {};
  char text[INET6_ADDRSTRLEN] = {};
  const sockaddr* address = info->client_addr;
  if (address->sa_family == AF_INET) {
    sockaddr_in v4;
    std::memcpy(&v4, address, sizeof v4);
    if (inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text)) return text;
  } else if (address->sa_family == AF_INET6) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address, sizeof v6);
    if (inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text)) return text;
  }
  return {};
}
}  // namespace

int FilesHttpServer::answer(MHD_Connection* connection, std::string_view method, std::string_view url) {
  using core::Failure;
  if (!url.starts_with(kPrefix) || url.size() == kPrefix.size() ||
      url.substr(kPrefix.size()).find('/') != std::string_view::npos)
    return FilesHttpCallbacks::error(connection, Failure{ErrorCode::kResourceNotFound, "no such path", {}, {}});
  if (method != MHD_HTTP_METHOD_GET && method != MHD_HTTP_METHOD_HEAD)
    return FilesHttpCallbacks::error(connection,
                                     Failure{ErrorCode::kActionNotSupported, "method: GET or HEAD only", {}, {}});
  std::string file_id(url.substr(kPrefix.size()));
  const char* authorization = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  try {
    auto user = tokens_.user_of(authorization ? authorization : "", *reader_);
    if (!user) return FilesHttpCallbacks::error(connection, user.failure());
    auto opened = storage_.open_download(*reader_, user.value(), file_id);
    if (!opened) return FilesHttpCallbacks::error(connection, opened.failure());
    const FileRecord& file = opened->record;
    if (method == MHD_HTTP_METHOD_GET) storage_.record_download(user.value(), "", file, client_address(connection), "http");
    // libmicrohttpd owns the descriptor from here and sends it with sendfile.
    MHD_Response* response = MHD_create_response_from_fd(static_cast<std::size_t>(file.size), opened->fd.release());
    if (response == nullptr) return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, file.mime_type.c_str());
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_DISPOSITION, content_disposition(file.file_name).c_str());
    MHD_add_response_header(response, MHD_HTTP_HEADER_ETAG, ("\"" + file.sha256 + "\"").c_str());
    // Access may change (a message deleted): caches must ask again.
    MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL, "private, no-cache");
    // Never rendered in the server's origin as what it claims to be.
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_SECURITY_POLICY, "sandbox");
    int result = MHD_queue_response(connection, MHD_HTTP_OK, response);
    MHD_destroy_response(response);
    return result;
  } catch (const std::exception&) {
    return FilesHttpCallbacks::error(connection,
                                     Failure{ErrorCode::kDatabaseError, "file: the store cannot be read", {}, {}});
  }
}

}  // namespace qsip::server
