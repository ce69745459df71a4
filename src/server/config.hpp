// qsipd's configuration: one typed struct, filled from defaults, then a TOML
// file, then command-line flags, validated once, and passed down by
// reference. Nothing reads configuration from anywhere else.
#pragma once

#include <spdlog/common.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/audit/audit_settings.hpp"
#include "server/listen_address.hpp"

namespace qsip::server {

enum class LogFormat { text, json };

// Retry-based address validation (RFC 9000 section 8.1).
enum class RetryMode {
  off,        // never send Retry
  on,         // every new connection must echo a Retry token
  automatic,  // only while handshakes in flight exceed retry_auto_threshold
};

// Limits the QUIC endpoint enforces; the [quic] table. The defaults are
// the endpoint's own (src/quic/server_config.hpp, connection_limits.hpp):
// a load generator on one address must reach thousands of handshakes a
// second, so the per-address rate is generous.
struct QuicLimits {
  std::uint32_t max_connections = 200'000;
  std::uint32_t max_streams_per_connection = 100;
  std::uint32_t handshakes_per_second_per_address = 1000;
  // Past the soft bound droppable traffic (typing, presence, media) is dropped;
  // a peer that stays past the hard bound is closed.
  std::uint64_t send_queue_soft_bytes = 1024 * 1024;
  std::uint64_t send_queue_hard_bytes = 4 * 1024 * 1024;
  std::uint32_t idle_timeout_seconds = 60;
  RetryMode retry = RetryMode::automatic;
  std::uint32_t retry_auto_threshold = 5000;  // handshakes in flight
};

struct Config {
  // [server]
  struct Server {
    // from.user_id and from.device_id of server-originated messages (wire profile 4).
    std::string server_id = "qsip-server";
    std::string node_id = "node-1";
    std::filesystem::path data_dir = "./data";
    // UDP addresses QUIC listens on. A dual-stack host gets both families
    // explicitly rather than relying on the IPV6_V6ONLY default.
    std::vector<ListenAddress> listen = {{"::", 4433, AF_INET6}, {"0.0.0.0", 4433, AF_INET}};
    std::uint32_t workers = 0;  // 0: one per online CPU core
  } server;

  // [tls]: both empty means "use (and on first start generate) the data dir's".
  struct Tls {
    std::filesystem::path cert_file;
    std::filesystem::path key_file;
  } tls;

  QuicLimits quic;  // [quic]

  // [auth]: how REGISTER tokens are checked (wire profile 5).
  struct Auth {
    // open: any validly signed token creates its user at first REGISTER (the
    // default: only the operator can sign tokens); closed: users must exist
    // (`qsipd user add`).
    bool open_registration = true;
    std::string issuer;             // the iss claim required, when set
    std::string audience;           // an aud value required, when set
    std::filesystem::path hs256_secret_file;  // enables HS256 with this shared secret
    // Server administrators (user ids): they may suspend accounts, submit
    // and query audit events and read analytics (docs/audit.md).
    std::vector<std::string> server_admins;
  } auth;

  // [store]
  struct Store {
    // full: every commit is fsynced (survives power loss); normal: survives a crash of qsipd only.
    bool sync_full = true;
  } store;

  // [roster]: contacts and presence subscriptions (docs/presence.md).
  struct Roster {
    // true: a direct MESSAGE to a user who is not a contact (no approved
    // presence subscription either way) is refused with 4032 UserNotOnRoster.
    bool require_contact_for_direct_messages = false;
  } roster;

  // [limits]: per-connection request limits (draft 12; docs/auth.md "Protection").
  // Token buckets on valid messages: a message beyond them is answered 4291
  // TooManyRequests with retry_after_ms; a peer that keeps sending after
  // refusals_burst refusals (refilled at messages_per_second) is closed, 0x10.
  struct Limits {
    std::uint32_t messages_per_second = 100;
    std::uint32_t messages_burst = 200;
    std::uint64_t bytes_per_second = 256 * 1024;
    std::uint64_t bytes_burst = 1024 * 1024;  // at least 65,540: one largest frame must fit
    std::uint32_t refusals_burst = 100;
  } limits;

  // [files]: file transfer (docs/files.md).
  struct Files {
    std::uint64_t max_file_size = 100 * 1024 * 1024;     // bytes; a larger upload is refused (4004)
    std::uint64_t user_quota_bytes = 1024 * 1024 * 1024;  // sum of a user's uploads (4031 beyond)
    std::uint32_t idle_timeout_seconds = 60;              // a transfer stream without progress is ended
    // TCP address of the HTTP download endpoint (GET /files/<file_id>);
    // none (the default) = no HTTP endpoint. Port 0 = ephemeral.
    std::optional<ListenAddress> http_listen;
  } files;

  // [audit]: the audit log (docs/audit.md).
  struct Audit {
    std::uint32_t retention_days = 0;  // records older than this are pruned; 0 = kept forever
    AuditIpMode ip_addresses = AuditIpMode::full;
  } audit;

  // [analytics]: client ANALYTICS events and their aggregates (docs/analytics.md).
  struct Analytics {
    std::uint32_t bucket_seconds = 60;     // width of an aggregation bucket
    std::uint32_t retention_days = 90;     // aggregates older than this are dropped; 0 = kept forever
    bool include_user_ids = false;         // true: aggregates count distinct users (never list them)
    std::uint32_t events_per_second = 10;  // per connection, a token bucket
    std::uint32_t events_burst = 50;
  } analytics;
  // [calls]: call signaling timers (draft 6.2; docs/calls.md).
  struct Calls {
    std::uint32_t invite_timeout_seconds = 60;   // an INVITE nobody accepts ends with END timeout
    std::uint32_t ringing_timeout_seconds = 45;  // a callee's devices ring this long: then a missed call
  } calls;
  // [media]: the media relay (docs/calls.md "Media relay").
  struct Media {
    // A test hook: the relay drops this share (0 to 100) of the datagrams it
    // would forward, by a deterministic pseudo-random sequence. Keep 0 in production.
    double test_drop_percent = 0;
  } media;

  // [turn]: TURN credentials in the REGISTER receipt (draft 7.5; docs/calls.md
  // "TURN"), the time-limited shared-secret scheme of coturn's use-auth-secret.
  // Off unless `urls` and a secret are set.
  struct Turn {
    std::vector<std::string> urls;       // e.g. "turn:turn.example.com:3478?transport=udp"
    std::string secret;                  // coturn's static-auth-secret ...
    std::filesystem::path secret_file;   // ... or read from this file (first line)
    std::uint32_t ttl_seconds = 86400;   // how long a credential is valid
  } turn;
  // [call_centre]: queues, agents and supervisors (docs/call-centre.md).
  // Queues and agents are [[call_centre.queues]] / [[call_centre.agents]]
  // arrays of tables; server admins may change them at run time.
  struct CallCentre {
    struct Queue {
      std::string id;
      std::vector<std::string> required_skills;
      std::uint32_t max_size = 1000;            // waiting items; beyond: 5004 QueueFull
      std::uint32_t service_level_seconds = 60;  // the answer-time target statistics measure against
    };
    struct Agent {
      std::string user_id;
      std::vector<std::string> skills;
      std::uint32_t capacity = 1;  // items held at once
      std::string display_name;    // shown to customers (agent_connecting); empty: the user id
    };
    std::vector<Queue> queues;
    std::vector<Agent> agents;
    std::vector<std::string> supervisors;  // user ids: statistics, assign_agent, update_priority
    std::uint32_t offer_timeout_seconds = 20;   // an offer unanswered this long goes to the next agent
    std::uint32_t abandon_grace_seconds = 60;   // a customer gone this long abandons its waiting items
    std::uint32_t stats_interval_seconds = 5;   // pushes to subscribed supervisors
    std::uint32_t default_handle_seconds = 180; // wait estimates before any item was handled
  } call_centre;

  // [admin]: the HTTP endpoint for /healthz and /metrics. Port 0 = ephemeral.
  struct Admin {
    ListenAddress listen = {"127.0.0.1", 9090, AF_INET};
  } admin;

  // [log]
  struct Log {
    LogFormat format = LogFormat::text;
    spdlog::level::level_enum level = spdlog::level::info;
  } log;
};

// A configuration mistake, worded for the operator: it names the file, line
// and key, or the flag.
struct ConfigError {
  std::string message;
};

// Reads TOML text and overrides the fields of `config` the text sets.
// `source` names the text in messages (usually the file name).
// Errors: TOML syntax, an unknown table or key (named), a value of the wrong
// type or out of range, a malformed address.
std::optional<ConfigError> apply_toml(std::string_view text, std::string_view source, Config& config);

// The same for a file. Errors also: the file cannot be read.
std::optional<ConfigError> apply_toml_file(const std::filesystem::path& file, Config& config);

// Checks what single values cannot show: relations between fields (soft
// bound <= hard bound, cert with key) and required non-empty values.
std::optional<ConfigError> validate(const Config& config);

// Names used in TOML and on the command line, shared so they cannot drift.
std::optional<LogFormat> parse_log_format(std::string_view name);
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name);
std::optional<RetryMode> parse_retry_mode(std::string_view name);
std::string_view to_string(LogFormat format);
std::string_view to_string(RetryMode mode);

}  // namespace qsip::server
