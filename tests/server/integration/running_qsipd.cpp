#include "running_qsipd.hpp"
#include "shared_server_test.hpp"

#include "core/json_writer.hpp"

#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <stdexcept>

#include "core/envelope_builder.hpp"
#include "core/payload_builders.hpp"

namespace qsip::test {

namespace {

// The port of "addr:port" or "[addr]:port".
std::uint16_t port_of(std::string_view address) {
  auto colon = address.rfind(':');
  return static_cast<std::uint16_t>(std::stoi(std::string(address.substr(colon + 1))));
}

// A field of a JSON log line.
std::string log_field(std::string_view line, const char* key) {
  simdjson::dom::parser parser;
  auto doc = parser.parse(line);
  std::string_view value;
  if (doc.error() || doc[key].get(value)) return {};
  return std::string(value);
}

}  // namespace

std::string qsipd_path() { return std::string(QSIP_BINARY_DIR) + "/bin/qsipd"; }

RunningQsipd::RunningQsipd(std::vector<std::string> extra_args, const std::string& config_toml)
    : data_dir_((dir_.path() / "data").string()) {
  argv_ = {qsipd_path(), "--data-dir", data_dir_, "--listen", "127.0.0.1:0", "--admin-listen",
           "127.0.0.1:0", "--log-format", "json", "--workers", "2"};
  if (!config_toml.empty()) {
    auto path = (dir_.path() / "qsipd.toml").string();
    std::ofstream(path) << config_toml;
    argv_.push_back("--config");
    argv_.push_back(path);
  }
  argv_.insert(argv_.end(), extra_args.begin(), extra_args.end());
  start();
}

void RunningQsipd::start() {
  process_ = std::make_unique<ChildProcess>(argv_);
  auto serving = process_->wait_for_stderr_line(
      [](std::string_view line) { return line.find("serving QSIP over QUIC") != std::string_view::npos; },
      std::chrono::seconds(20));
  if (!serving) throw std::runtime_error("qsipd did not start serving: " + process_->stderr_text());
  port_ = port_of(log_field(*serving, "address"));
  auto admin = process_->wait_for_stderr_line(
      [](std::string_view line) { return line.find("admin endpoint listening") != std::string_view::npos; },
      std::chrono::seconds(5));
  if (admin) admin_port_ = port_of(log_field(*admin, "address"));
  auto ready = process_->wait_for_stderr_line(
      [](std::string_view line) { return line.find("\"ready\"") != std::string_view::npos; }, std::chrono::seconds(10));
  if (!ready) throw std::runtime_error("qsipd not ready: " + process_->stderr_text());
}

void RunningQsipd::kill_and_restart() {
  // Not after a stop the test already waited for: that pid is no longer ours.
  if (!process_->wait_exit(std::chrono::milliseconds(0))) {
    process_->send_signal(SIGKILL);
    process_->wait_exit(std::chrono::seconds(10));
  }
  process_.reset();
  // The same QUIC port, so that clients reconnect to the new process.
  for (std::size_t i = 0; i + 1 < argv_.size(); ++i)
    if (argv_[i] == "--listen") argv_[i + 1] = "127.0.0.1:" + std::to_string(port_);
  start();
}

RunningQsipd::~RunningQsipd() {
  if (process_ && !process_->wait_exit(std::chrono::milliseconds(0))) {
    process_->send_signal(SIGTERM);
    process_->wait_exit(std::chrono::seconds(10));
  }
}

std::string RunningQsipd::token(const std::string& user, const std::string& device, int ttl_seconds) {
  std::vector<std::string> argv = {qsipd_path(), "token", "issue", "--data-dir", data_dir_, "--user", user,
                                   "--ttl", std::to_string(ttl_seconds)};
  if (!device.empty()) {
    argv.push_back("--device");
    argv.push_back(device);
  }
  ChildProcess issue(argv);
  auto status = issue.wait_exit(std::chrono::seconds(20));
  if (!status || *status != 0) throw std::runtime_error("qsipd token issue failed: " + issue.stderr_text());
  std::string out = issue.stdout_text();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

ClientOptions RunningQsipd::client_options() const {
  ClientOptions o;
  o.host = "127.0.0.1";
  o.port = port_;
  o.insecure = true;
  o.connect_timeout = std::chrono::seconds(10);
  o.request_timeout = std::chrono::seconds(10);
  return o;
}

std::unique_ptr<Client> RunningQsipd::connect() const {
  auto client = std::make_unique<Client>(client_options());
  client->connect();
  return client;
}

std::unique_ptr<Client> RunningQsipd::connect_registered(const std::string& user, const std::string& device) {
  auto client = connect();
  auto payload = core::builders::RegisterPayload().auth_token(token(user, device)).device_info(core::RawJson{"{}"});
  auto answer = client->request(envelope("REGISTER", user, device, payload.json())).get();
  if (answer.type() != "RECEIPT") throw std::runtime_error("REGISTER failed: " + answer.json());
  return client;
}

std::string text_payload(const std::string& text) {
  std::string p;
  core::JsonWriter(p).begin_object().member("message_type", "text").member("content", text).end_object();
  return p;
}

std::string envelope(std::string_view type, std::string_view user, std::string_view device,
                     std::string_view payload_json, std::string_view message_id, std::string_view to_user) {
  static std::atomic<int> counter{0};
  std::string id = message_id.empty() ? "test-" + std::to_string(++counter) : std::string(message_id);
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = "2025-06-01T00:43:25Z";
  f.type = type;
  f.from_user_id = user;
  f.from_device_id = device;
  f.to_user_id = to_user;
  return core::build_envelope(f, payload_json);
}

}  // namespace qsip::test
