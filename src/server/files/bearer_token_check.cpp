#include "server/files/bearer_token_check.hpp"

#include <ctime>

#include "server/accounts/account_store.hpp"

namespace qsip::server {

using core::ErrorCode;
using core::Failure;

namespace {
Failure unauthorized(ErrorCode code, std::string detail) { return Failure{code, std::move(detail), {}, {}}; }

constexpr std::string_view kScheme = "bearer ";

// The scheme name is case-insensitive (RFC 9110 11.1).
bool has_bearer_scheme(std::string_view value) {
  if (value.size() <= kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return false;
  }
  return true;
}
}  // namespace

BearerTokenCheck::BearerTokenCheck(const JwtKeys& keys, BearerSettings settings, std::function<std::int64_t()> now)
    : keys_(keys), settings_(std::move(settings)), now_(std::move(now)) {
  if (!now_) now_ = [] { return static_cast<std::int64_t>(std::time(nullptr)); };
}

core::Outcome<std::string> BearerTokenCheck::user_of(std::string_view authorization,
                                                     store::SqliteDatabase& reader) const {
  if (!has_bearer_scheme(authorization))
    return unauthorized(ErrorCode::kUnauthorized, "Authorization: a Bearer token is required");
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);

  std::int64_t now = now_();
  JwtVerdict verdict = keys_.verify(token, now, settings_.issuer, settings_.audience);
  if (!verdict.ok()) return unauthorized(error_code_for(verdict.error), verdict.detail);
  const auto& claims = verdict.claims;
  if (claims.sub.empty()) return unauthorized(ErrorCode::kUnauthorized, "auth_token: no sub");
  AccountStore accounts(reader);
  auto user = accounts.user(claims.sub);
  if (!user && !settings_.open_registration)
    return unauthorized(ErrorCode::kUnauthorized, "auth_token: no account " + claims.sub + " (registration is closed)");
  if (user && user->suspended && (user->suspended_until == 0 || user->suspended_until > now))
    return unauthorized(ErrorCode::kUnauthorized, "account " + claims.sub + " is suspended");
  if (accounts.is_revoked(claims.jti, claims.sub, claims.device, claims.iat))
    return unauthorized(ErrorCode::kUnauthorized, "auth_token: revoked");
  return claims.sub;
}

}  // namespace qsip::server
