// A real qsipd for integration tests: started on ephemeral ports in a
// temporary data directory, its QUIC port read from its log, stopped at the
// end. Also issues tokens with `qsipd token issue` on the same data dir.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "qsip/client.hpp"
#include "server/child_process.hpp"
#include "server/temp_dir.hpp"

namespace qsip::test {

class RunningQsipd {
 public:
  // `extra_args` go after the defaults (e.g. {"--config", path}).
  explicit RunningQsipd(std::vector<std::string> extra_args = {}, const std::string& config_toml = {});
  ~RunningQsipd();

  // SIGKILL (no shutdown at all, as a crash; nothing when it has exited
  // already), then the same qsipd again on the same data directory and QUIC port.
  void kill_and_restart();

  std::uint16_t port() const { return port_; }
  std::uint16_t admin_port() const { return admin_port_; }
  ChildProcess& process() { return *process_; }
  const std::string& data_dir() const { return data_dir_; }

  // A token for user (and device), from `qsipd token issue`.
  std::string token(const std::string& user, const std::string& device = {}, int ttl_seconds = 3600);
  ClientOptions client_options() const;
  // A connected client (insecure: the test's own self-signed certificate).
  std::unique_ptr<Client> connect() const;
  // A connected client registered as user/device.
  std::unique_ptr<Client> connect_registered(const std::string& user, const std::string& device);

 private:
  void start();

  TempDir dir_;
  std::string data_dir_;
  std::vector<std::string> argv_;
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t port_ = 0;
  std::uint16_t admin_port_ = 0;
};

// An envelope of `type` from user/device with `payload_json`.
std::string envelope(std::string_view type, std::string_view user, std::string_view device,
                     std::string_view payload_json, std::string_view message_id = {},
                     std::string_view to_user = {});

std::string qsipd_path();

}  // namespace qsip::test
