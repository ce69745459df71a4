// Downloads over HTTP (GNU libmicrohttpd, one internal thread):
//
//   GET|HEAD /files/<file_id>   Authorization: Bearer <the client's JWT>
//
// 200 with the bytes (sent from the blob with sendfile), or a JSON error
// body {"code","reason","detail"} with the draft's code: 401 (no, bad or
// expired token; 4011/4012/4013), 403 (4031: no access), 404 (4045), 405,
// 500. The same access rule as a download over QUIC (FileStorage).
// Plain HTTP: meant for a private address or a TLS-terminating proxy.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "server/files/bearer_token_check.hpp"
#include "server/files/file_storage.hpp"
#include "server/listen_address.hpp"
#include "store/sqlite/sqlite_database.hpp"

struct MHD_Daemon;
struct MHD_Connection;

namespace qsip::server {

class FilesHttpServer {
 public:
  // `reader` is used on the server's thread only.
  FilesHttpServer(FileStorage& storage, const BearerTokenCheck& tokens, std::unique_ptr<store::SqliteDatabase> reader);
  ~FilesHttpServer();  // stops
  FilesHttpServer(const FilesHttpServer&) = delete;
  FilesHttpServer& operator=(const FilesHttpServer&) = delete;

  // Binds `address` (port 0 = ephemeral) and serves on an internal thread.
  // Returns an error message when the daemon cannot start.
  std::optional<std::string> start(const ListenAddress& address);
  // The bound address with the real port; meaningful after start().
  const ListenAddress& address() const { return bound_; }
  void stop();

 private:
  friend struct FilesHttpCallbacks;  // libmicrohttpd's C callbacks, in the .cpp
  int answer(MHD_Connection* connection, std::string_view method, std::string_view url);

  FileStorage& storage_;
  const BearerTokenCheck& tokens_;
  std::unique_ptr<store::SqliteDatabase> reader_;
  MHD_Daemon* daemon_ = nullptr;
  ListenAddress bound_;
  std::mutex error_mutex_;
  std::string last_daemon_error_;
};

}  // namespace qsip::server
