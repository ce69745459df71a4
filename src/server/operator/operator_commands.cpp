#include "server/operator/operator_commands.hpp"

#include <fmt/format.h>

#include <array>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <random>
#include <variant>

#include "core/envelope_builder.hpp"
#include "core/uuid.hpp"
#include "server/accounts/account_store.hpp"
#include "core/json_writer.hpp"
#include "server/audit/audit_store.hpp"
#include "server/operator/audit_commands.hpp"
#include "server/auth/jwt.hpp"
#include "server/data_dir.hpp"
#include "store/sqlite/migrations.hpp"

namespace qsip::server {

namespace {

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::string iso(std::int64_t t) {
  return t ? core::format_timestamp(std::chrono::system_clock::time_point(std::chrono::seconds(t))) : "-";
}

std::string random_id() {
  std::random_device device;
  std::array<std::uint8_t, 16> bytes{};
  for (auto& b : bytes) b = static_cast<std::uint8_t>(device());
  return core::uuid_v4(bytes);
}

// An operator command's admin_action record, appended in the caller's
// write transaction (BEGIN IMMEDIATE) with the change it records, so the
// chain stays one line however qsipd appends meanwhile. No actor: the
// operator at the console; details say which command on what.
void record_admin_action(store::SqliteDatabase& db, std::string_view command, std::string_view resource_type,
                         std::string_view resource_id, std::string details_members, bool success = true,
                         std::string_view failure_reason = {}) {
  AuditEvent event;
  event.event_type = kAuditAdminAction;
  event.target_resource_type = std::string(resource_type);
  event.target_resource_id = std::string(resource_id);
  event.status = success ? "success" : "failure";
  event.failure_reason = std::string(failure_reason);
  std::string details;
  core::JsonWriter w(details);
  w.begin_object().member("cause", "operator").member("command", command);  // left open for the command's own
  if (!details_members.empty()) details += "," + details_members;
  details += "}";
  event.details_json = std::move(details);
  append_audit_event(db, event);
}

std::string json_member(std::string_view key, std::string_view value) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().member(key, value).end_object();
  return out.substr(1, out.size() - 2);
}

std::string json_member(std::string_view key, std::int64_t value) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().member(key, value).end_object();
  return out.substr(1, out.size() - 2);
}

int issue(const ServerMaterial& material, store::SqliteDatabase& db, AccountStore& accounts, const OperatorArgs& a) {
  if (a.ttl_seconds <= 0) {
    std::cerr << "qsipd token issue: --ttl must be positive\n";
    return 1;
  }
  if (auto user = accounts.user(a.user_id); user && user->suspended)
    std::cerr << "qsipd token issue: warning: " << a.user_id << " is suspended; the token will be refused\n";
  JwtKeys keys;
  keys.load_es256_private_key(material.token_signing_key_file.string());
  JwtClaims claims;
  claims.sub = a.user_id;
  claims.device = a.device_id;
  claims.jti = random_id();
  claims.iat = now_seconds();
  claims.exp = claims.iat + a.ttl_seconds;
  std::string token = keys.sign(claims);
  store::Transaction transaction(db);
  accounts.record_token({claims.jti, claims.sub, claims.device, claims.iat, claims.exp, 0});
  record_admin_action(db, "token issue", "token", claims.jti,
                      json_member("user_id", a.user_id) + "," + json_member("device_id", a.device_id) + "," +
                          json_member("ttl_seconds", a.ttl_seconds));
  transaction.commit();
  std::cout << token << '\n';
  std::cerr << fmt::format("token {} for {}{} expires {}\n", claims.jti, a.user_id,
                           a.device_id.empty() ? "" : "/" + a.device_id, iso(claims.exp));
  return 0;
}

int revoke(store::SqliteDatabase& db, AccountStore& accounts, const OperatorArgs& a) {
  int n = 0;
  AuditEvent event;
  event.event_type = kAuditTokenRevoked;  // the operator acts: no actor user
  // The revocation and its audit row commit together (and the audit chain
  // needs its write transaction).
  store::Transaction transaction(db);
  if (!a.token_id.empty()) {
    n = accounts.revoke_token(a.token_id, now_seconds());
    event.target_resource_type = "token";
    event.target_resource_id = a.token_id;
  } else if (!a.device_id.empty()) {
    n = accounts.revoke_device_tokens(a.user_id, a.device_id, now_seconds());
    event.target_resource_type = "device_tokens";
    event.target_resource_id = a.user_id + "/" + a.device_id;
  } else if (!a.user_id.empty()) {
    n = accounts.revoke_user_tokens(a.user_id, now_seconds());
    event.target_resource_type = "user_tokens";
    event.target_resource_id = a.user_id;
  } else {
    std::cerr << "qsipd token revoke: give --id, or --user (and --device)\n";
    return 1;
  }
  if (n == 0 && !a.token_id.empty()) {
    event.status = "failure";
    event.failure_reason = "no live token";
  }
  event.details_json = fmt::format(R"({{"cause":"operator","recorded_tokens":{}}})", n);
  append_audit_event(db, event);
  record_admin_action(db, "token revoke", event.target_resource_type, event.target_resource_id,
                      json_member("recorded_tokens", static_cast<std::int64_t>(n)), event.status == "success",
                      event.failure_reason);
  transaction.commit();
  std::cout << "revoked " << n << " recorded token" << (n == 1 ? "" : "s")
            << (a.token_id.empty() ? " (and every earlier unrecorded one)" : "") << '\n';
  if (!a.token_id.empty() && n == 0) {
    std::cerr << "qsipd token revoke: no live token " << a.token_id << '\n';
    return 1;
  }
  return 0;
}

int list_tokens(AccountStore& accounts, const OperatorArgs& a) {
  std::cout << fmt::format("{:<36}  {:<24}  {:<16}  {:<24}  {:<24}  {}\n", "ID", "USER", "DEVICE", "ISSUED", "EXPIRES",
                           "STATE");
  std::int64_t now = now_seconds();
  for (const auto& t : accounts.tokens(a.user_id)) {
    std::string state = t.revoked_at ? "revoked " + iso(t.revoked_at) : t.expires_at < now ? "expired" : "valid";
    std::cout << fmt::format("{:<36}  {:<24}  {:<16}  {:<24}  {:<24}  {}\n", t.jti, t.user_id,
                             t.device_id.empty() ? "*" : t.device_id, iso(t.issued_at), iso(t.expires_at), state);
  }
  return 0;
}

int add_user(store::SqliteDatabase& db, AccountStore& accounts, const OperatorArgs& a) {
  store::Transaction transaction(db);
  bool added = accounts.add_user({a.user_id, a.display_name, now_seconds()});
  record_admin_action(db, "user add", "user", a.user_id, json_member("display_name", a.display_name), added,
                      added ? "" : "exists");
  transaction.commit();
  if (!added) {
    std::cerr << "qsipd user add: " << a.user_id << " exists\n";
    return 1;
  }
  std::cout << "added " << a.user_id << '\n';
  return 0;
}

int list_users(AccountStore& accounts) {
  std::cout << fmt::format("{:<24}  {:<24}  {:<24}  {}\n", "USER", "DISPLAY NAME", "CREATED", "STATE");
  for (const auto& u : accounts.users()) {
    std::string state = u.suspended ? (u.suspended_until ? "suspended until " + iso(u.suspended_until) : "suspended")
                                    : "active";
    std::cout << fmt::format("{:<24}  {:<24}  {:<24}  {}\n", u.user_id, u.display_name, iso(u.created_at), state);
  }
  return 0;
}

int suspend(store::SqliteDatabase& db, AccountStore& accounts, const OperatorArgs& a) {
  store::Transaction transaction(db);
  bool found = accounts.set_suspended(a.user_id, !a.lift, a.until);
  if (found && !a.lift) accounts.revoke_user_tokens(a.user_id, now_seconds());
  record_admin_action(db, a.lift ? "user suspend --lift" : "user suspend", "user", a.user_id,
                      json_member("until", a.until), found, found ? "" : "no such user");
  transaction.commit();
  if (!found) {
    std::cerr << "qsipd user suspend: no user " << a.user_id << '\n';
    return 1;
  }
  std::cout << (a.lift ? "lifted the suspension of " : "suspended ") << a.user_id << '\n';
  return 0;
}

}  // namespace

int run_operator_command(const Invocation& invocation) {
  if (invocation.command == Command::audit_verify || invocation.command == Command::audit_export)
    return run_audit_command(invocation);
  auto prepared = prepare_data_dir(invocation.config);
  if (auto* error = std::get_if<DataDirError>(&prepared)) {
    std::cerr << "qsipd: " << error->message << '\n';
    return 1;
  }
  const auto& material = std::get<ServerMaterial>(prepared);
  try {
    store::SqliteDatabase db((material.data_dir / "qsip.db").string(), store::SyncPolicy::kFull);
    store::apply_migrations(db, "accounts", account_migrations());
    store::apply_migrations(db, "audit", audit_migrations());
    AccountStore accounts(db);
    const auto& a = invocation.args;
    switch (invocation.command) {
      case Command::token_issue: return issue(material, db, accounts, a);
      case Command::token_revoke: return revoke(db, accounts, a);
      case Command::token_list: return list_tokens(accounts, a);
      case Command::user_add: return add_user(db, accounts, a);
      case Command::user_list: return list_users(accounts);
      case Command::user_suspend: return suspend(db, accounts, a);
      case Command::serve:
      case Command::audit_verify:
      case Command::audit_export: break;
    }
  } catch (const std::exception& e) {
    std::cerr << "qsipd: " << e.what() << '\n';
    return 1;
  }
  return 1;
}

}  // namespace qsip::server
