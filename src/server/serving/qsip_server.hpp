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
#include "server/auth/turn_credentials.hpp"
#include "server/calls/call_service.hpp"
#include "server/calls/missed_calls.hpp"
#include "server/config.hpp"
#include "server/data_dir.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/media/media_relay.hpp"
#include "server/accounts/revocation_watcher.hpp"
#include "server/analytics/analytics_service.hpp"
#include "server/audit/audit_handler.hpp"
#include "server/audit/audit_log.hpp"
#include "server/audit/audit_retention.hpp"
#include "server/profile/profile_handler.hpp"
#include "server/profile/profile_notifier.hpp"
#include "server/profile/status_expiry.hpp"
#include "server/messaging/message_delivery.hpp"
#include "server/messaging/info_handler.hpp"
#include "server/messaging/message_action_handler.hpp"
#include "server/messaging/message_handler.hpp"
#include "server/messaging/message_timers.hpp"
#include "server/messaging/reaction_handler.hpp"
#include "server/messaging/sync_handler.hpp"
#include "server/messaging/receipt_handler.hpp"
#include "server/presence/presence_fanout.hpp"
#include "server/serving/group_membership_adapter.hpp"
#include "server/serving/message_file_references.hpp"
#include "server/serving/roster_contact_check.hpp"
#include "server/presence/presence_handler.hpp"
#include "server/presence/presence_observer.hpp"
#include "server/presence/presence_table.hpp"
#include "server/roster/roster_handler.hpp"
#include "server/roster/roster_observer.hpp"
#include "server/groups/group_handler.hpp"
#include "server/groups/group_observer.hpp"
#include "server/groups/channel_handler.hpp"
#include "server/workspaces/workspace_handler.hpp"
#include "server/workspaces/workspace_observer.hpp"
#include "server/moderation/moderation_handler.hpp"
#include "server/moderation/moderation_observer.hpp"
#include "server/moderation/sanction_expiry.hpp"
#include "server/routing/device_directory.hpp"
#include "store/sqlite/group_commit_writer.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "server/serving/metrics_observer.hpp"
#include "server/serving/quic_connection_mailer.hpp"
#include "server/serving/session_bridge.hpp"
#include "server/files/bearer_token_check.hpp"
#include "server/files/blob_store.hpp"
#include "server/files/file_access.hpp"
#include "server/files/file_storage.hpp"
#include "server/files/file_stream_handler.hpp"
#include "server/files/files_http_server.hpp"
#include "server/serving/quic_session_timer.hpp"
#include "server/search/group_membership.hpp"
#include "server/search/search_handler.hpp"
#include "server/queue/queue_handler.hpp"
#include "server/queue/queue_service.hpp"
#include "server/serving/queue_call_connector.hpp"

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
  const media::MediaRelay& media_relay() const { return *relay_; }
  // Who may download a file: the messaging module plugs its
  // FileReferenceCheck in here (docs/files.md).
  UploaderOrReferenceAccess& file_access() { return file_access_; }

 private:
  static quic::ServerConfig quic_config(const Config& config, const ServerMaterial& material);
  void set_up_files(const Config& config, store::SyncPolicy sync);
  void set_up_calls(const Config& config, const DirectMessageRules& rules);
  void set_up_queues(const Config& config);

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
  // Groups (docs/groups.md): stateless, shared by all workers.
  GroupHandler group_handler_;
  GroupObserver group_observer_;
  // Channels (groups of kind channel) and workspaces (docs/groups.md): stateless too.
  ChannelHandler channel_handler_;
  WorkspaceHandler workspace_handler_;
  WorkspaceObserver workspace_observer_;
  // Messaging: declared before the QUIC server so that sessions closing
  // still find it; the writer's last completions run before it goes (~QsipServer).
  std::unique_ptr<MessageDelivery> delivery_;
  std::unique_ptr<MessageTimers> timers_;  // stopped first in ~QsipServer
  std::unique_ptr<MessageHandler> message_handler_;
  std::unique_ptr<ReceiptHandler> receipt_handler_;
  std::unique_ptr<MessageActionHandler> message_action_handler_;
  std::unique_ptr<ReactionHandler> reaction_handler_;
  std::unique_ptr<InfoHandler> info_handler_;
  std::unique_ptr<SyncHandler> sync_handler_;
  // Calls (docs/calls.md): live sessions shared by all workers; its timer
  // thread is stopped first in ~QsipServer. Missed calls go into the message stream.
  std::unique_ptr<calls::MissedCalls> missed_calls_;
  std::unique_ptr<calls::CallService> calls_;
  std::unique_ptr<TurnCredentials> turn_;  // [turn]: credentials in the REGISTER receipt
  // Files (docs/files.md): the stream handlers outlive the workers that
  // call them; the timer that resumes them (after quic_) stops first.
  UploaderOrReferenceAccess file_access_;
  std::unique_ptr<MessageFileReferences> file_references_;  // "can see a message that references it"
  std::unique_ptr<BlobStore> blobs_;
  std::unique_ptr<FileStorage> files_;
  std::unique_ptr<BearerTokenCheck> bearer_;
  std::unique_ptr<FilesHttpServer> files_http_;
  std::vector<std::unique_ptr<FileStreamHandler>> file_handlers_;
  std::vector<std::unique_ptr<MetricsObserver>> observers_;
  // Call-centre queues (docs/call-centre.md): before quic_, so that closing
  // sessions still find them; their timer thread stops first (~QsipServer).
  std::unique_ptr<QueueService> queue_service_;
  std::unique_ptr<QueueHandler> queue_handler_;
  std::unique_ptr<QueueCallConnector> queue_call_connector_;  // queue <-> calls (A.3 steps 6-8)
  // The media relay (docs/calls.md "Media relay"): before the bridge and the
  // QUIC server, whose workers use it; the calls module publishes its routes.
  std::unique_ptr<media::MediaRelay> relay_;
  std::vector<std::unique_ptr<WorkerContext>> workers_;
  std::unique_ptr<SessionBridge> bridge_;
  std::unique_ptr<quic::Server> quic_;
  std::unique_ptr<QuicSessionTimer> file_timer_;
  std::unique_ptr<QuicConnectionMailer> mailer_;
  std::unique_ptr<RevocationWatcher> revocations_;
  // Audit and profiles. The expiry thread reaches connections through
  // mailer_: declared after it, so it stops first. Profile visibility for
  // "contacts" follows the roster's approved subscriptions.
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<AuditHandler> audit_handler_;  // AUDIT_EVENT (docs/audit.md)
  std::unique_ptr<AuditRetention> audit_retention_;  // stopped in ~QsipServer, before the writer flushes
  // ANALYTICS (docs/analytics.md): stopped (its last aggregates handed to
  // the writer) in ~QsipServer before the writer flushes.
  std::unique_ptr<AnalyticsService> analytics_;
  RosterContactCheck contacts_;
  std::unique_ptr<ProfileNotifier> profile_notifier_;
  std::unique_ptr<StatusExpiry> status_expiry_;
  std::unique_ptr<ProfileHandler> profile_handler_;
  // Moderation (docs/moderation.md): the expiry thread reaches connections
  // through mailer_ (declared after it, so it stops first; ~QsipServer stops it).
  std::unique_ptr<SanctionExpiry> sanction_expiry_;
  std::unique_ptr<ModerationHandler> moderation_handler_;
  ModerationObserver moderation_observer_;
  // Search (docs/search.md): group conversations and public groups from the
  // groups module's directory.
  GroupDirectoryMembership groups_;
  std::unique_ptr<SearchHandler> search_handler_;
};

}  // namespace qsip::server
