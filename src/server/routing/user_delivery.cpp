#include "server/routing/user_delivery.hpp"

namespace qsip::server {

std::size_t send_to_user(const DeviceDirectory& directory, ConnectionMailer& mailer, std::string_view user_id,
                         const FrameBytes& frame, Delivery delivery, std::uint64_t except) {
  std::size_t sent = 0;
  for (const auto& device : directory.devices(user_id)) {
    if (device.connection_id == except) continue;
    sent += mailer.deliver(device.connection_id, frame, delivery) ? 1 : 0;
  }
  return sent;
}

}  // namespace qsip::server
