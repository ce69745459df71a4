// The server proper: the QUIC endpoint, the dispatcher on each worker, and
// the domain modules registered in the handler table. run_server() creates
// one, starts it, and stops it on SIGTERM.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "quic/server.hpp"
#include "server/auth/jwt.hpp"
#include "server/auth/register_handler.hpp"
#include "server/config.hpp"
#include "server/data_dir.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/accounts/revocation_watcher.hpp"
#include "server/audit/audit_log.hpp"
#include "server/profile/profile_handler.hpp"
#include "server/profile/profile_notifier.hpp"
#include "server/profile/status_expiry.hpp"
#include "server/presence/presence_fanout.hpp"
#include "server/serving/roster_contact_check.hpp"
#include "server/presence/presence_handler.hpp"
#include "server/presence/presence_observer.hpp"
#include "server/presence/presence_table.hpp"
#include "server/roster/roster_handler.hpp"
#include "server/roster/roster_observer.hpp"
#include "server/routing/device_directory.hpp"
#include "store/sqlite/group_commit_writer.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "server/serving/metrics_observer.hpp"
#include "server/serving/quic_connection_mailer.hpp"
#include "server/serving/session_bridge.hpp"

namespace qsip::server {

class QsipServer {
 public:
  // Loads the token signing key and the certificate; throws std::runtime_error
  // with the reason when either cannot be used.
  QsipServer(const Config& config, const ServerMaterial& material, ServerMetrics& metrics);
  ~QsipServer();

  // Binds the UDP sockets and starts the workers (throws on bind errors).
  void start();
  // Stops accepting, closes every connection with the going-away code.
  void stop(std::chrono::milliseconds deadline);
  void reload_certificate();
  std::vector<quic::SocketAddress> local_addresses() const { return quic_->local_addresses(); }
  quic::EndpointStats& quic_stats() { return quic_->stats(); }

 private:
  static quic::ServerConfig quic_config(const Config& config, const ServerMaterial& material);

  const Config& config_;
  const ServerMaterial& material_;
  // Declared first, destroyed last: sessions leave it as the QUIC server closes them.
  DeviceDirectory directory_;
  std::string database_path_;
  std::unique_ptr<store::GroupCommitWriter> writer_;
  std::vector<std::unique_ptr<store::SqliteDatabase>> readers_;  // one per worker
  JwtKeys keys_;
  std::unique_ptr<RegisterHandler> register_handler_;
  // Presence and roster (shared by all workers; they outlive the sessions).
  PresenceTable presence_table_;
  PresenceFanout presence_fanout_{presence_table_};
  PresenceHandler presence_handler_{presence_table_, presence_fanout_};
  PresenceObserver presence_observer_{presence_table_, presence_fanout_};
  RosterHandler roster_handler_{&presence_fanout_};
  RosterObserver roster_observer_;
  std::vector<std::unique_ptr<MetricsObserver>> observers_;
  std::vector<std::unique_ptr<WorkerContext>> workers_;
  std::unique_ptr<SessionBridge> bridge_;
  std::unique_ptr<quic::Server> quic_;
  std::unique_ptr<QuicConnectionMailer> mailer_;
  std::unique_ptr<RevocationWatcher> revocations_;
  // Audit and profiles. The expiry thread reaches connections through
  // mailer_: declared after it, so it stops first. Profile visibility for
  // "contacts" follows the roster's approved subscriptions.
  std::unique_ptr<AuditLog> audit_;
  RosterContactCheck contacts_;
  std::unique_ptr<ProfileNotifier> profile_notifier_;
  std::unique_ptr<StatusExpiry> status_expiry_;
  std::unique_ptr<ProfileHandler> profile_handler_;
};

}  // namespace qsip::server
