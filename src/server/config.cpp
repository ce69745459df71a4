// TOML reading is table-driven: each table lists its keys with a reader,
// so a key that is not listed is reported by name instead of being ignored.
#include "server/config.hpp"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <toml++/toml.h>

#include "core/string_formats.hpp"

namespace qsip::server {
namespace {

constexpr std::uint32_t kMaxWorkers = 1024;
// One frame of the largest size (65,536 bytes and a 4-byte length prefix)
// must fit in the byte bucket, or such a message could never pass.
constexpr std::int64_t kMinBytesBurst = 65'540;

// Reports problems as "<source>:<line>: <table>.<key>: <reason>".
class TomlReader {
 public:
  explicit TomlReader(std::string_view source) : source_(source) {}

  ConfigError error(const toml::node& node, std::string_view key, std::string_view reason) const {
    return {fmt::format("{}:{}: {}: {}", source_, node.source().begin.line, key, reason)};
  }

  std::optional<ConfigError> read(const toml::node& node, std::string_view key, std::string& out) const {
    auto value = node.value<std::string>();
    if (!node.is_string() || !value) return error(node, key, "expected a string");
    out = *value;
    return std::nullopt;
  }

  std::optional<ConfigError> read(const toml::node& node, std::string_view key, std::filesystem::path& out) const {
    std::string text;
    if (auto err = read(node, key, text)) return err;
    if (text.empty()) return error(node, key, "expected a non-empty path");
    out = text;
    return std::nullopt;
  }

  template <typename Int>
  std::optional<ConfigError> read(const toml::node& node, std::string_view key, Int& out, std::int64_t min) const {
    auto value = node.value<std::int64_t>();
    if (!node.is_integer() || !value) return error(node, key, "expected an integer");
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<Int>::max()) >
                                 static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                             ? std::numeric_limits<std::int64_t>::max()
                             : static_cast<std::int64_t>(std::numeric_limits<Int>::max());
    if (*value < min || *value > max) {
      return error(node, key, fmt::format("must be from {} to {}", min, max));
    }
    out = static_cast<Int>(*value);
    return std::nullopt;
  }

  std::optional<ConfigError> read(const toml::node& node, std::string_view key, ListenAddress& out) const {
    std::string text;
    if (auto err = read(node, key, text)) return err;
    std::string why;
    auto address = parse_listen_address(text, &why);
    if (!address) return error(node, key, fmt::format("bad address \"{}\": {}", text, why));
    out = *address;
    return std::nullopt;
  }

  std::optional<ConfigError> read(const toml::node& node, std::string_view key,
                                  std::vector<ListenAddress>& out) const {
    const auto* array = node.as_array();
    if (array == nullptr) return error(node, key, "expected an array of \"ADDR:PORT\" strings");
    if (array->empty()) return error(node, key, "expected at least one address");
    std::vector<ListenAddress> addresses;
    for (const auto& element : *array) {
      ListenAddress address;
      if (auto err = read(element, key, address)) return err;
      addresses.push_back(std::move(address));
    }
    out = std::move(addresses);
    return std::nullopt;
  }

  // A string from a fixed set of names, parsed by `parse`.
  template <typename T, typename Parse>
  std::optional<ConfigError> read_name(const toml::node& node, std::string_view key, T& out, Parse parse,
                                       std::string_view allowed) const {
    std::string text;
    if (auto err = read(node, key, text)) return err;
    auto value = parse(text);
    if (!value) return error(node, key, fmt::format("\"{}\" is not one of {}", text, allowed));
    out = *value;
    return std::nullopt;
  }

 private:
  std::string_view source_;
};

using KeyReader = std::function<std::optional<ConfigError>(const TomlReader&, const toml::node&, Config&)>;
struct KeyRule {
  std::string_view key;  // "table.key", as messages name it
  KeyReader read;
};

// A rule for one key: `access` picks the Config field, `min` bounds integers.
template <typename Access>
KeyRule rule(std::string_view key, Access access, std::int64_t min = 0) {
  return {key, [key, access, min](const TomlReader& r, const toml::node& n, Config& c) {
            auto& target = access(c);
            if constexpr (std::is_integral_v<std::remove_cvref_t<decltype(target)>>) {
              return r.read(n, key, target, min);
            } else {
              return r.read(n, key, target);
            }
          }};
}

// An array of user ids or names of 1 to `max` bytes.
std::optional<ConfigError> read_names(const TomlReader& r, const toml::node& n, std::string_view key,
                                      std::vector<std::string>& out, std::size_t max = 256) {
  const auto* array = n.as_array();
  if (array == nullptr) return r.error(n, key, "expected an array of strings");
  std::vector<std::string> names;
  for (const auto& element : *array) {
    auto name = element.value<std::string>();
    if (!element.is_string() || !name || name->empty() || name->size() > max)
      return r.error(element, key, fmt::format("expected strings of 1 to {} bytes", max));
    names.push_back(std::move(*name));
  }
  out = std::move(names);
  return std::nullopt;
}

// [[call_centre.queues]] and [[call_centre.agents]]: arrays of tables whose
// keys are checked by name like the top-level tables'.
template <typename Item, typename ReadKey>
std::optional<ConfigError> read_table_array(const TomlReader& r, const toml::node& n, std::string_view key,
                                            std::vector<Item>& out, ReadKey read_key) {
  const auto* array = n.as_array();
  if (array == nullptr) return r.error(n, key, "expected an array of tables ([[" + std::string(key) + "]])");
  std::vector<Item> items;
  for (const auto& element : *array) {
    const auto* table = element.as_table();
    if (table == nullptr) return r.error(element, key, "expected a table");
    Item item;
    for (const auto& [name, value] : *table) {
      std::string dotted = fmt::format("{}.{}", key, name.str());
      if (auto err = read_key(name.str(), value, dotted, item)) return err;
    }
    items.push_back(std::move(item));
  }
  out = std::move(items);
  return std::nullopt;
}

std::optional<ConfigError> read_queues(const TomlReader& r, const toml::node& n, Config& c) {
  using Queue = Config::CallCentre::Queue;
  auto err = read_table_array(r, n, "call_centre.queues", c.call_centre.queues,
      [&](std::string_view name, const toml::node& v, const std::string& key, Queue& q) -> std::optional<ConfigError> {
        if (name == "id") {
          if (auto e = r.read(v, key, q.id)) return e;
          if (!core::is_valid_id(q.id)) return r.error(v, key, "expected 1 to 256 bytes");
          return std::nullopt;
        }
        if (name == "required_skills") return read_names(r, v, key, q.required_skills, 64);
        if (name == "max_size") return r.read(v, key, q.max_size, 1);
        if (name == "service_level_seconds") return r.read(v, key, q.service_level_seconds, 1);
        return r.error(v, key, "unknown key (known: id, required_skills, max_size, service_level_seconds)");
      });
  if (err) return err;
  for (const auto& q : c.call_centre.queues)
    if (q.id.empty()) return r.error(n, "call_centre.queues", "every queue needs an id");
  return std::nullopt;
}

std::optional<ConfigError> read_agents(const TomlReader& r, const toml::node& n, Config& c) {
  using Agent = Config::CallCentre::Agent;
  auto err = read_table_array(r, n, "call_centre.agents", c.call_centre.agents,
      [&](std::string_view name, const toml::node& v, const std::string& key, Agent& a) -> std::optional<ConfigError> {
        if (name == "user_id") {
          if (auto e = r.read(v, key, a.user_id)) return e;
          if (!core::is_valid_id(a.user_id)) return r.error(v, key, "expected 1 to 256 bytes");
          return std::nullopt;
        }
        if (name == "skills") return read_names(r, v, key, a.skills, 64);
        if (name == "capacity") return r.read(v, key, a.capacity, 1);
        if (name == "display_name") return r.read(v, key, a.display_name);
        return r.error(v, key, "unknown key (known: user_id, skills, capacity, display_name)");
      });
  if (err) return err;
  for (const auto& a : c.call_centre.agents)
    if (a.user_id.empty()) return r.error(n, "call_centre.agents", "every agent needs a user_id");
  return std::nullopt;
}

const std::vector<KeyRule>& rules() {
  static const std::vector<KeyRule> table = {
      rule("server.server_id", [](Config& c) -> auto& { return c.server.server_id; }),
      rule("server.node_id", [](Config& c) -> auto& { return c.server.node_id; }),
      rule("server.data_dir", [](Config& c) -> auto& { return c.server.data_dir; }),
      rule("server.listen", [](Config& c) -> auto& { return c.server.listen; }),
      rule("server.workers", [](Config& c) -> auto& { return c.server.workers; }, 0),
      rule("tls.cert", [](Config& c) -> auto& { return c.tls.cert_file; }),
      rule("tls.key", [](Config& c) -> auto& { return c.tls.key_file; }),
      rule("quic.max_connections", [](Config& c) -> auto& { return c.quic.max_connections; }, 1),
      rule("quic.max_streams_per_connection", [](Config& c) -> auto& { return c.quic.max_streams_per_connection; }, 1),
      rule("quic.handshakes_per_second_per_address",
           [](Config& c) -> auto& { return c.quic.handshakes_per_second_per_address; }, 1),
      rule("quic.send_queue_soft_bytes", [](Config& c) -> auto& { return c.quic.send_queue_soft_bytes; }, 1),
      rule("quic.send_queue_hard_bytes", [](Config& c) -> auto& { return c.quic.send_queue_hard_bytes; }, 1),
      rule("quic.idle_timeout_seconds", [](Config& c) -> auto& { return c.quic.idle_timeout_seconds; }, 1),
      {"quic.retry",
       [](const TomlReader& r, const toml::node& n, Config& c) {
         return r.read_name(n, "quic.retry", c.quic.retry, parse_retry_mode, "off, on, auto");
       }},
      rule("quic.retry_auto_threshold", [](Config& c) -> auto& { return c.quic.retry_auto_threshold; }, 1),
      rule("admin.listen", [](Config& c) -> auto& { return c.admin.listen; }),
      {"auth.registration",
       [](const TomlReader& r, const toml::node& n, Config& c) {
         return r.read_name(n, "auth.registration", c.auth.open_registration,
                            [](std::string_view v) -> std::optional<bool> {
                              if (v == "open") return true;
                              if (v == "closed") return false;
                              return std::nullopt;
                            },
                            "open, closed");
       }},
      rule("auth.issuer", [](Config& c) -> auto& { return c.auth.issuer; }),
      rule("auth.audience", [](Config& c) -> auto& { return c.auth.audience; }),
      rule("auth.hs256_secret_file", [](Config& c) -> auto& { return c.auth.hs256_secret_file; }),
      {"auth.server_admins",
       [](const TomlReader& r, const toml::node& n, Config& c) -> std::optional<ConfigError> {
         const auto* array = n.as_array();
         if (array == nullptr) return r.error(n, "auth.server_admins", "expected an array of user ids");
         std::vector<std::string> admins;
         for (const auto& element : *array) {
           auto id = element.value<std::string>();
           if (!element.is_string() || !id || id->empty() || id->size() > 256)
             return r.error(element, "auth.server_admins", "expected user ids of 1 to 256 bytes");
           admins.push_back(std::move(*id));
         }
         c.auth.server_admins = std::move(admins);
         return std::nullopt;
       }},
      {"store.sync",
       [](const TomlReader& r, const toml::node& n, Config& c) {
         return r.read_name(n, "store.sync", c.store.sync_full,
                            [](std::string_view v) -> std::optional<bool> {
                              if (v == "full") return true;
                              if (v == "normal") return false;
                              return std::nullopt;
                            },
                            "full, normal");
       }},
      {"roster.require_contact_for_direct_messages",
       [](const TomlReader& r, const toml::node& n, Config& c) -> std::optional<ConfigError> {
         auto value = n.value<bool>();
         if (!value || !n.is_boolean())
           return r.error(n, "roster.require_contact_for_direct_messages", "expected true or false");
         c.roster.require_contact_for_direct_messages = *value;
         return std::nullopt;
       }},
      rule("limits.messages_per_second", [](Config& c) -> auto& { return c.limits.messages_per_second; }, 1),
      rule("limits.messages_burst", [](Config& c) -> auto& { return c.limits.messages_burst; }, 1),
      rule("limits.bytes_per_second", [](Config& c) -> auto& { return c.limits.bytes_per_second; }, 1),
      rule("limits.bytes_burst", [](Config& c) -> auto& { return c.limits.bytes_burst; }, kMinBytesBurst),
      rule("limits.refusals_burst", [](Config& c) -> auto& { return c.limits.refusals_burst; }, 1),
      rule("files.max_file_size", [](Config& c) -> auto& { return c.files.max_file_size; }, 1),
      rule("files.user_quota_bytes", [](Config& c) -> auto& { return c.files.user_quota_bytes; }, 0),
      rule("files.idle_timeout_seconds", [](Config& c) -> auto& { return c.files.idle_timeout_seconds; }, 1),
      {"files.http_listen",
       [](const TomlReader& r, const toml::node& n, Config& c) -> std::optional<ConfigError> {
         // "" turns the endpoint off, as leaving the key out does.
         if (n.is_string() && n.value<std::string>()->empty()) {
           c.files.http_listen.reset();
           return std::nullopt;
         }
         ListenAddress address;
         if (auto err = r.read(n, "files.http_listen", address)) return err;
         c.files.http_listen = address;
         return std::nullopt;
       }},
      rule("audit.retention_days", [](Config& c) -> auto& { return c.audit.retention_days; }, 0),
      {"audit.ip_addresses",
       [](const TomlReader& r, const toml::node& n, Config& c) {
         return r.read_name(n, "audit.ip_addresses", c.audit.ip_addresses, parse_audit_ip_mode,
                            "full, truncated, hashed, none");
       }},
      rule("analytics.bucket_seconds", [](Config& c) -> auto& { return c.analytics.bucket_seconds; }, 1),
      rule("analytics.retention_days", [](Config& c) -> auto& { return c.analytics.retention_days; }, 0),
      {"analytics.include_user_ids",
       [](const TomlReader& r, const toml::node& n, Config& c) -> std::optional<ConfigError> {
         auto value = n.value<bool>();
         if (!value || !n.is_boolean()) return r.error(n, "analytics.include_user_ids", "expected true or false");
         c.analytics.include_user_ids = *value;
         return std::nullopt;
       }},
      rule("analytics.events_per_second", [](Config& c) -> auto& { return c.analytics.events_per_second; }, 1),
      rule("analytics.events_burst", [](Config& c) -> auto& { return c.analytics.events_burst; }, 1),
      rule("calls.invite_timeout_seconds", [](Config& c) -> auto& { return c.calls.invite_timeout_seconds; }, 1),
      rule("calls.ringing_timeout_seconds", [](Config& c) -> auto& { return c.calls.ringing_timeout_seconds; }, 1),
      {"media.test_drop_percent",
       [](const TomlReader& r, const toml::node& n, Config& c) -> std::optional<ConfigError> {
         auto value = n.value<double>();
         if (!value || !(n.is_floating_point() || n.is_integer()) || !(*value >= 0 && *value <= 100))
           return r.error(n, "media.test_drop_percent", "expected a number from 0 to 100");
         c.media.test_drop_percent = *value;
         return std::nullopt;
       }},
      {"turn.urls",
       [](const TomlReader& r, const toml::node& n, Config& c) -> std::optional<ConfigError> {
         const auto* array = n.as_array();
         if (array == nullptr) return r.error(n, "turn.urls", "expected an array of turn: or turns: URLs");
         std::vector<std::string> urls;
         for (const auto& element : *array) {
           auto url = element.value<std::string>();
           if (!element.is_string() || !url || url->size() > 512 ||
               !(url->starts_with("turn:") || url->starts_with("turns:") || url->starts_with("stun:")))
             return r.error(element, "turn.urls", "expected turn:, turns: or stun: URLs");
           urls.push_back(std::move(*url));
         }
         if (urls.size() > 16) return r.error(n, "turn.urls", "at most 16 URLs");
         c.turn.urls = std::move(urls);
         return std::nullopt;
       }},
      rule("turn.secret", [](Config& c) -> auto& { return c.turn.secret; }),
      rule("turn.secret_file", [](Config& c) -> auto& { return c.turn.secret_file; }),
      rule("turn.ttl_seconds", [](Config& c) -> auto& { return c.turn.ttl_seconds; }, 60),
      {"call_centre.queues", read_queues},
      {"call_centre.agents", read_agents},
      {"call_centre.supervisors",
       [](const TomlReader& r, const toml::node& n, Config& c) {
         return read_names(r, n, "call_centre.supervisors", c.call_centre.supervisors);
       }},
      rule("call_centre.offer_timeout_seconds", [](Config& c) -> auto& { return c.call_centre.offer_timeout_seconds; }, 1),
      rule("call_centre.abandon_grace_seconds", [](Config& c) -> auto& { return c.call_centre.abandon_grace_seconds; }, 0),
      rule("call_centre.stats_interval_seconds", [](Config& c) -> auto& { return c.call_centre.stats_interval_seconds; }, 1),
      rule("call_centre.default_handle_seconds", [](Config& c) -> auto& { return c.call_centre.default_handle_seconds; }, 1),
      {"log.format",
       [](const TomlReader& r, const toml::node& n, Config& c) {
         return r.read_name(n, "log.format", c.log.format, parse_log_format, "text, json");
       }},
      {"log.level",
       [](const TomlReader& r, const toml::node& n, Config& c) {
         return r.read_name(n, "log.level", c.log.level, parse_log_level,
                            "trace, debug, info, warn, error, critical, off");
       }},
  };
  return table;
}

const KeyRule* find_rule(std::string_view dotted) {
  for (const auto& rule : rules()) {
    if (rule.key == dotted) return &rule;
  }
  return nullptr;
}

bool is_known_table(std::string_view name) {
  for (const auto& rule : rules()) {
    auto dot = rule.key.find('.');
    if (rule.key.substr(0, dot) == name) return true;
  }
  return false;
}

}  // namespace

std::optional<ConfigError> apply_toml(std::string_view text, std::string_view source, Config& config) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return ConfigError{fmt::format("{}:{}:{}: {}", source, e.source().begin.line, e.source().begin.column,
                                   e.description())};
  }
  TomlReader reader(source);
  // Read into a copy so that a failing file leaves `config` as it was.
  Config updated = config;
  for (const auto& [table_key, table_node] : root) {
    std::string_view table_name = table_key.str();
    const auto* table = table_node.as_table();
    if (!is_known_table(table_name)) {
      return reader.error(table_node, table_name, "unknown table (known: server, tls, quic, auth, store, roster, limits, files, audit, analytics, calls, media, turn, call_centre, admin, log)");
    }
    if (table == nullptr) return reader.error(table_node, table_name, "expected a table");
    for (const auto& [key, node] : *table) {
      std::string dotted = fmt::format("{}.{}", table_name, key.str());
      const KeyRule* rule = find_rule(dotted);
      if (rule == nullptr) return reader.error(node, dotted, "unknown key");
      if (auto err = rule->read(reader, node, updated)) return err;
    }
  }
  config = std::move(updated);
  return std::nullopt;
}

std::optional<ConfigError> apply_toml_file(const std::filesystem::path& file, Config& config) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return ConfigError{fmt::format("{}: cannot read the configuration file", file.string())};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return ConfigError{fmt::format("{}: error while reading the configuration file", file.string())};
  return apply_toml(text.str(), file.string(), config);
}

std::optional<ConfigError> validate(const Config& config) {
  auto fail = [](std::string message) { return std::optional<ConfigError>(ConfigError{std::move(message)}); };
  if (!core::is_valid_id(config.server.server_id)) return fail("server_id must be 1 to 256 bytes");
  if (!core::is_valid_id(config.server.node_id)) return fail("node_id must be 1 to 256 bytes");
  if (config.server.data_dir.empty()) return fail("data_dir must not be empty");
  if (config.server.listen.empty()) return fail("at least one listen address is required");
  if (config.server.workers > kMaxWorkers) return fail(fmt::format("workers must be from 0 to {}", kMaxWorkers));
  if (config.tls.cert_file.empty() != config.tls.key_file.empty()) {
    return fail("a certificate and its key are configured together: give both cert and key, or neither");
  }
  const auto& cc = config.call_centre;
  for (std::size_t i = 0; i < cc.queues.size(); ++i)
    for (std::size_t j = i + 1; j < cc.queues.size(); ++j)
      if (cc.queues[i].id == cc.queues[j].id) return fail("call_centre.queues: queue " + cc.queues[i].id + " twice");
  for (std::size_t i = 0; i < cc.agents.size(); ++i)
    for (std::size_t j = i + 1; j < cc.agents.size(); ++j)
      if (cc.agents[i].user_id == cc.agents[j].user_id)
        return fail("call_centre.agents: agent " + cc.agents[i].user_id + " twice");
  const auto& q = config.quic;
  if (q.send_queue_soft_bytes > q.send_queue_hard_bytes) {
    return fail(fmt::format("quic.send_queue_soft_bytes ({}) must not exceed quic.send_queue_hard_bytes ({})",
                            q.send_queue_soft_bytes, q.send_queue_hard_bytes));
  }
  if (q.max_connections == 0 || q.max_streams_per_connection == 0 || q.handshakes_per_second_per_address == 0 ||
      q.idle_timeout_seconds == 0 || q.retry_auto_threshold == 0 || q.send_queue_soft_bytes == 0) {
    return fail("quic limits must be at least 1");
  }
  if (!config.turn.secret.empty() && !config.turn.secret_file.empty())
    return fail("turn.secret and turn.secret_file are exclusive: give one");
  return std::nullopt;
}

std::optional<LogFormat> parse_log_format(std::string_view name) {
  if (name == "text") return LogFormat::text;
  if (name == "json") return LogFormat::json;
  return std::nullopt;
}

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 7> kLevels = {{
      {"trace", spdlog::level::trace},
      {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},
      {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},
      {"critical", spdlog::level::critical},
      {"off", spdlog::level::off},
  }};
  for (const auto& [n, level] : kLevels) {
    if (n == name) return level;
  }
  return std::nullopt;
}

std::optional<RetryMode> parse_retry_mode(std::string_view name) {
  if (name == "off") return RetryMode::off;
  if (name == "on") return RetryMode::on;
  if (name == "auto") return RetryMode::automatic;
  return std::nullopt;
}

std::string_view to_string(LogFormat format) { return format == LogFormat::json ? "json" : "text"; }

std::string_view to_string(RetryMode mode) {
  switch (mode) {
    case RetryMode::off: return "off";
    case RetryMode::on: return "on";
    case RetryMode::automatic: return "auto";
  }
  return "auto";
}

}  // namespace qsip::server
