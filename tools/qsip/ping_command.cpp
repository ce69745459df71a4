// `qsip ping`: connects, reports the handshake time, then the round-trip time
// of QSIP requests (answered even before REGISTER, with ERROR 4015, so ping
// needs no token) and of datagrams on the server's echo flow.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fmt/format.h>
#include <iostream>
#include <mutex>
#include <vector>

#include "commands.hpp"
#include "connection_options.hpp"
#include "core/varint.hpp"

namespace qsip::cli {
namespace {

using Clock = std::chrono::steady_clock;
double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void report(const char* what, std::vector<double> samples) {
  if (samples.empty()) {
    std::cout << what << ": no answer\n";
    return;
  }
  std::sort(samples.begin(), samples.end());
  double sum = 0;
  for (double s : samples) sum += s;
  std::cout << fmt::format("{}: min {:.3f} ms, avg {:.3f} ms, max {:.3f} ms ({} samples)\n", what, samples.front(),
                           sum / static_cast<double>(samples.size()), samples.back(), samples.size());
}

int run_ping(const ConnectionOptions& options, int count) {
  auto started = Clock::now();
  auto client = connect_client(options);
  if (!client) return 1;
  auto info = client->info();
  std::cout << fmt::format("connected to {} (qsip/1): handshake {:.3f} ms (QUIC {:.3f} ms), resumed {}\n",
                           options.server, ms(Clock::now() - started),
                           std::chrono::duration<double, std::milli>(info.handshake_duration).count(),
                           info.resumed ? "yes" : "no");
  std::vector<double> requests;
  for (int i = 0; i < count; ++i) {
    auto sent = Clock::now();
    auto answer = client->request(make_envelope(options, "PRESENCE", R"({"status":"available"})")).get();
    if (answer.error_code() == 4081 || answer.error_code() == 5002) break;
    requests.push_back(ms(Clock::now() - sent));
  }
  report("request round trip", requests);

  std::mutex mutex;
  std::condition_variable cv;
  std::atomic<int> echoed{0};
  client->on_datagram([&](std::span<const std::uint8_t>) {
    echoed++;
    cv.notify_all();
  });
  std::vector<std::uint8_t> datagram(8 + 16, 0);
  core::varint_encode(core::kMaxVarint, datagram.data());  // the echo flow
  std::vector<double> datagrams;
  for (int i = 0; i < count; ++i) {
    int before = echoed.load();
    auto sent = Clock::now();
    if (!client->send_datagram(datagram)) break;
    std::unique_lock lock(mutex);
    if (cv.wait_for(lock, std::chrono::milliseconds(1000), [&] { return echoed.load() > before; }))
      datagrams.push_back(ms(Clock::now() - sent));
  }
  report("datagram echo round trip", datagrams);
  client->close();
  return requests.empty() ? 1 : 0;
}

}  // namespace

void add_ping_command(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* cmd = app.add_subcommand("ping", "connect; print handshake time and round-trip times");
  auto count = std::make_shared<int>(5);
  cmd->add_option("-c,--count", *count, "round trips to measure")->capture_default_str();
  cmd->callback([&options, count, &exit_code] { exit_code = run_ping(options, *count); });
}

}  // namespace qsip::cli
