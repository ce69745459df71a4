// REGISTER messages carrying ES256 tokens signed with the server's own key
// (its data dir's token-signing-key.pem). They are made before a
// measurement starts, so signing is never part of the measured time.
#pragma once

#include <cstdint>
#include <string>

#include "server/auth/jwt.hpp"

namespace qsip::bench {

class RegisterMessages {
 public:
  explicit RegisterMessages(const std::string& signing_key_file);

  // A REGISTER of `user`/`device` with its own one-hour token.
  std::string make(const std::string& user, const std::string& device, const std::string& message_id) const;

 private:
  server::JwtKeys keys_;
  std::string stamp_;
  std::int64_t epoch_ = 0;
};

}  // namespace qsip::bench
