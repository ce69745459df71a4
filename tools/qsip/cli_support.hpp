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
