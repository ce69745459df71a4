#include "server/serving/qsip_server.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include "quic/random_bytes.hpp"
#include "server/accounts/account_store.hpp"
#include "server/analytics/analytics_store.hpp"
#include "server/audit/audit_ip.hpp"
#include "server/audit/audit_store.hpp"
#include "server/files/file_store.hpp"
#include "server/log_fields.hpp"
#include "server/profile/profile_store.hpp"
#include "server/roster/roster_store.hpp"
#include "server/groups/group_store.hpp"
#include "server/workspaces/workspace_store.hpp"
#include "server/moderation/sanction_store.hpp"
#include "server/search/search_migrations.hpp"
#include "server/queue/queue_store.hpp"
#include "store/sqlite/sqlite_message_store.hpp"
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
  return {{"accounts", account_migrations()}, {"roster", roster_migrations()}, {"groups", group_migrations()}, {"workspaces", workspace_migrations()}, {"moderation", moderation_migrations()}, {"profiles", profile_migrations()}, {"audit", audit_migrations()}, {"analytics", analytics_migrations()}, {"files", file_migrations()}, {"queue", queue_migrations()},
          {"messages", store::message_migrations()},
          {"search", search_migrations()}};  // indexes `messages`: after it
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
  AuditSettings audit_settings{config.audit.ip_addresses, {}};
  if (config.audit.ip_addresses == AuditIpMode::hashed)
    audit_settings.ip_hash_key = load_or_create_audit_ip_key(material.data_dir);
  audit_ = std::make_unique<AuditLog>(*writer_, std::move(audit_settings));
  audit_handler_ = std::make_unique<AuditHandler>(*audit_, config.auth.server_admins);
  audit_retention_ = std::make_unique<AuditRetention>(*writer_, config.audit.retention_days);
  AnalyticsSettings analytics;
  analytics.bucket_seconds = config.analytics.bucket_seconds;
  analytics.retention_days = config.analytics.retention_days;
  analytics.include_user_ids = config.analytics.include_user_ids;
  analytics.events_per_second = config.analytics.events_per_second;
  analytics.events_burst = config.analytics.events_burst;
  analytics.server_admins = config.auth.server_admins;
  analytics_ = std::make_unique<AnalyticsService>(std::move(analytics), *writer_);
  register_handler_->set_audit_log(audit_.get());
  profile_notifier_ = std::make_unique<ProfileNotifier>(contacts_);
  status_expiry_ = std::make_unique<StatusExpiry>(database_path_, *writer_, *profile_notifier_,
                                                  ServerIdentity(config.server.server_id, config.server.node_id));
  profile_handler_ = std::make_unique<ProfileHandler>(contacts_, *profile_notifier_, status_expiry_.get());
  search_handler_ = std::make_unique<SearchHandler>(groups_, contacts_);

  set_up_queues(config);

  unsigned workers = config.server.workers ? config.server.workers : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < workers; ++i)
    readers_.push_back(std::make_unique<store::SqliteDatabase>(database_path_, sync));
  std::vector<std::unique_ptr<store::MessageStore>> message_stores;
  for (auto& reader : readers_) message_stores.push_back(std::make_unique<store::SqliteMessageStore>(*reader, *writer_));
  delivery_ = std::make_unique<MessageDelivery>(std::move(message_stores));
  const DirectMessageRules direct_rules{config.roster.require_contact_for_direct_messages};
  timers_ = std::make_unique<MessageTimers>(database_path_, *writer_, *delivery_,
                                            ServerIdentity(config.server.server_id, config.server.node_id), direct_rules);
  message_handler_ = std::make_unique<MessageHandler>(*delivery_, direct_rules, *timers_);
  receipt_handler_ = std::make_unique<ReceiptHandler>(*delivery_, *timers_);
  message_action_handler_ = std::make_unique<MessageActionHandler>(*delivery_);
  reaction_handler_ = std::make_unique<ReactionHandler>(*delivery_);
  sync_handler_ = std::make_unique<SyncHandler>(*delivery_);
  info_handler_ = std::make_unique<InfoHandler>(workers, direct_rules);
  set_up_calls(config, direct_rules);
  queue_call_connector_ = std::make_unique<QueueCallConnector>(*queue_service_, *calls_);
  sanction_expiry_ = std::make_unique<SanctionExpiry>(database_path_, *writer_,
                                                      ServerIdentity(config.server.server_id, config.server.node_id));
  moderation_handler_ = std::make_unique<ModerationHandler>(ModerationSettings{config.auth.server_admins}, *delivery_,
                                                            audit_.get(), sanction_expiry_.get());

  for (unsigned i = 0; i < workers; ++i) {
    auto context = std::make_unique<WorkerContext>(config.server.server_id, config.server.node_id);
    context->worker_index = i;
    observers_.push_back(std::make_unique<MetricsObserver>(metrics));
    context->observer = observers_.back().get();
    context->handlers.set(core::MessageType::kRegister, register_handler_.get());
    context->handlers.set(core::MessageType::kPresence, &presence_handler_);
    context->handlers.set(core::MessageType::kRoster, &roster_handler_);
    context->handlers.set(core::MessageType::kGroup, &group_handler_);
    context->handlers.set(core::MessageType::kChannel, &channel_handler_);
    context->handlers.set(core::MessageType::kWorkspace, &workspace_handler_);
    context->handlers.set(core::MessageType::kUserProfile, profile_handler_.get());
    context->handlers.set(core::MessageType::kMessage, message_handler_.get());
    context->handlers.set(core::MessageType::kReceipt, receipt_handler_.get());
    context->handlers.set(core::MessageType::kSearch, search_handler_.get());
    context->handlers.set(core::MessageType::kMessageAction, message_action_handler_.get());
    context->handlers.set(core::MessageType::kReaction, reaction_handler_.get());
    context->handlers.set(core::MessageType::kInfo, info_handler_.get());
    context->handlers.set(core::MessageType::kSync, sync_handler_.get());
    context->handlers.set(core::MessageType::kAuditEvent, audit_handler_.get());
    context->handlers.set(core::MessageType::kAnalytics, analytics_.get());
    for (auto type : {core::MessageType::kInvite, core::MessageType::kAccept, core::MessageType::kReject,
                      core::MessageType::kEnd, core::MessageType::kSession, core::MessageType::kChannelUpdate,
                      core::MessageType::kMediaUpdate, core::MessageType::kKeyExchange, core::MessageType::kError})
      context->handlers.set(type, calls_.get());
    context->handlers.set(core::MessageType::kModeration, moderation_handler_.get());
    context->handlers.set(core::MessageType::kQueue, queue_handler_.get());
    context->request_limits = request_limits(config.limits);
    context->observers.push_back(&roster_observer_);
    context->observers.push_back(&group_observer_);
    context->observers.push_back(&workspace_observer_);
    context->observers.push_back(&presence_observer_);
    context->observers.push_back(delivery_.get());
    context->observers.push_back(info_handler_.get());
    context->observers.push_back(analytics_.get());
    context->observers.push_back(calls_.get());
    context->observers.push_back(&moderation_observer_);
    context->observers.push_back(queue_service_.get());
    context->reader = readers_[i].get();
    context->writer = writer_.get();
    workers_.push_back(std::move(context));
  }
  relay_ = std::make_unique<media::MediaRelay>(media::RelayOptions{config.media.test_drop_percent},
                                               metrics.datagrams_out, metrics.datagrams_dropped);
  calls_->set_route_publisher(relay_.get());
  bridge_ = std::make_unique<SessionBridge>(workers_, metrics, relay_.get());
  auto q = quic_config(config, material);
  q.workers = workers;
  quic_ = std::make_unique<quic::Server>(q, *bridge_);
  relay_->attach(*quic_, workers);
  mailer_ = std::make_unique<QuicConnectionMailer>(*quic_);
  for (auto& context : workers_) {
    context->directory = &directory_;
    context->mailer = mailer_.get();
  }
  set_up_files(config, sync);
  revocations_ = std::make_unique<RevocationWatcher>(database_path_, directory_, *mailer_);
  status_expiry_->start(directory_, *mailer_);
  timers_->start(directory_, *mailer_);
  audit_retention_->start();
  analytics_->start();
  missed_calls_->start(directory_, *mailer_);
  calls_->start(directory_, *mailer_);
  sanction_expiry_->start(directory_, *mailer_);
  queue_service_->start(directory_, *mailer_);
}

// The call-centre queues: configured queues and agents, then the items the
// store kept; agents' availability follows their presence.
void QsipServer::set_up_queues(const Config& config) {
  CallCentreSettings settings;
  const auto& cc = config.call_centre;
  for (const auto& q : cc.queues) settings.queues.push_back({q.id, q.required_skills, q.max_size, q.service_level_seconds});
  for (const auto& a : cc.agents) {
    settings.agents.push_back({a.user_id, a.skills, a.capacity});
    if (!a.display_name.empty()) settings.agent_display_names[a.user_id] = a.display_name;
  }
  settings.supervisors = cc.supervisors;
  settings.admins = config.auth.server_admins;
  settings.offer_timeout_seconds = cc.offer_timeout_seconds;
  settings.abandon_grace_seconds = cc.abandon_grace_seconds;
  settings.stats_interval_seconds = cc.stats_interval_seconds;
  settings.default_handle_seconds = cc.default_handle_seconds;
  queue_service_ = std::make_unique<QueueService>(std::move(settings), *writer_,
                                                  ServerIdentity(config.server.server_id, config.server.node_id));
  queue_service_->set_presence_source([this](const std::string& user) { return presence_table_.current(user).status; });
  presence_table_.set_listener([this](const std::string& user) {
    if (queue_service_) queue_service_->on_presence(user, presence_table_.current(user).status);
  });
  queue_handler_ = std::make_unique<QueueHandler>(*queue_service_);
}

// Calls: timers from [calls], missed calls stored as server MESSAGEs, TURN
// credentials in the REGISTER receipt when [turn] is set.
void QsipServer::set_up_calls(const Config& config, const DirectMessageRules& rules) {
  const ServerIdentity identity(config.server.server_id, config.server.node_id);
  missed_calls_ = std::make_unique<calls::MissedCalls>(database_path_, *writer_, *delivery_, identity);
  calls::CallSettings settings;
  settings.invite_timeout = std::chrono::seconds(config.calls.invite_timeout_seconds);
  settings.ringing_timeout = std::chrono::seconds(config.calls.ringing_timeout_seconds);
  settings.rules = rules;
  calls_ = std::make_unique<calls::CallService>(settings, identity, missed_calls_.get());
  std::string secret = config.turn.secret;
  if (!config.turn.secret_file.empty()) {
    std::ifstream in(config.turn.secret_file);
    if (!in || !std::getline(in, secret)) throw std::runtime_error("cannot read turn.secret_file " + config.turn.secret_file.string());
    while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
  }
  if (!config.turn.urls.empty() && !secret.empty()) {
    turn_ = std::make_unique<TurnCredentials>(
        TurnSettings{config.turn.urls, secret, static_cast<std::int64_t>(config.turn.ttl_seconds)});
    register_handler_->set_turn(turn_.get());
  }
}

// Sessions tell the modules of their disconnect as the QUIC server closes
// them, and the modules reach other connections through the mailer: stop
// while every member is still alive.
QsipServer::~QsipServer() {
  if (calls_) calls_->stop();
  if (timers_) timers_->stop();
  if (queue_service_) queue_service_->stop();
  if (sanction_expiry_) sanction_expiry_->stop();
  if (audit_retention_) audit_retention_->stop();
  // HTTP downloads record audit events: no request may outlive audit_.
  if (files_http_) files_http_->stop();
  if (quic_) quic_->stop(std::chrono::milliseconds(0));
  // After the last connection: nothing adds events any more.
  if (analytics_) analytics_->stop();
  // Completions of what is still queued reach the modules: run them while
  // every module is alive.
  if (writer_) writer_->flush();
}

// Files: blobs under DATA/files, one stream handler per worker, the HTTP
// download endpoint when [files] http_listen is set (started by start()).
void QsipServer::set_up_files(const Config& config, store::SyncPolicy sync) {
  FilesSettings settings;
  settings.server_id = config.server.server_id;
  settings.max_file_size = config.files.max_file_size;
  settings.user_quota_bytes = config.files.user_quota_bytes;
  settings.idle_timeout = std::chrono::seconds(config.files.idle_timeout_seconds);
  // Half the soft bound at most: a download never starves the client's other traffic.
  settings.send_window = static_cast<std::size_t>(
      std::clamp<std::uint64_t>(config.quic.send_queue_soft_bytes / 2, 16 * 1024, 512 * 1024));
  settings.sync_blobs = config.store.sync_full;
  blobs_ = std::make_unique<BlobStore>(material_.data_dir / "files");
  blobs_->prepare();
  file_references_ = std::make_unique<MessageFileReferences>(*writer_);
  file_access_.set_reference_check(file_references_.get());
  files_ = std::make_unique<FileStorage>(settings, *blobs_, file_access_, *writer_);
  files_->set_audit_log(audit_.get());
  file_timer_ = std::make_unique<QuicSessionTimer>(*quic_);
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    file_handlers_.push_back(std::make_unique<FileStreamHandler>(*files_, *workers_[i]->reader, *file_timer_));
    workers_[i]->streams = file_handlers_.back().get();
  }
  if (config.files.http_listen) {
    bearer_ = std::make_unique<BearerTokenCheck>(
        keys_, BearerSettings{config.auth.issuer, config.auth.audience, config.auth.open_registration});
    files_http_ = std::make_unique<FilesHttpServer>(*files_, *bearer_,
                                                    std::make_unique<store::SqliteDatabase>(database_path_, sync));
  }
}

void QsipServer::start() {
  if (files_http_) {
    if (auto error = files_http_->start(*config_.files.http_listen)) throw std::runtime_error(*error);
    log_event(*spdlog::default_logger(), spdlog::level::info, "files HTTP endpoint listening",
              {{"address", files_http_->address().to_string()},
               {"port", static_cast<unsigned>(files_http_->address().port)}});
  }
  quic_->start();
}

void QsipServer::stop(std::chrono::milliseconds deadline) { quic_->stop(deadline); }

void QsipServer::reload_certificate() {
  quic_->reload_certificate(material_.cert_file.string(), material_.key_file.string());
}

}  // namespace qsip::server
