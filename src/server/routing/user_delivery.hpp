// Fan-out of one frame (shared, not copied) to every online device of a user.
#pragma once

#include <cstdint>
#include <string_view>

#include "server/routing/connection_mailer.hpp"
#include "server/routing/device_directory.hpp"

namespace qsip::server {

// Delivers to each device of `user_id` but the connection `except`; returns
// how many devices it was handed to.
std::size_t send_to_user(const DeviceDirectory& directory, ConnectionMailer& mailer, std::string_view user_id,
                         const FrameBytes& frame, Delivery delivery, std::uint64_t except = 0);

}  // namespace qsip::server
