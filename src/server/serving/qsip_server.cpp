#include "server/serving/qsip_server.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include "quic/random_bytes.hpp"
#include "server/accounts/account_store.hpp"
#include "server/audit/audit_store.hpp"
#include "server/profile/profile_store.hpp"
#include "server/roster/roster_store.hpp"
#include "store/sqlite/migrations.hpp"

namespace qsip::server {

namespace {

// The secret behind stateless reset and Retry tokens, kept in the data
// directory so that a restarted qsipd recognises (and can reset) its
// predecessor's connections: clients then learn at once that the server
// restarted instead of waiting for their idle timeout.
std::vector<uint8_t> load_or_create_static_secret(const std::filesystem::path& path) {
  constexpr std::size_t kSize = 32;
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::vector<uint8_t> secret{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (secret.size() == kSize) return secret;
    throw std::runtime_error(path.string() + " is not a 32-byte secret");
  }
  std::vector<uint8_t> secret(kSize);
  quic::random_bytes(secret.data(), secret.size());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + path.string());
  bool ok = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size());
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + path.string());
  return secret;
}

std::string read_secret(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read auth.hs256_secret_file " + path.string());
  std::string secret{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.size() < 32) throw std::runtime_error("auth.hs256_secret_file must hold at least 32 bytes");
  return secret;
}

// [limits] as the dispatcher's per-connection buckets count them.
RequestLimits request_limits(const Config::Limits& l) {
  return RequestLimits{static_cast<double>(l.messages_per_second), static_cast<double>(l.messages_burst),
                       static_cast<double>(l.bytes_per_second), static_cast<double>(l.bytes_burst),
                       static_cast<double>(l.refusals_burst)};
}

// Every module that keeps state lists its migrations here.
std::vector<std::pair<std::string, std::span<const store::Migration>>> module_migrations() {
  return {{"accounts", account_migrations()}, {"roster", roster_migrations()}, {"profiles", profile_migrations()}, {"audit", audit_migrations()}};
}

}  // namespace

quic::ServerConfig QsipServer::quic_config(const Config& config, const ServerMaterial& material) {
  quic::ServerConfig q;
  q.listen.clear();
  for (const auto& address : config.server.listen) q.listen.push_back(address.to_string());
  q.cert_file = material.cert_file.string();
  q.key_file = material.key_file.string();
  q.workers = config.server.workers;
  q.max_connections = config.quic.max_connections;
  q.limits.max_streams_bidi = config.quic.max_streams_per_connection;
  q.limits.send_queue_soft_limit = config.quic.send_queue_soft_bytes;
  q.limits.send_queue_hard_limit = config.quic.send_queue_hard_bytes;
  q.limits.idle_timeout = std::chrono::seconds(config.quic.idle_timeout_seconds);
  q.handshakes_per_second_per_address = config.quic.handshakes_per_second_per_address;
  q.handshake_burst = config.quic.handshakes_per_second_per_address * 2.0;
  switch (config.quic.retry) {
    case RetryMode::off: q.retry = quic::RetryPolicy::kOff; break;
    case RetryMode::on: q.retry = quic::RetryPolicy::kOn; break;
    case RetryMode::automatic: q.retry = quic::RetryPolicy::kAuto; break;
  }
  q.retry_threshold = config.quic.retry_auto_threshold;
  q.static_secret = load_or_create_static_secret(material.data_dir / "quic-static-secret");
  return q;
}

QsipServer::QsipServer(const Config& config, const ServerMaterial& material, ServerMetrics& metrics)
    : config_(config), material_(material), database_path_((material.data_dir / "qsip.db").string()) {
  // The store: every module's migrations first, then the one writer.
  auto sync = config.store.sync_full ? store::SyncPolicy::kFull : store::SyncPolicy::kNormal;
  {
    store::SqliteDatabase db(database_path_, sync);
    for (const auto& [module, migrations] : module_migrations()) store::apply_migrations(db, module, migrations);
  }
  writer_ = std::make_unique<store::GroupCommitWriter>(database_path_, store::GroupCommitWriter::Options{sync});

  keys_.load_es256_private_key(material.token_signing_key_file.string());
  if (!config.auth.hs256_secret_file.empty()) keys_.set_hs256_secret(read_secret(config.auth.hs256_secret_file));
  AuthSettings auth;
  auth.issuer = config.auth.issuer;
  auth.audience = config.auth.audience;
  auth.open_registration = config.auth.open_registration;
  register_handler_ = std::make_unique<RegisterHandler>(keys_, auth);
  audit_ = std::make_unique<AuditLog>(*writer_);
  register_handler_->set_audit_log(audit_.get());
  profile_notifier_ = std::make_unique<ProfileNotifier>(contacts_);
  status_expiry_ = std::make_unique<StatusExpiry>(database_path_, *writer_, *profile_notifier_,
                                                  ServerIdentity(config.server.server_id, config.server.node_id));
  profile_handler_ = std::make_unique<ProfileHandler>(contacts_, *profile_notifier_, status_expiry_.get());

  unsigned workers = config.server.workers ? config.server.workers : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < workers; ++i) {
    auto context = std::make_unique<WorkerContext>(config.server.server_id, config.server.node_id);
    observers_.push_back(std::make_unique<MetricsObserver>(metrics));
    context->observer = observers_.back().get();
    context->handlers.set(core::MessageType::kRegister, register_handler_.get());
    context->handlers.set(core::MessageType::kPresence, &presence_handler_);
    context->handlers.set(core::MessageType::kRoster, &roster_handler_);
    context->handlers.set(core::MessageType::kUserProfile, profile_handler_.get());
    context->request_limits = request_limits(config.limits);
    context->observers.push_back(&roster_observer_);
    context->observers.push_back(&presence_observer_);
    readers_.push_back(std::make_unique<store::SqliteDatabase>(database_path_, sync));
    context->reader = readers_.back().get();
    context->writer = writer_.get();
    workers_.push_back(std::move(context));
  }
  bridge_ = std::make_unique<SessionBridge>(workers_, metrics);
  auto q = quic_config(config, material);
  q.workers = workers;
  quic_ = std::make_unique<quic::Server>(q, *bridge_);
  mailer_ = std::make_unique<QuicConnectionMailer>(*quic_);
  for (auto& context : workers_) {
    context->directory = &directory_;
    context->mailer = mailer_.get();
  }
  revocations_ = std::make_unique<RevocationWatcher>(database_path_, directory_, *mailer_);
  status_expiry_->start(directory_, *mailer_);
}

// Sessions tell the modules of their disconnect as the QUIC server closes
// them, and the modules reach other connections through the mailer: stop
// while every member is still alive.
QsipServer::~QsipServer() {
  if (quic_) quic_->stop(std::chrono::milliseconds(0));
}

void QsipServer::start() { quic_->start(); }

void QsipServer::stop(std::chrono::milliseconds deadline) { quic_->stop(deadline); }

void QsipServer::reload_certificate() {
  quic_->reload_certificate(material_.cert_file.string(), material_.key_file.string());
}

}  // namespace qsip::server
