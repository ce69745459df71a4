// USER_PROFILE (draft 5.25, 16.1, 16.3): `set` merges into the sender's
// profile (answered RECEIPT `ok` once committed, then told to its other
// devices and to contacts who may see a changed field); `get` answers
// USER_PROFILE with `profile_data` as the reader may see it (own, a
// contact's, anyone's); the device actions are in device_actions.hpp.
// One handler serves every worker: it keeps no state of its own.
#pragma once

#include "server/dispatch/handler.hpp"
#include "server/profile/contact_check.hpp"
#include "server/profile/profile_notifier.hpp"
#include "server/profile/status_expiry.hpp"

namespace qsip::server {

class ProfileHandler final : public Handler {
 public:
  // `expiry` may be null (tests): statuses are then still hidden once expired.
  ProfileHandler(ContactCheck& contacts, ProfileNotifier& notifier, StatusExpiry* expiry)
      : contacts_(contacts), notifier_(notifier), expiry_(expiry) {}
  void handle(Request& request) override;

 private:
  void set(Request& request);
  void get(Request& request);

  ContactCheck& contacts_;
  ProfileNotifier& notifier_;
  StatusExpiry* expiry_;
};

}  // namespace qsip::server
