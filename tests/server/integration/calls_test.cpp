// Call signaling end to end (draft 5.3-5.8, 5.23, 5.24, 6, 7.2, 7.5,
// Appendix A.1; docs/calls.md): the real qsipd over QUIC with libqsip
// clients. The shared server rings for 2 s and waits 3 s for an answer, so
// the timeout tests are quick; every other test answers at once.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <thread>
#include <string>
#include <vector>

#include "call_envelope.hpp"
#include "client_waits.hpp"
#include "core/envelope_builder.hpp"
#include "core/frame_decoder.hpp"
#include "core/payload_builders.hpp"
#include "raw_quic_client.hpp"
#include "running_qsipd.hpp"
#include "server/child_process.hpp"
#include "server/temp_dir.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using core::builders::GroupPayload;
using qsip::test::RunningQsipd;
using qsip::test::wait_for;

namespace {

constexpr const char* kCallsConfig = "[calls]\nringing_timeout_seconds = 2\ninvite_timeout_seconds = 3\n";

// Where a message goes.
using qsip::test::To;

// One user's connected, registered device.
struct Phone {
  std::string user;
  std::string device;
  std::unique_ptr<Client> client;

  std::string envelope(std::string_view type, std::string_view session, std::string_view payload, const To& to = {},
                       std::string message_id = {}) const {
    static std::atomic<int> counter{0};
    if (message_id.empty()) message_id = "call-msg-" + std::to_string(++counter) + "-" + device;
    return qsip::test::call_envelope(type, message_id, user, device, session, payload, to);
  }
  Message request(std::string_view type, std::string_view session, std::string_view payload, const To& to = {},
                  std::string message_id = {}) const {
    return client->request(envelope(type, session, payload, to, std::move(message_id))).get();
  }
  // The next message of `type` about `session` this device receives.
  std::optional<Message> next(std::string_view type, std::string_view session,
                              std::chrono::milliseconds timeout = 5s) const {
    return wait_for(
        *client, [&](const Message& m) { return m.type() == type && m.session_id() == session; }, timeout);
  }
  // Nothing about `session` arrives within `quiet`.
  bool hears_nothing(std::string_view session, std::chrono::milliseconds quiet = 500ms) const {
    return !wait_for(*client, [&](const Message& m) { return m.session_id() == session; }, quiet);
  }
};

const char* kInvitePayload = R"({
  "media_types": ["audio", "video"],
  "codecs": {"audio": ["opus/48000/2"], "video": ["av1/90000", "vp9/90000"]},
  "sdp_offer": "base64-encoded-webrtc-sdp-offer-string",
  "ice_candidates": [
    {"candidate": "candidate:1 1 udp 2122260223 192.0.2.1 60000 typ host generation 0", "sdpMid": "audio", "sdpMLineIndex": 0},
    {"candidate": "candidate:2 1 udp 2122260222 192.0.2.1 60002 typ host generation 0", "sdpMid": "video", "sdpMLineIndex": 1}],
  "encryption": ["sframe"],
  "tracks": [{"track_id": "alice-audio", "kind": "audio", "codec": "opus/48000/2", "flow_id": 4},
             {"track_id": "alice-video", "kind": "video", "codec": "av1/90000", "flow_id": 8}]})";

const char* kAcceptPayload = R"({
  "codecs": {"audio": ["opus/48000/2"], "video": ["av1/90000"]},
  "sdp_answer": "base64-encoded-webrtc-sdp-answer-string",
  "ice_candidates": [{"candidate": "candidate:3 1 udp 2122187007 198.51.100.5 60008 typ host generation 0", "sdpMid": "audio", "sdpMLineIndex": 0}],
  "encryption": "sframe",
  "tracks": [{"track_id": "bob-audio", "kind": "audio", "codec": "opus/48000/2", "flow_id": 12}]})";

const char* kAudioInvite = R"({"media_types": ["audio"], "codecs": {"audio": ["opus/48000/2"]}})";
const char* kAudioAccept = R"({"codecs": {"audio": ["opus/48000/2"]}})";

std::string key_payload(int key_id) {
  return R"({"mechanism": "sframe", "sframe_params": {"key_material": "b64EncodedSymmetricKey==", "key_id": ")" +
         std::to_string(key_id) + R"(", "cipher_suite": "AES_GCM_128_SHA256", "epoch": 42}})";
}

std::string reason_payload(std::string_view reason) { return R"({"reason": ")" + std::string(reason) + R"("})"; }
std::string action_payload(std::string_view action) { return R"({"action": ")" + std::string(action) + R"("})"; }

void expect_receipt(const Message& m, std::string_view state) {
  ASSERT_EQ(m.type(), "RECEIPT") << m.json();
  EXPECT_EQ(m.payload_string("status"), "ok") << m.json();
  EXPECT_EQ(m.payload_string("state"), state) << m.json();
}

class Calls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RunningQsipd({}, kCallsConfig); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::string id(const std::string& name) {
    return name + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  static Phone phone(const std::string& user, const std::string& device) {
    return Phone{user, device, server_->connect_registered(user, device)};
  }
  // alice calls bob (audio) and bob answers: an active 1:1 call.
  static void connect_call(const Phone& caller, const Phone& callee, const std::string& session) {
    expect_receipt(caller.request("INVITE", session, kAudioInvite, {callee.user}), "inviting");
    ASSERT_TRUE(callee.next("INVITE", session));
    expect_receipt(callee.request("ACCEPT", session, kAudioAccept, {caller.user}), "active");
    ASSERT_TRUE(caller.next("ACCEPT", session));
  }
  static inline RunningQsipd* server_ = nullptr;
};

}  // namespace

// Appendix A.1, step by step.
TEST_F(Calls, AppendixA1PeerToPeerAudioVideoCallSetup) {
  // 1-4: Alice and Bob REGISTER; each gets RECEIPT registered (connect_registered checks it).
  auto alice = phone(id("u-alice"), "d-alice-mobile");
  auto bob = phone(id("u-bob"), "d-bob-desktop");
  const auto s1 = id("S1");

  // 5: Alice -> Server: INVITE (to Bob, S1, audio/video, ICE candidates, SFrame offer).
  auto invited = alice.request("INVITE", s1, kInvitePayload, {bob.user}, id("invite"));
  expect_receipt(invited, "inviting");
  EXPECT_EQ(invited.payload_string("target_message_id"), id("invite"));
  EXPECT_EQ(invited.payload_int("ringing_devices"), 1);

  // 6: Server -> Bob: INVITE, forwarded as Alice wrote it.
  auto at_bob = bob.next("INVITE", s1);
  ASSERT_TRUE(at_bob);
  EXPECT_EQ(at_bob->from_user_id(), alice.user);
  EXPECT_EQ(at_bob->message_id(), id("invite"));
  EXPECT_NE(at_bob->payload_json("ice_candidates")->find("192.0.2.1 60000"), std::string::npos);
  EXPECT_EQ(*at_bob->payload_json("encryption"), R"(["sframe"])");
  EXPECT_NE(at_bob->payload_json("tracks")->find("\"flow_id\":8"), std::string::npos) << at_bob->json();

  // 7: Bob -> Server: ACCEPT (selected media, ICE candidates, SFrame answer).
  expect_receipt(bob.request("ACCEPT", s1, kAcceptPayload, {alice.user}, id("accept")), "active");

  // 8: Server -> Alice: ACCEPT from Bob, forwarded.
  auto at_alice = alice.next("ACCEPT", s1);
  ASSERT_TRUE(at_alice);
  EXPECT_EQ(at_alice->from_user_id(), bob.user);
  EXPECT_EQ(at_alice->payload_string("sdp_answer"), "base64-encoded-webrtc-sdp-answer-string");
  EXPECT_NE(at_alice->payload_json("ice_candidates")->find("198.51.100.5 60008"), std::string::npos);
  EXPECT_EQ(at_alice->payload_string("encryption"), "sframe");

  // 9: Alice <-> Bob: ICE connectivity checks, peer to peer or through TURN
  // with the credentials of the REGISTER receipt (TurnRelay below). No
  // signaling passes through the server in this step.

  // 10-11: Alice's SFrame key parameters reach Bob; Alice is ACTIVE.
  expect_receipt(alice.request("KEY_EXCHANGE", s1, key_payload(1), {bob.user}), "active");
  auto key_at_bob = bob.next("KEY_EXCHANGE", s1);
  ASSERT_TRUE(key_at_bob);
  EXPECT_EQ(key_at_bob->from_user_id(), alice.user);
  EXPECT_NE(key_at_bob->payload_json("sframe_params")->find("b64EncodedSymmetricKey=="), std::string::npos);

  // 12-13: Bob's key parameters reach Alice; Bob is ACTIVE.
  expect_receipt(bob.request("KEY_EXCHANGE", s1, key_payload(2), {alice.user}), "active");
  auto key_at_alice = alice.next("KEY_EXCHANGE", s1);
  ASSERT_TRUE(key_at_alice);
  EXPECT_EQ(key_at_alice->from_user_id(), bob.user);

  // 14: Alice <-> Bob: SFrame-encrypted media over QUIC datagrams, relayed
  // by qsipd (wire profile 7: varint(flow_id) || RTP). Each side sends on
  // the flows it announced; the other receives the packet byte for byte,
  // under the same flow id (a 1:1 call needs no renumbering).
  {
    // Shared with the clients' threads, which may still deliver a resent
    // copy after this block.
    struct Media {
      std::mutex mutex;
      std::condition_variable arrived;
      std::vector<std::vector<std::uint8_t>> at_bob, at_alice;
    };
    auto media_box = std::make_shared<Media>();
    auto collect = [media_box](std::vector<std::vector<std::uint8_t>> Media::*into) {
      return [media_box, into](std::span<const std::uint8_t> d) {
        std::lock_guard lock(media_box->mutex);
        ((*media_box).*into).emplace_back(d.begin(), d.end());
        media_box->arrived.notify_all();
      };
    };
    bob.client->on_datagram(collect(&Media::at_bob));
    alice.client->on_datagram(collect(&Media::at_alice));
    // An RTP packet (version 2, Opus payload type 111) whose payload stands
    // for the SFrame ciphertext: the relay never looks inside.
    auto media = [](std::uint8_t flow, std::uint8_t seq) {
      std::vector<std::uint8_t> d = {flow, 0x80, 111, 0, seq, 0, 0, 0, seq, 0xde, 0xad, 0xbe, 0xef};
      for (int i = 0; i < 80; ++i) d.push_back(static_cast<std::uint8_t>(seq * 7 + i));
      return d;
    };
    auto exchange = [&](Client& from, std::vector<std::vector<std::uint8_t>> Media::*at, const std::vector<std::uint8_t>& d) {
      for (int attempt = 0; attempt < 20; ++attempt) {  // datagrams are unreliable: resend until seen
        EXPECT_TRUE(from.send_datagram(d));
        std::unique_lock lock(media_box->mutex);
        auto& got = (*media_box).*at;
        if (media_box->arrived.wait_for(lock, 250ms, [&] { return std::find(got.begin(), got.end(), d) != got.end(); }))
          return true;
      }
      return false;
    };
    for (std::uint8_t seq = 1; seq <= 5; ++seq) {
      EXPECT_TRUE(exchange(*alice.client, &Media::at_bob, media(4, seq))) << "alice's audio reaches bob";
      EXPECT_TRUE(exchange(*alice.client, &Media::at_bob, media(8, seq))) << "alice's video reaches bob";
      EXPECT_TRUE(exchange(*bob.client, &Media::at_alice, media(12, seq))) << "bob's audio reaches alice";
    }
    std::lock_guard lock(media_box->mutex);
    for (const auto& d : media_box->at_alice) EXPECT_EQ(d[0], 12) << "alice hears bob's flow only";
  }

  // 15: Alice -> Server: END (hangup).
  expect_receipt(alice.request("END", s1, R"({"reason": "hangup", "detail": "User ended the call."})", {bob.user}),
                 "terminated");
  // 16: Server -> Bob: END from Alice, reason hangup.
  auto end = bob.next("END", s1);
  ASSERT_TRUE(end);
  EXPECT_EQ(end->from_user_id(), alice.user);
  EXPECT_EQ(end->payload_string("reason"), "hangup");

  // The session is gone, and its id is not reused.
  EXPECT_EQ(bob.request("KEY_EXCHANGE", s1, key_payload(3), {alice.user}).error_code(), 4043);
  auto reused = alice.request("INVITE", s1, kAudioInvite, {bob.user});
  EXPECT_EQ(reused.error_code(), 4051);
  EXPECT_NE(reused.payload_string("detail")->find("session_id"), std::string::npos);
}

TEST_F(Calls, ForkingToEveryDeviceFirstAcceptWinsOthersGetEnd) {
  auto alice = phone(id("alice"), "a1");
  auto b1 = phone(id("bob"), "b1");
  auto b2 = phone(id("bob"), "b2");
  const auto s = id("s");
  auto invited = alice.request("INVITE", s, kAudioInvite, {b1.user});
  expect_receipt(invited, "inviting");
  EXPECT_EQ(invited.payload_int("ringing_devices"), 2);
  ASSERT_TRUE(b1.next("INVITE", s)) << "every online device rings";
  ASSERT_TRUE(b2.next("INVITE", s));

  expect_receipt(b2.request("ACCEPT", s, kAudioAccept, {alice.user}), "active");
  auto ended = b1.next("END", s);
  ASSERT_TRUE(ended) << "the other device stops ringing";
  EXPECT_EQ(ended->payload_string("reason"), "answered_elsewhere");
  EXPECT_EQ(ended->from_user_id(), "qsip-server");
  auto accepted = alice.next("ACCEPT", s);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->from_device_id(), "b2");

  // A later ACCEPT from the other device is refused.
  EXPECT_EQ(b1.request("ACCEPT", s, kAudioAccept, {alice.user}).error_code(), 4051);
  // The call is on b2: b1 cannot hold it either.
  EXPECT_EQ(b1.request("SESSION", s, action_payload("hold")).error_code(), 4051);
  expect_receipt(alice.request("END", s, reason_payload("hangup"), {b1.user}), "terminated");
  ASSERT_TRUE(b2.next("END", s));
  EXPECT_TRUE(b1.hears_nothing(s)) << "b1 already left the call";
}

TEST_F(Calls, RejectBusyReachesTheCallerAtOnce) {
  auto alice = phone(id("alice"), "a1");
  auto b1 = phone(id("bob"), "b1");
  auto b2 = phone(id("bob"), "b2");
  const auto s = id("s");
  expect_receipt(alice.request("INVITE", s, kAudioInvite, {b1.user}), "inviting");
  ASSERT_TRUE(b1.next("INVITE", s));
  ASSERT_TRUE(b2.next("INVITE", s));
  expect_receipt(b1.request("REJECT", s, R"({"reason": "busy", "detail": "Currently in another call."})", {alice.user}),
                 "terminated");
  auto rejected = alice.next("REJECT", s);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->payload_string("reason"), "busy");
  EXPECT_EQ(rejected->from_user_id(), b1.user);
  auto stopped = b2.next("END", s);
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->payload_string("reason"), "declined_elsewhere");
  EXPECT_EQ(alice.request("END", s, reason_payload("hangup")).error_code(), 4043) << "the session ended";
}

TEST_F(Calls, DeclineReachesTheCallerOnlyWhenEveryDeviceDeclined) {
  auto alice = phone(id("alice"), "a1");
  auto b1 = phone(id("bob"), "b1");
  auto b2 = phone(id("bob"), "b2");
  const auto s = id("s");
  expect_receipt(alice.request("INVITE", s, kAudioInvite, {b1.user}), "inviting");
  ASSERT_TRUE(b1.next("INVITE", s));
  ASSERT_TRUE(b2.next("INVITE", s));
  expect_receipt(b1.request("REJECT", s, reason_payload("decline")), "ringing");
  EXPECT_TRUE(alice.hears_nothing(s)) << "b2 still rings";
  expect_receipt(b2.request("REJECT", s, reason_payload("decline")), "terminated");
  auto rejected = alice.next("REJECT", s);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->payload_string("reason"), "decline");
}

TEST_F(Calls, OfflineCalleeGetsRejectUnavailableAndAMissedCallAtNextLogin) {
  const auto bob = id("bob");
  { phone(bob, "b1"); }  // bob exists, then goes offline
  auto alice = phone(id("alice"), "a1");
  const auto s = id("s");
  auto invited = alice.request("INVITE", s, kAudioInvite, {bob});
  expect_receipt(invited, "terminated");
  auto rejected = alice.next("REJECT", s);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->payload_string("reason"), "unavailable");
  EXPECT_EQ(rejected->from_user_id(), "qsip-server");

  auto b1 = phone(bob, "b1");
  auto missed = wait_for(*b1.client, [](const Message& m) { return m.type() == "MESSAGE"; });
  ASSERT_TRUE(missed) << "the missed call is stored and delivered at the next REGISTER";
  EXPECT_EQ(missed->from_user_id(), "qsip-server");
  EXPECT_EQ(missed->payload_string("content"), "Missed call from " + alice.user);
  auto details = missed->payload_json("missed_call");
  ASSERT_TRUE(details);
  EXPECT_NE(details->find("\"reason\":\"unavailable\""), std::string::npos) << *details;
  EXPECT_NE(details->find(s), std::string::npos);
}

TEST_F(Calls, UnknownCalleeIs4041) {
  auto alice = phone(id("alice"), "a1");
  auto answer = alice.request("INVITE", id("s"), kAudioInvite, {id("nobody")});
  EXPECT_EQ(answer.error_code(), 4041) << answer.json();
}

TEST_F(Calls, RingingTimeoutEndsTheCallWithTimeoutAndAMissedCall) {
  auto alice = phone(id("alice"), "a1");
  auto b1 = phone(id("bob"), "b1");
  const auto s = id("s");
  auto started = std::chrono::steady_clock::now();
  expect_receipt(alice.request("INVITE", s, kAudioInvite, {b1.user}), "inviting");
  ASSERT_TRUE(b1.next("INVITE", s));
  auto end_at_bob = b1.next("END", s, 6s);
  ASSERT_TRUE(end_at_bob) << "the ringing timer (2 s) expires";
  EXPECT_EQ(end_at_bob->payload_string("reason"), "timeout");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 1900ms);
  auto end_at_alice = alice.next("END", s);
  ASSERT_TRUE(end_at_alice);
  EXPECT_EQ(end_at_alice->payload_string("reason"), "timeout");
  EXPECT_EQ(end_at_alice->from_user_id(), "qsip-server");
  auto missed = wait_for(*b1.client, [](const Message& m) { return m.type() == "MESSAGE"; });
  ASSERT_TRUE(missed) << "a missed call, on the callee's online device at once";
  EXPECT_NE(missed->payload_json("missed_call")->find("\"reason\":\"timeout\""), std::string::npos);
  EXPECT_EQ(b1.request("ACCEPT", s, kAudioAccept).error_code(), 4043) << "too late";
}

TEST_F(Calls, AGroupCallNobodyAnswersTimesOutForEveryone) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  const auto gid = id("g");
  auto created = alice.client->request(qsip::test::envelope(
      "GROUP", alice.user, alice.device, GroupPayload().action("create").group_id(gid).name("T").visibility("public").json())).get();
  ASSERT_EQ(created.type(), "RECEIPT");
  ASSERT_EQ(bob.client->request(qsip::test::envelope("GROUP", bob.user, bob.device,
                                                     GroupPayload().action("join").group_id(gid).json())).get().type(),
            "RECEIPT");
  const auto s = id("s");
  expect_receipt(alice.request("INVITE", s, kAudioInvite, {{}, gid}), "inviting");
  ASSERT_TRUE(bob.next("INVITE", s));
  auto at_bob = bob.next("END", s, 6s);
  ASSERT_TRUE(at_bob);
  EXPECT_EQ(at_bob->payload_string("reason"), "timeout");
  auto at_alice = alice.next("END", s, 6s);
  ASSERT_TRUE(at_alice);
  EXPECT_EQ(at_alice->payload_string("reason"), "timeout");
  auto missed = wait_for(*bob.client, [](const Message& m) { return m.type() == "MESSAGE"; });
  ASSERT_TRUE(missed);
  EXPECT_NE(missed->payload_json("missed_call")->find(gid), std::string::npos) << "the group is named";
}

TEST_F(Calls, HoldAndResumeFollowTheStateMachine) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  const auto s = id("s");
  expect_receipt(alice.request("INVITE", s, kAudioInvite, {bob.user}), "inviting");
  ASSERT_TRUE(bob.next("INVITE", s));
  EXPECT_EQ(alice.request("SESSION", s, action_payload("hold")).error_code(), 4051) << "not answered yet";
  EXPECT_EQ(bob.request("SESSION", s, action_payload("hold")).error_code(), 4051) << "still ringing";
  expect_receipt(bob.request("ACCEPT", s, kAudioAccept), "active");
  ASSERT_TRUE(alice.next("ACCEPT", s));

  EXPECT_EQ(alice.request("SESSION", s, action_payload("resume")).error_code(), 4051) << "resume when not on hold";
  expect_receipt(alice.request("SESSION", s, R"({"action": "hold", "state": "on_hold"})"), "on_hold");
  auto held = bob.next("SESSION", s);
  ASSERT_TRUE(held);
  EXPECT_EQ(held->payload_string("action"), "hold");
  EXPECT_EQ(alice.request("SESSION", s, action_payload("hold")).error_code(), 4051) << "already on hold";
  expect_receipt(alice.request("SESSION", s, action_payload("mute")), "on_hold");
  ASSERT_TRUE(bob.next("SESSION", s));
  expect_receipt(alice.request("SESSION", s, action_payload("resume")), "active");
  auto resumed = bob.next("SESSION", s);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->payload_string("action"), "resume");

  // The other controls: screenshare, recording, mute of a media type the call does not have.
  expect_receipt(bob.request("SESSION", s, R"({"action": "start_screenshare", "stream_id": "screen-1"})"), "screensharing");
  ASSERT_TRUE(alice.next("SESSION", s));
  EXPECT_EQ(bob.request("SESSION", s, action_payload("start_screenshare")).error_code(), 4051);
  expect_receipt(bob.request("SESSION", s, action_payload("stop_screenshare")), "active");
  expect_receipt(alice.request("SESSION", s, action_payload("start_recording")), "recording");
  EXPECT_EQ(bob.request("SESSION", s, action_payload("start_recording")).error_code(), 4051) << "already recording";
  expect_receipt(bob.request("SESSION", s, action_payload("stop_recording")), "active");
  EXPECT_EQ(alice.request("SESSION", s, R"({"action": "mute", "target_media_type": "video"})").error_code(), 4062);
  // Supervisors' actions are for call-centre supervisors (docs/call-centre.md);
  // the queue's notice is not a client's to send.
  EXPECT_EQ(alice.request("SESSION", s, action_payload("barge")).error_code(), 4014);
  EXPECT_EQ(alice.request("SESSION", s, action_payload("agent_connecting")).error_code(), 4052);
  // CHANNEL_UPDATE goes to the other side.
  expect_receipt(alice.request("CHANNEL_UPDATE", s, R"({"channels": {"audio": {"muted": true}}})"), "active");
  auto channel = wait_for(*bob.client, [&](const Message& m) { return m.type() == "CHANNEL_UPDATE"; });
  ASSERT_TRUE(channel);
  EXPECT_NE(channel->payload_json("channels")->find("\"muted\":true"), std::string::npos) << channel->json();
}

TEST_F(Calls, UnknownSessionsAndNonParticipantsAre4043) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  auto eve = phone(id("eve"), "e1");
  const auto s = id("s");
  for (auto type : {"ACCEPT", "END", "SESSION", "KEY_EXCHANGE", "MEDIA_UPDATE", "CHANNEL_UPDATE", "REJECT"}) {
    std::string payload = std::string(type) == "SESSION" ? action_payload("hold")
                          : std::string(type) == "KEY_EXCHANGE" ? key_payload(1)
                          : std::string(type) == "CHANNEL_UPDATE" ? R"({"channels": {}})"
                          : std::string(type) == "MEDIA_UPDATE" ? "{}" : reason_payload("hangup");
    EXPECT_EQ(alice.request(type, id("unknown"), payload).error_code(), 4043) << type;
  }
  connect_call(alice, bob, s);
  // eve is not in the call: the same answer as for a session that does not exist.
  EXPECT_EQ(eve.request("KEY_EXCHANGE", s, key_payload(1), {alice.user}).error_code(), 4043);
  EXPECT_EQ(eve.request("END", s, reason_payload("hangup")).error_code(), 4043);
  EXPECT_EQ(eve.request("ACCEPT", s, kAudioAccept).error_code(), 4043);
  // A participant's KEY_EXCHANGE reaches only the participants.
  expect_receipt(alice.request("KEY_EXCHANGE", s, key_payload(7)), "active");
  ASSERT_TRUE(bob.next("KEY_EXCHANGE", s));
  EXPECT_TRUE(eve.hears_nothing(s));
  // ... and to.user_id must name a participant.
  EXPECT_EQ(alice.request("KEY_EXCHANGE", s, key_payload(8), {eve.user}).error_code(), 4043);
  EXPECT_TRUE(eve.hears_nothing(s));
  // Validation of the envelope itself: session_id is required (4001).
  auto no_session = alice.request("KEY_EXCHANGE", "", key_payload(9));
  EXPECT_EQ(no_session.error_code(), 4001);
}

TEST_F(Calls, CodecNegotiationNoCommonCodecAndUnsupportedMediaType) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  EXPECT_EQ(alice.request("INVITE", id("s-smell"), R"({"media_types": ["audio", "smell"]})", {bob.user}).error_code(), 4062);
  EXPECT_EQ(alice.request("INVITE", id("s-track"), R"({"media_types": ["audio"],
      "tracks": [{"track_id": "v", "kind": "video", "codec": "av1/90000", "flow_id": 1}]})", {bob.user}).error_code(), 4062);
  const auto s = id("s");
  expect_receipt(alice.request("INVITE", s, kInvitePayload, {bob.user}), "inviting");
  ASSERT_TRUE(bob.next("INVITE", s));
  auto no_common = bob.request("ACCEPT", s, R"({"codecs": {"audio": ["pcmu/8000"]}})");
  EXPECT_EQ(no_common.error_code(), 4061);
  EXPECT_NE(no_common.payload_string("detail")->find("payload.codecs.audio[0]"), std::string::npos);
  EXPECT_EQ(bob.request("ACCEPT", s, R"({"codecs": {"screenshare": ["av1/90000"]}})").error_code(), 4062);
  // Still ringing: a valid choice (case-insensitive) is accepted.
  expect_receipt(bob.request("ACCEPT", s, R"({"codecs": {"audio": ["OPUS/48000/2"], "video": ["VP9/90000"]}})"), "active");
  ASSERT_TRUE(alice.next("ACCEPT", s));
}

TEST_F(Calls, MediaUpdateIsRelayedAndItsConfirmationOrErrorComesBack) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  const auto s = id("s");
  connect_call(alice, bob, s);
  const auto update = R"({"add_tracks": [{"track_id": "video-alice-2", "kind": "video", "codec": "av1/90000",
                                           "label": "Alice's Main Camera", "flow_id": 16}], "remove_tracks": null})";
  expect_receipt(alice.request("MEDIA_UPDATE", s, update, {}, id("mu1")), "active");
  auto at_bob = bob.next("MEDIA_UPDATE", s);
  ASSERT_TRUE(at_bob);
  EXPECT_EQ(at_bob->message_id(), id("mu1"));
  // Bob confirms with a MEDIA_UPDATE naming it (5.24): back to Alice.
  expect_receipt(bob.request("MEDIA_UPDATE", s, R"({"target_message_id": ")" + id("mu1") + R"("})"), "active");
  auto confirmed = alice.next("MEDIA_UPDATE", s);
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->payload_string("target_message_id"), id("mu1"));
  // A confirmation of nothing pending.
  EXPECT_EQ(bob.request("MEDIA_UPDATE", s, R"({"target_message_id": "never-sent"})").error_code(), 4044);
  // A second update refused by Bob with an ERROR: the ERROR goes back to Alice.
  expect_receipt(alice.request("MEDIA_UPDATE", s, R"({"remove_tracks": ["video-alice-2"]})", {}, id("mu2")), "active");
  ASSERT_TRUE(bob.next("MEDIA_UPDATE", s));
  bob.client->send(bob.envelope("ERROR", s, R"({"code": 4061, "reason": "NoCommonCodec", "detail": "no",
                                              "target_message_id": ")" + id("mu2") + R"("})"));
  auto error = wait_for(*alice.client, [&](const Message& m) { return m.type() == "ERROR" && m.from_user_id() == bob.user; });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->error_code(), 4061);
  // Tracks are checked: a flow_id is required, an unknown media type refused.
  EXPECT_EQ(alice.request("MEDIA_UPDATE", s, R"({"add_tracks": [{"track_id": "x", "kind": "audio", "codec": "opus/48000/2"}]})").error_code(), 4001);
  EXPECT_EQ(alice.request("MEDIA_UPDATE", s, R"({"add_tracks": [{"track_id": "x", "kind": "smell", "codec": "x", "flow_id": 3}]})").error_code(), 4062);
}

TEST_F(Calls, TransferInvitesTheTargetAndTheTransferringPartyLeavesWhenItAccepts) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  auto carol = phone(id("carol"), "c1");
  const auto s = id("s");
  connect_call(alice, bob, s);
  auto transfer = bob.request("SESSION", s, R"({"action": "transfer", "transfer_to_user_id": ")" + carol.user + R"("})");
  expect_receipt(transfer, "transferring");
  auto told = alice.next("SESSION", s);
  ASSERT_TRUE(told);
  EXPECT_EQ(told->payload_string("action"), "transfer");
  auto invite = carol.next("INVITE", s);
  ASSERT_TRUE(invite);
  EXPECT_EQ(invite->from_user_id(), "qsip-server");
  EXPECT_EQ(invite->payload_string("caller_user_id"), alice.user);
  EXPECT_EQ(invite->payload_string("transferred_by"), bob.user);
  EXPECT_EQ(*invite->payload_json("media_types"), R"(["audio"])");
  EXPECT_EQ(bob.request("SESSION", s, R"({"action": "transfer", "transfer_to_user_id": ")" + carol.user + R"("})").error_code(),
            4051) << "one transfer at a time";

  expect_receipt(carol.request("ACCEPT", s, kAudioAccept, {alice.user}), "active");
  auto accepted = alice.next("ACCEPT", s);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->from_user_id(), carol.user);
  auto left = bob.next("END", s);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->payload_string("reason"), "transferred");
  // Alice and Carol are in the call; Bob is not.
  expect_receipt(alice.request("KEY_EXCHANGE", s, key_payload(1)), "active");
  ASSERT_TRUE(carol.next("KEY_EXCHANGE", s));
  EXPECT_EQ(bob.request("KEY_EXCHANGE", s, key_payload(2)).error_code(), 4051);
  expect_receipt(carol.request("END", s, reason_payload("hangup")), "terminated");
  ASSERT_TRUE(alice.next("END", s));
}

TEST_F(Calls, TransferToSomeoneWhoDeclinesKeepsTheCall) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  auto carol = phone(id("carol"), "c1");
  const auto s = id("s");
  connect_call(alice, bob, s);
  expect_receipt(bob.request("SESSION", s, R"({"action": "transfer", "transfer_to_user_id": ")" + carol.user + R"("})"),
                 "transferring");
  ASSERT_TRUE(carol.next("INVITE", s));
  expect_receipt(carol.request("REJECT", s, reason_payload("decline")), "terminated");
  auto declined = bob.next("REJECT", s);
  ASSERT_TRUE(declined) << "the transferring party learns of it";
  EXPECT_EQ(declined->from_user_id(), carol.user);
  expect_receipt(bob.request("KEY_EXCHANGE", s, key_payload(1)), "active");
  ASSERT_TRUE(alice.next("KEY_EXCHANGE", s)) << "alice and bob are still in the call";
  EXPECT_EQ(bob.request("SESSION", s, R"({"action": "transfer", "transfer_to_user_id": ")" + id("nobody") + R"("})").error_code(), 4041);
}

TEST_F(Calls, ThreePartyGroupCallWithALateJoinerAndLeavers) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  auto carol = phone(id("carol"), "c1");
  auto dave = phone(id("dave"), "d1");
  auto eve = phone(id("eve"), "e1");  // not a member
  const auto gid = id("g");
  auto group = [](const Phone& p, const core::ObjectBuilder& payload) {
    return p.client->request(qsip::test::envelope("GROUP", p.user, p.device, payload.json())).get();
  };
  ASSERT_EQ(group(alice, GroupPayload().action("create").group_id(gid).name("Team").visibility("public")).type(), "RECEIPT");
  for (const Phone* p : {&bob, &carol, &dave})
    ASSERT_EQ(group(*p, GroupPayload().action("join").group_id(gid)).type(), "RECEIPT") << p->user;

  EXPECT_EQ(eve.request("INVITE", id("s-eve"), kAudioInvite, {{}, gid}).error_code(), 4031) << "members only";
  EXPECT_EQ(alice.request("INVITE", id("s-none"), kAudioInvite, {{}, id("no-group")}).error_code(), 4042);

  const auto s = id("s");
  auto invited = alice.request("INVITE", s, kAudioInvite, {{}, gid});
  expect_receipt(invited, "inviting");
  EXPECT_EQ(invited.payload_int("ringing_devices"), 3);
  for (const Phone* p : {&bob, &carol, &dave}) ASSERT_TRUE(p->next("INVITE", s)) << p->user;

  // Bob joins: Alice gets his ACCEPT and a participant_joined notice.
  expect_receipt(bob.request("ACCEPT", s, kAudioAccept), "active");
  ASSERT_TRUE(alice.next("ACCEPT", s));
  auto joined = alice.next("SESSION", s);
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->payload_string("action"), "participant_joined");
  EXPECT_EQ(joined->payload_string("user_id"), bob.user);
  // Dave declines: the session goes on.
  expect_receipt(dave.request("REJECT", s, reason_payload("decline")), "terminated");
  auto declined = alice.next("REJECT", s);
  ASSERT_TRUE(declined);
  EXPECT_EQ(declined->from_user_id(), dave.user);
  // Carol joins late: both Alice and Bob are told.
  expect_receipt(carol.request("ACCEPT", s, kAudioAccept), "active");
  for (const Phone* p : {&alice, &bob}) {
    auto notice = wait_for(*p->client, [&](const Message& m) {
      return m.type() == "SESSION" && m.payload_string("action") == "participant_joined" && m.payload_string("user_id") == carol.user;
    });
    ASSERT_TRUE(notice) << p->user;
  }
  // A key reaches both other participants, nobody else.
  expect_receipt(alice.request("KEY_EXCHANGE", s, key_payload(1)), "active");
  ASSERT_TRUE(bob.next("KEY_EXCHANGE", s));
  ASSERT_TRUE(carol.next("KEY_EXCHANGE", s));
  EXPECT_TRUE(dave.hears_nothing(s, 200ms));
  EXPECT_TRUE(eve.hears_nothing(s, 200ms));

  // Bob leaves; Alice and Carol go on.
  expect_receipt(bob.request("END", s, reason_payload("hangup")), "terminated");
  for (const Phone* p : {&alice, &carol}) {
    auto left = p->next("SESSION", s);
    ASSERT_TRUE(left) << p->user;
    EXPECT_EQ(left->payload_string("action"), "participant_left");
    EXPECT_EQ(left->payload_string("user_id"), bob.user);
  }
  expect_receipt(carol.request("KEY_EXCHANGE", s, key_payload(2)), "active");
  ASSERT_TRUE(alice.next("KEY_EXCHANGE", s));
  EXPECT_TRUE(bob.hears_nothing(s, 200ms));
  // The session lives while participants remain: Carol leaves, then Alice.
  expect_receipt(carol.request("END", s, reason_payload("hangup")), "terminated");
  ASSERT_TRUE(alice.next("SESSION", s));
  expect_receipt(alice.request("KEY_EXCHANGE", s, key_payload(3)), "active");
  expect_receipt(alice.request("END", s, reason_payload("hangup")), "terminated");
  EXPECT_EQ(alice.request("KEY_EXCHANGE", s, key_payload(4)).error_code(), 4043) << "the last one left: gone";
}

TEST_F(Calls, ADisconnectEndsAOneToOneCall) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  const auto s = id("s");
  connect_call(alice, bob, s);
  bob.client->close();
  auto end = alice.next("END", s);
  ASSERT_TRUE(end);
  EXPECT_EQ(end->payload_string("reason"), "connection_lost");
  EXPECT_EQ(end->from_user_id(), "qsip-server");
  EXPECT_EQ(alice.request("SESSION", s, action_payload("hold")).error_code(), 4043);
}

// A participant that stops reading (a raw QUIC client that never runs its
// loop again) does not delay the others: their traffic keeps flowing.
TEST_F(Calls, AParticipantWhoStopsReadingDoesNotDelayTheOthers) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  const auto stuck_user = id("stuck");
  const auto gid = id("g");
  { phone(stuck_user, "s1"); }
  auto group = [](const Phone& p, const core::ObjectBuilder& payload) {
    return p.client->request(qsip::test::envelope("GROUP", p.user, p.device, payload.json())).get();
  };
  ASSERT_EQ(group(alice, GroupPayload().action("create").group_id(gid).name("Team").visibility("public")).type(), "RECEIPT");
  ASSERT_EQ(group(bob, GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");
  {
    auto stuck_phone = phone(stuck_user, "s1");
    ASSERT_EQ(group(stuck_phone, GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");
  }
  qsip::test::RawQuicClient stuck(server_->port());
  auto registered = stuck.register_as(stuck_user, "s1", server_->token(stuck_user, "s1"));
  ASSERT_TRUE(registered && registered->type() == "RECEIPT");

  const auto s = id("s");
  expect_receipt(alice.request("INVITE", s, kAudioInvite, {{}, gid}), "inviting");
  ASSERT_TRUE(bob.next("INVITE", s));
  expect_receipt(bob.request("ACCEPT", s, kAudioAccept), "active");
  Phone stuck_identity{stuck_user, "s1", nullptr};
  stuck.send(0, core::encode_frame(stuck_identity.envelope("ACCEPT", s, kAudioAccept)));
  stuck.run_until([] { return false; }, 300ms);  // the ACCEPT leaves; from now on, it never reads
  ASSERT_TRUE(wait_for(*alice.client, [&](const Message& m) {
    return m.type() == "SESSION" && m.payload_string("user_id") == stuck_user;
  })) << "the stuck client joined";

  // Alice sends a burst of channel updates (about 1 KB each); Bob gets
  // every one promptly although the stuck participant reads none.
  const std::string padding(900, 'x');
  const int kBurst = 150;
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kBurst; ++i)
    alice.client->send(alice.envelope("CHANNEL_UPDATE", s,
                                      R"({"channels": {"video": {"enabled": true}}, "note": ")" + padding + R"("})"));
  int received = 0;
  while (received < kBurst) {
    if (!wait_for(*bob.client, [&](const Message& m) { return m.type() == "CHANNEL_UPDATE"; }, 5s)) break;
    ++received;
  }
  EXPECT_EQ(received, kBurst);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  // And a round trip between the two who read is still quick.
  auto before = std::chrono::steady_clock::now();
  expect_receipt(bob.request("KEY_EXCHANGE", s, key_payload(1)), "active");
  ASSERT_TRUE(alice.next("KEY_EXCHANGE", s));
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
}

namespace {

std::uint16_t free_udp_port() {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The absolute path of `program` on PATH (ChildProcess does not search PATH), or "".
std::string which(const std::string& program) {
  std::string out;
  if (FILE* pipe = ::popen(("command -v " + program + " 2>/dev/null").c_str(), "r")) {
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
    ::pclose(pipe);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

// Draft 7.5: the REGISTER receipt carries TURN credentials (coturn's
// use-auth-secret scheme) that a real coturn accepts; a wrong one it refuses.
TEST(CallsTurn, RegisterReceiptCarriesCredentialsThatCoturnAccepts) {
  const auto turnserver = which("turnserver"), uclient_path = which("turnutils_uclient");
  if (turnserver.empty() || uclient_path.empty())
    GTEST_FAIL() << "coturn is not installed (scripts/install-deps installs it)";
  qsip::test::TempDir dir;
  const std::string secret = "qsip-turn-test-secret";
  const auto turn_port = free_udp_port();
  const auto relay_low = free_udp_port();
  std::vector<std::string> turn_argv = {
      turnserver, "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
      "--listening-port=" + std::to_string(turn_port), "--use-auth-secret", "--static-auth-secret=" + secret,
      "--realm=qsip.test", "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers", "--simple-log",
      "--log-file=" + (dir.path() / "turn.log").string(), "--pidfile=" + (dir.path() / "turn.pid").string(),
      "--userdb=" + (dir.path() / "turndb").string(),
      "--min-port=" + std::to_string(std::max<int>(relay_low, 49152)),
      "--max-port=" + std::to_string(std::max<int>(relay_low, 49152) + 200)};
  qsip::test::ChildProcess coturn(turn_argv);

  RunningQsipd qsipd({}, "[turn]\nurls = [\"turn:127.0.0.1:" + std::to_string(turn_port) +
                             "?transport=udp\"]\nsecret = \"" + secret + "\"\nttl_seconds = 600\n");
  const std::string user = "u-turn-alice";
  auto client = qsipd.connect();
  auto payload = core::builders::RegisterPayload().auth_token(qsipd.token(user, "d1")).device_info(core::RawJson{"{}"});
  auto receipt = client->request(qsip::test::envelope("REGISTER", user, "d1", payload.json())).get();
  ASSERT_EQ(receipt.payload_string("status"), "registered") << receipt.json();
  auto turn_json = receipt.payload_json("turn");
  ASSERT_TRUE(turn_json) << receipt.json();
  simdjson::dom::parser parser;
  auto turn = parser.parse(*turn_json);
  const std::string username(std::string_view(turn["username"].get_string()));
  const std::string credential(std::string_view(turn["credential"].get_string()));
  EXPECT_EQ(std::string_view(turn["urls"].at(0).get_string()),
            "turn:127.0.0.1:" + std::to_string(turn_port) + "?transport=udp");
  EXPECT_EQ(std::int64_t(turn["ttl"].get_int64()), 600);
  auto colon = username.find(':');
  ASSERT_NE(colon, std::string::npos);
  EXPECT_EQ(username.substr(colon + 1), user);
  auto expiry = std::stoll(username.substr(0, colon));
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(static_cast<double>(expiry - now), 600.0, 30.0);

  auto allocate = [&](const std::string& password) {
    qsip::test::ChildProcess uclient({uclient_path, "-y", "-c", "-n", "1", "-m", "1", "-l", "100", "-u", username, "-w",
                          password, "-p", std::to_string(turn_port), "127.0.0.1"});
    auto status = uclient.wait_exit(20s);
    return std::make_pair(status.value_or(-1), uclient.stdout_text() + uclient.stderr_text());
  };
  // coturn may take a moment to listen: the right credential is retried briefly.
  std::pair<int, std::string> good{-1, {}};
  for (int attempt = 0; attempt < 10 && good.first != 0; ++attempt) {
    good = allocate(credential);
    if (good.first != 0) std::this_thread::sleep_for(300ms);
  }
  EXPECT_EQ(good.first, 0) << good.second;
  EXPECT_NE(good.second.find("tot_recv_msgs=2"), std::string::npos) << "data went through the relay:\n" << good.second;
  EXPECT_EQ(good.second.find("Cannot complete Allocation"), std::string::npos) << good.second;

  auto bad = allocate("d3JvbmcgY3JlZGVudGlhbA==");
  EXPECT_NE(bad.first, 0) << bad.second;
  EXPECT_NE(bad.second.find("Cannot complete Allocation"), std::string::npos) << bad.second;
  coturn.send_signal(SIGTERM);
  coturn.wait_exit(5s);
}
