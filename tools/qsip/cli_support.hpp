// What the one-shot network commands share: connecting and registering,
// guessing a file's media type, and a progress bar for transfers.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "connection_options.hpp"
#include "qsip/client.hpp"

namespace qsip::cli {

// Connects and REGISTERs with the options' token; nullptr (the reason on
// stderr, a refused REGISTER as a JSON line on stdout, exit_code set: 2 for
// no token, 1 otherwise) on failure. One-shot commands do not acknowledge
// the events the server feeds the device after REGISTER, so running one
// never takes messages away from `qsip listen` on the same device (they
// come again next time).
std::unique_ptr<Client> registered_client(const ConnectionOptions& options, std::string_view command, int& exit_code);

// Prints the answer as one JSON line on stdout; the exit status (1 for an
// ERROR, 0 otherwise).
int print_answer(const Message& answer);

// Connects, REGISTERs, sends one request of `type` as the registered user
// (to `to_user` when not empty), prints its answer as one JSON line and sets
// exit_code (0, 1 on an ERROR or no connection, 2 without a token).
void request_and_print(const ConnectionOptions& options, std::string_view command, std::string_view type,
                       const std::string& payload_json, const std::string& to_user, int& exit_code);

// A guess from the file name's extension ("application/octet-stream" when unknown).
std::string mime_type_for(const std::string& path);

// "upload [#####     ]  50% 1.0/2.0 MiB" on stderr, redrawn in place at
// most ten times a second and at the end; finish() ends the line.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label) : label_(std::move(label)) {}
  void update(std::uint64_t done, std::uint64_t total);
  void finish();
  // A callback for Client::upload_file / download_file drawing this bar.
  auto callback() {
    return [this](std::uint64_t done, std::uint64_t total) { update(done, total); };
  }

 private:
  std::string label_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace qsip::cli
