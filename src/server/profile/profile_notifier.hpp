// Tells who should know that a profile changed (draft 16.3, 13): every
// device of its owner (but the one that made the change) gets the whole
// profile as the owner sees it; each online contact gets the profile as a
// contact sees it, only when a changed field is visible to contacts. Others
// learn of it when they ask (`get`). Both as a server-originated
// USER_PROFILE `set` naming the user in `target_user_id`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/dispatch/server_identity.hpp"
#include "server/profile/contact_check.hpp"
#include "server/profile/profile.hpp"
#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"

namespace qsip::server {

struct ProfileNotice {
  std::string user_id;
  const Profile& profile;                 // after the change
  std::vector<std::string> changed;       // field names set or removed
  bool visibility_changed = false;
  std::string origin_device_id;           // empty: the server (expiry)
  std::uint64_t except_connection = 0;    // the connection that asked, already answered
};

class ProfileNotifier {
 public:
  explicit ProfileNotifier(ContactCheck& contacts) : contacts_(contacts) {}

  // `identity` signs the messages (the caller thread's own); `reader` is the
  // caller's read connection. Thread-safe as long as those two are not shared.
  void notify(ServerIdentity& identity, const DeviceDirectory& directory, ConnectionMailer& mailer,
              store::SqliteDatabase& reader, const ProfileNotice& notice);

 private:
  ContactCheck& contacts_;
};

}  // namespace qsip::server
