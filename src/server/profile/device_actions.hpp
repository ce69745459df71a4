// USER_PROFILE device management (draft 16.1; extension actions of this
// server, docs/auth.md "Devices"), always on the sender's own devices:
// `list_devices` answers USER_PROFILE with `devices`; `rename_device` and
// `remove_device` answer RECEIPT `ok` once committed and tell the user's
// other devices. Removing a device deletes it, revokes its tokens, records
// audit events, and closes its connection at once (0x13 Revoked).
#pragma once

#include "server/dispatch/handler.hpp"

namespace qsip::server {

void list_devices(Request& request);
void rename_device(Request& request);
void remove_device(Request& request);

}  // namespace qsip::server
