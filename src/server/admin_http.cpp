#include "server/admin_http.hpp"

#include <microhttpd.h>

#include <cstdarg>
#include <cstdio>

#include "server/log_fields.hpp"

namespace qsip::server {

struct AdminHttpCallbacks {
  static MHD_Result handle(void* cls, MHD_Connection* connection, const char* url, const char* method,
                           const char* /*version*/, const char* /*upload_data*/, std::size_t* upload_data_size,
                           void** /*state*/) {
    auto* self = static_cast<AdminHttpServer*>(cls);
    // A request body is never wanted here; discard it and answer at once.
    *upload_data_size = 0;
    AdminHttpServer::Response r = self->respond(method, url);
    MHD_Response* response =
        MHD_create_response_from_buffer(r.body.size(), r.body.data(), MHD_RESPMEM_MUST_COPY);
    if (response == nullptr) return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type.c_str());
    MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r.status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    MHD_Result result = MHD_queue_response(connection, r.status, response);
    MHD_destroy_response(response);
    return result;
  }

  static void log(void* cls, const char* format, va_list args) {
    auto* self = static_cast<AdminHttpServer*>(cls);
    char buf[512];
    std::vsnprintf(buf, sizeof buf, format, args);
    std::string_view text(buf);
    while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    {
      std::lock_guard lock(self->error_mutex_);
      self->last_daemon_error_.assign(text);
    }
    log_event(*self->logger_, spdlog::level::warn, "admin http", {{"detail", text}});
  }
};

AdminHttpServer::AdminHttpServer(MetricsRegistry& metrics, const Readiness& readiness,
                                 std::shared_ptr<spdlog::logger> logger)
    : metrics_(metrics), readiness_(readiness), logger_(std::move(logger)) {}

AdminHttpServer::~AdminHttpServer() { stop(); }

std::optional<std::string> AdminHttpServer::start(const ListenAddress& address) {
  if (daemon_ != nullptr) return "the admin endpoint is already started";
  sockaddr_storage storage;
  address.to_sockaddr(storage);
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
  if (address.family == AF_INET6) flags |= MHD_USE_IPv6;
  {
    std::lock_guard lock(error_mutex_);
    last_daemon_error_.clear();
  }
  daemon_ = MHD_start_daemon(
      flags, address.port, nullptr, nullptr, &AdminHttpCallbacks::handle, this,
      // The logger first, or libmicrohttpd reports option errors on stderr.
      MHD_OPTION_EXTERNAL_LOGGER, &AdminHttpCallbacks::log, this,
      MHD_OPTION_SOCK_ADDR, reinterpret_cast<const sockaddr*>(&storage),
      // A scraper and a health checker are the only clients; bound the rest.
      MHD_OPTION_CONNECTION_LIMIT, 32U, MHD_OPTION_CONNECTION_TIMEOUT, 10U, MHD_OPTION_END);
  if (daemon_ == nullptr) {
    std::lock_guard lock(error_mutex_);
    return "cannot serve the admin endpoint on " + address.to_string() +
           (last_daemon_error_.empty() ? std::string() : ": " + last_daemon_error_);
  }
  bound_ = address;
  if (const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT)) {
    bound_.port = info->port;
  }
  return std::nullopt;
}

void AdminHttpServer::stop() {
  if (daemon_ == nullptr) return;
  MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
}

AdminHttpServer::Response AdminHttpServer::respond(std::string_view method, std::string_view url) {
  constexpr auto kText = "text/plain; charset=utf-8";
  bool known = url == "/healthz" || url == "/metrics";
  if (!known) return {MHD_HTTP_NOT_FOUND, kText, "not found\n"};
  if (method != MHD_HTTP_METHOD_GET && method != MHD_HTTP_METHOD_HEAD) {
    return {MHD_HTTP_METHOD_NOT_ALLOWED, kText, "method not allowed\n"};
  }
  if (url == "/healthz") {
    if (readiness_.ready()) return {MHD_HTTP_OK, kText, "ok\n"};
    return {MHD_HTTP_SERVICE_UNAVAILABLE, kText, "not ready\n"};
  }
  return {MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", metrics_.render()};
}

}  // namespace qsip::server
