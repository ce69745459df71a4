// The example of docs/client.md, compiled with the project so that it stays
// true: connect, REGISTER with the token given as argv[1], print the answer,
// then print what arrives for a minute when a second argument is given.
#include <chrono>
#include <iostream>
#include <thread>

#include "core/envelope_builder.hpp"
#include "core/payload_builders.hpp"
#include "qsip/client.hpp"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  qsip::ClientOptions options;
  options.host = "127.0.0.1";
  options.insecure = true;                 // development; use ca_file or pin_sha256 otherwise
  qsip::Client client(options);
  client.connect();                        // throws qsip::ClientError
  std::string now = qsip::core::format_timestamp(std::chrono::system_clock::now());
  qsip::core::EnvelopeFields f{.message_id = "m-1", .timestamp = now, .type = "REGISTER",
                               .from_user_id = "u-alice", .from_device_id = "d-laptop"};
  auto payload = qsip::core::builders::RegisterPayload().auth_token(argv[1])
                     .device_info(qsip::core::builders::RegisterPayloadDeviceInfo().os("Linux"));
  qsip::Message answer = client.request(qsip::core::build_envelope(f, payload.json())).get();
  std::cout << answer.type() << " " << answer.payload_string("status").value_or("") << "\n";
  client.on_message([](const qsip::Message& m) { std::cout << m.json() << "\n"; });
  std::this_thread::sleep_for(std::chrono::seconds(argc > 2 ? 60 : 0));
}
