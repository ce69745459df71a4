// Closes connections whose token was revoked, or whose account was
// suspended, within about a second — also when the revocation came from
// `qsipd token revoke` in another process. It polls the accounts tables
// for changes newer than what it saw last, on its own thread and read
// connection.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"

namespace qsip::server {

class RevocationWatcher {
 public:
  RevocationWatcher(std::string database_path, DeviceDirectory& directory, ConnectionMailer& mailer,
                    std::chrono::milliseconds interval = std::chrono::milliseconds(1000));
  ~RevocationWatcher();
  RevocationWatcher(const RevocationWatcher&) = delete;
  RevocationWatcher& operator=(const RevocationWatcher&) = delete;

 private:
  void run();
  void check(std::int64_t since);

  std::string path_;
  DeviceDirectory& directory_;
  ConnectionMailer& mailer_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace qsip::server
