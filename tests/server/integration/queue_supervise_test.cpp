// Supervisors in queue calls end to end (docs/call-centre.md "Supervisors"):
// the real qsipd over real QUIC. Who may supervise and which calls; listen,
// whisper and barge with what each side is told (the customer never learns
// of a supervisor who listens or whispers); leaving and rejoining.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "client_waits.hpp"
#include "core/varint.hpp"
#include "queue_e2e.hpp"
#include "running_qsipd.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::envelope;
using qsip::test::wait_for;
using namespace qsip::test::queue_e2e;

namespace {

constexpr const char* kAgentTracks =
    R"({"tracks":[{"track_id":"agent-audio","kind":"audio","codec":"opus/48000/2","flow_id":10}]})";
constexpr const char* kSupervisorTracks =
    R"("tracks":[{"track_id":"sup-audio","kind":"audio","codec":"opus/48000/2","flow_id":30}])";

std::string key_exchange(int key_id) {
  return R"({"mechanism":"sframe","key_material":"a2V5)" + std::to_string(key_id) + R"(","key_id":)" +
         std::to_string(key_id) + "}";
}

// The next message of call session `session` that `client` receives.
std::optional<Message> next_in(Client& client, const std::string& session) {
  return wait_for(client, [&](const Message& m) { return m.session_id() == session; });
}

// One media datagram (wire profile 7): varint(flow) || a 12-byte RTP header
// (version 2, payload type 111, sequence `seq`) || 32 bytes starting with `tag`.
std::vector<std::uint8_t> datagram(std::uint64_t flow, std::uint16_t seq, std::uint8_t tag) {
  std::uint8_t bytes[8 + 12 + 32] = {};
  std::size_t n = core::varint_encode(flow, bytes);
  const std::uint8_t header[12] = {0x80, 111, static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq),
                                   0, 0, 0, 0, 0x0a, 0x0b, 0x0c, 0x0d};
  for (std::uint8_t h : header) bytes[n++] = h;
  for (std::uint8_t i = 0; i < 32; ++i) bytes[n++] = static_cast<std::uint8_t>(tag + i);
  return {bytes, bytes + n};
}

// The datagrams a client receives: (flow id, tag), collected on its thread.
class DatagramSink {
 public:
  explicit DatagramSink(Client& client) {
    client.on_datagram([this](std::span<const std::uint8_t> data) {
      auto flow = core::varint_decode(data);
      if (!flow || data.size() < flow->size + 13) return;
      std::lock_guard lock(mutex_);
      got_.emplace_back(flow->value, data[flow->size + 12]);
      changed_.notify_all();
    });
  }
  // The flow a datagram tagged `tag` arrived on, once one has.
  std::optional<std::uint64_t> wait_tag(std::uint8_t tag, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<std::uint64_t> flow;
    changed_.wait_for(lock, timeout, [&] {
      for (const auto& [f, t] : got_)
        if (t == tag) flow = f;
      return flow.has_value();
    });
    return flow;
  }
  bool has(std::uint8_t tag) {
    std::lock_guard lock(mutex_);
    for (const auto& [f, t] : got_)
      if (t == tag) return true;
    return false;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<std::uint64_t, std::uint8_t>> got_;
};

// Sends `tag` on `flow` from `from` until `to` receives it (the datagram
// itself is unreliable); the flow it arrived on.
std::optional<std::uint64_t> send_until(Client& from, std::uint64_t flow, std::uint8_t tag, DatagramSink& to) {
  for (std::uint16_t attempt = 0; attempt < 20; ++attempt) {
    from.send_datagram(datagram(flow, attempt, tag));
    if (auto got = to.wait_tag(tag, 250ms)) return got;
  }
  return std::nullopt;
}

// The flow_id of `track_id` in a JSON array of tracks.
std::optional<std::uint64_t> flow_in(const std::string& tracks_json, std::string_view track_id) {
  simdjson::dom::parser parser;
  simdjson::dom::array tracks;
  if (parser.parse(tracks_json).get(tracks)) return std::nullopt;
  for (auto t : tracks) {
    std::string_view id;
    std::uint64_t flow = 0;
    if (!t["track_id"].get(id) && id == track_id && !t["flow_id"].get(flow)) return flow;
  }
  return std::nullopt;
}

class Supervision : public QueueE2E {
 protected:
  // A customer in an answered queue call with agent A (flow 10 announced).
  void answered_call() {
    start();
    customer = login("u-customer", "d-u-customer");
    a = agent("u-agent-a");
    supervisor = login("u-supervisor", "d-u-supervisor");
    item = enqueue(*customer, "u-customer");
    ASSERT_TRUE(wait_for(*a, queue_action("offer_item", item)));
    ASSERT_EQ(ask(*a, "u-agent-a", "d-u-agent-a",
                  R"({"action":"agent_accept","queue_id":"support","item_id":")" + item + "\"}").type(), "RECEIPT");
    session = "s-" + item;
    ASSERT_TRUE(wait_for(*a, in_call("INVITE", session)));
    ASSERT_EQ(call(*a, "u-agent-a", "ACCEPT", session, kAgentTracks, "u-customer").type(), "RECEIPT");
    ASSERT_TRUE(wait_for(*customer, in_call("ACCEPT", session)));
  }
  Message supervise(const std::string& mode, const std::string& tail = {}) {
    return call(*supervisor, "u-supervisor", "SESSION", session,
                R"({"action":")" + mode + "\"" + (tail.empty() ? "" : "," + tail) + "}");
  }

  // Sinks are declared first: destroyed after the clients whose threads feed them.
  std::unique_ptr<DatagramSink> customer_media, agent_media, supervisor_media;
  std::unique_ptr<Client> customer, a, supervisor;
  std::string item, session;
};

}  // namespace

TEST_F(Supervision, OnlySupervisorsAndAdminsSuperviseAnsweredQueueCalls) {
  start();
  auto customer_ = login("u-customer", "d-u-customer");
  auto agent_a = agent("u-agent-a");
  auto sup = login("u-supervisor", "d-u-supervisor");
  auto root = login("u-root", "d-u-root");
  const auto queued = enqueue(*customer_, "u-customer");
  ASSERT_TRUE(wait_for(*agent_a, queue_action("offer_item", queued)));
  ASSERT_EQ(ask(*agent_a, "u-agent-a", "d-u-agent-a",
                R"({"action":"agent_accept","queue_id":"support","item_id":")" + queued + "\"}").type(), "RECEIPT");
  const std::string s = "s-" + queued;
  ASSERT_TRUE(wait_for(*agent_a, in_call("INVITE", s)));

  // Ringing, not answered yet: 4051.
  auto early = call(*sup, "u-supervisor", "SESSION", s, R"({"action":"listen"})");
  EXPECT_EQ(early.error_code(), 4051) << early.json();
  ASSERT_EQ(call(*agent_a, "u-agent-a", "ACCEPT", s, "{}", "u-customer").type(), "RECEIPT");

  // Not a supervisor (the agent, the customer): 4014, whatever the session.
  for (auto [client, user] : {std::pair{agent_a.get(), "u-agent-a"}, std::pair{customer_.get(), "u-customer"}}) {
    auto refused = call(*client, user, "SESSION", s, R"({"action":"whisper"})");
    EXPECT_EQ(refused.error_code(), 4014) << refused.json();
    EXPECT_NE(std::string(refused.payload_string("detail").value_or("")).find("payload.action"), std::string::npos);
  }
  // Unknown session: 4043.
  auto unknown = call(*sup, "u-supervisor", "SESSION", "s-nowhere", R"({"action":"listen"})");
  EXPECT_EQ(unknown.error_code(), 4043) << unknown.json();
  // A direct call, not a queue call: 4031.
  auto x = login("u-x", "d-u-x");
  auto y = login("u-y", "d-u-y");
  ASSERT_EQ(call(*x, "u-x", "INVITE", "s-private", R"({"media_types":["audio"]})", "u-y").type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*y, in_call("INVITE", "s-private")));
  ASSERT_EQ(call(*y, "u-y", "ACCEPT", "s-private", "{}", "u-x").type(), "RECEIPT");
  auto direct = call(*sup, "u-supervisor", "SESSION", "s-private", R"({"action":"listen"})");
  EXPECT_EQ(direct.error_code(), 4031) << direct.json();
  EXPECT_NE(std::string(direct.payload_string("detail").value_or("")).find("session_id"), std::string::npos);
  // A track without a flow id: 4001.
  auto bad = call(*sup, "u-supervisor", "SESSION", s,
                  R"({"action":"whisper","tracks":[{"track_id":"t","kind":"audio","codec":"opus/48000/2"}]})");
  EXPECT_EQ(bad.error_code(), 4001) << bad.json();
  // A server admin may, as may the configured supervisor.
  auto admin = call(*root, "u-root", "SESSION", s, R"({"action":"listen"})");
  ASSERT_EQ(admin.type(), "RECEIPT") << admin.json();
  EXPECT_EQ(admin.payload_string("mode"), "listen");
  auto joined = call(*sup, "u-supervisor", "SESSION", s, R"({"action":"listen"})");
  ASSERT_EQ(joined.type(), "RECEIPT") << joined.json();
  // The agent's own SESSION controls still work, and reach both supervisors.
  ASSERT_EQ(call(*agent_a, "u-agent-a", "SESSION", s, R"({"action":"mute"})").type(), "RECEIPT");
  auto muted = wait_for(*sup, [&](const Message& m) { return m.type() == "SESSION" && m.payload_string("action") == "mute"; });
  ASSERT_TRUE(muted);
  EXPECT_EQ(muted->from_user_id(), "u-agent-a");
}

TEST_F(Supervision, ListenWhisperBargeAndLeave) {
  ASSERT_NO_FATAL_FAILURE(answered_call());

  // Listen: the supervisor's device learns the session's media and the
  // participants' tracks (flow ids); the agent is told, the customer not.
  auto listening = supervise("listen");
  ASSERT_EQ(listening.type(), "RECEIPT") << listening.json();
  EXPECT_EQ(listening.payload_string("state"), "active");
  EXPECT_EQ(listening.payload_string("mode"), "listen");
  EXPECT_EQ(listening.payload_string("queue_item_id"), item);
  EXPECT_NE(listening.payload_json("codecs")->find("opus/48000/2"), std::string::npos);
  const auto participants = listening.payload_json("participants").value_or("");
  EXPECT_NE(participants.find(R"("user_id":"u-customer","device_id":"d-u-customer","role":"customer")"), std::string::npos)
      << participants;
  EXPECT_NE(participants.find(R"("role":"agent")"), std::string::npos) << participants;
  EXPECT_NE(participants.find(R"("track_id":"agent-audio","kind":"audio","flow_id":10)"), std::string::npos) << participants;
  auto told = wait_for(*a, in_call("SESSION", session));
  ASSERT_TRUE(told);
  EXPECT_EQ(told->from_user_id(), "qsip-server");
  EXPECT_EQ(told->payload_string("action"), "participant_joined");
  EXPECT_EQ(told->payload_string("user_id"), "u-supervisor");
  EXPECT_EQ(told->payload_string("role"), "supervisor");
  EXPECT_EQ(told->payload_string("mode"), "listen");

  // What the customer and agent say reaches the supervisor.
  ASSERT_EQ(call(*customer, "u-customer", "KEY_EXCHANGE", session, key_exchange(1)).type(), "RECEIPT");
  auto heard = wait_for(*supervisor, in_call("KEY_EXCHANGE", session));
  ASSERT_TRUE(heard);
  EXPECT_EQ(heard->from_user_id(), "u-customer");
  ASSERT_TRUE(wait_for(*a, in_call("KEY_EXCHANGE", session)));

  // Whisper, with a track: relayed to the agent; the supervisor's messages reach the agent only.
  auto whispering = supervise("whisper", kSupervisorTracks);
  ASSERT_EQ(whispering.type(), "RECEIPT") << whispering.json();
  EXPECT_EQ(whispering.payload_string("mode"), "whisper");
  auto relayed = wait_for(*a, in_call("SESSION", session));
  ASSERT_TRUE(relayed);
  EXPECT_EQ(relayed->from_user_id(), "u-supervisor");
  EXPECT_EQ(relayed->payload_string("action"), "whisper");
  EXPECT_NE(relayed->payload_json("tracks")->find("\"flow_id\":30"), std::string::npos);
  ASSERT_EQ(call(*supervisor, "u-supervisor", "KEY_EXCHANGE", session, key_exchange(3)).type(), "RECEIPT");
  auto key = wait_for(*a, in_call("KEY_EXCHANGE", session));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->from_user_id(), "u-supervisor");
  // The customer cannot address it: to the customer it is not in the call.
  auto addressed = call(*customer, "u-customer", "KEY_EXCHANGE", session, key_exchange(4), "u-supervisor");
  EXPECT_EQ(addressed.error_code(), 4043) << addressed.json();
  // Nor can it address the customer, who does not know of it.
  auto hidden = call(*supervisor, "u-supervisor", "KEY_EXCHANGE", session, key_exchange(5), "u-customer");
  EXPECT_EQ(hidden.error_code(), 4051) << hidden.json();
  // A supervisor only changes its mode, mutes or leaves.
  EXPECT_EQ(supervise("hold").error_code(), 4051);
  // The customer's MEDIA_UPDATE reaches both; the agent, not the hidden
  // supervisor, confirms it back to the customer.
  auto update = customer->request(in_session(envelope("MEDIA_UPDATE", "u-customer", "d-u-customer",
      R"({"add_tracks":[{"track_id":"c-audio","kind":"audio","codec":"opus/48000/2","flow_id":20}]})", "mu-1"),
      session)).get();
  ASSERT_EQ(update.type(), "RECEIPT") << update.json();
  ASSERT_TRUE(wait_for(*supervisor, in_call("MEDIA_UPDATE", session)));
  ASSERT_TRUE(wait_for(*a, in_call("MEDIA_UPDATE", session)));
  auto confirm = R"({"target_message_id":"mu-1"})";
  EXPECT_EQ(call(*supervisor, "u-supervisor", "MEDIA_UPDATE", session, confirm).error_code(), 4051);
  ASSERT_EQ(call(*a, "u-agent-a", "MEDIA_UPDATE", session, confirm).type(), "RECEIPT");
  auto confirmed = next_in(*customer, session);
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->type(), "MEDIA_UPDATE");
  EXPECT_EQ(confirmed->from_user_id(), "u-agent-a");

  // The agent's next message is the first the customer gets in the call
  // since the ACCEPT: nothing about the supervisor came before it.
  ASSERT_EQ(call(*a, "u-agent-a", "KEY_EXCHANGE", session, key_exchange(2)).type(), "RECEIPT");
  auto first_seen = next_in(*customer, session);
  ASSERT_TRUE(first_seen);
  EXPECT_EQ(first_seen->type(), "KEY_EXCHANGE") << first_seen->json();
  EXPECT_EQ(first_seen->from_user_id(), "u-agent-a") << first_seen->json();
  ASSERT_TRUE(wait_for(*supervisor, [&](const Message& m) { return m.type() == "KEY_EXCHANGE" && m.from_user_id() == "u-agent-a"; }));

  // Barge: the customer is told now, with the supervisor's tracks; the agent gets the SESSION.
  ASSERT_EQ(supervise("barge").type(), "RECEIPT");
  auto revealed = next_in(*customer, session);
  ASSERT_TRUE(revealed);
  EXPECT_EQ(revealed->type(), "SESSION");
  EXPECT_EQ(revealed->payload_string("action"), "participant_joined");
  EXPECT_EQ(revealed->payload_string("user_id"), "u-supervisor");
  EXPECT_EQ(revealed->payload_string("mode"), "barge");
  EXPECT_NE(revealed->payload_json("tracks")->find("\"flow_id\":30"), std::string::npos) << revealed->json();
  auto barged = wait_for(*a, in_call("SESSION", session));
  ASSERT_TRUE(barged);
  EXPECT_EQ(barged->payload_string("action"), "barge");
  ASSERT_EQ(call(*supervisor, "u-supervisor", "KEY_EXCHANGE", session, key_exchange(6), "u-customer").type(), "RECEIPT");
  auto to_customer = next_in(*customer, session);
  ASSERT_TRUE(to_customer);
  EXPECT_EQ(to_customer->type(), "KEY_EXCHANGE");
  EXPECT_EQ(to_customer->from_user_id(), "u-supervisor");

  // Back to listening: the supervisor leaves the customer's view.
  ASSERT_EQ(supervise("listen").type(), "RECEIPT");
  auto gone = next_in(*customer, session);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->payload_string("action"), "participant_left");
  EXPECT_EQ(gone->payload_string("user_id"), "u-supervisor");
  ASSERT_TRUE(wait_for(*a, [&](const Message& m) { return m.type() == "SESSION" && m.payload_string("action") == "listen"; }));

  // END: the supervisor leaves, the call goes on.
  auto left = call(*supervisor, "u-supervisor", "END", session, R"({"reason":"hangup"})");
  ASSERT_EQ(left.type(), "RECEIPT") << left.json();
  EXPECT_EQ(left.payload_string("state"), "terminated");
  auto out = wait_for(*a, in_call("SESSION", session));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->payload_string("action"), "participant_left");
  EXPECT_EQ(out->payload_string("user_id"), "u-supervisor");
  ASSERT_EQ(call(*a, "u-agent-a", "KEY_EXCHANGE", session, key_exchange(7)).type(), "RECEIPT");
  auto still = next_in(*customer, session);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->type(), "KEY_EXCHANGE") << "the customer saw the listening supervisor leave: " << still->json();

  // It may come back; when the customer hangs up, the supervisor gets the END.
  ASSERT_EQ(supervise("listen").type(), "RECEIPT");
  ASSERT_EQ(call(*customer, "u-customer", "END", session, R"({"reason":"hangup"})").type(), "RECEIPT");
  auto over = wait_for(*supervisor, in_call("END", session));
  ASSERT_TRUE(over);
  EXPECT_EQ(over->from_user_id(), "u-customer");
  auto resolved = wait_for(*customer, queue_action("dequeue", item));
  ASSERT_TRUE(resolved);
  EXPECT_EQ(status_member(*resolved, "state"), "\"RESOLVED\"");
}

// A supervisor's lost connection takes only the supervisor out of the call.
TEST_F(Supervision, ASupervisorsLostConnectionLeavesTheCallGoingOn) {
  ASSERT_NO_FATAL_FAILURE(answered_call());
  ASSERT_EQ(supervise("barge").type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*customer, in_call("SESSION", session)));
  supervisor.reset();
  auto left = wait_for(*customer, in_call("SESSION", session));
  ASSERT_TRUE(left);
  EXPECT_EQ(left->payload_string("action"), "participant_left");
  EXPECT_EQ(left->payload_string("user_id"), "u-supervisor");
  ASSERT_EQ(call(*customer, "u-customer", "KEY_EXCHANGE", session, key_exchange(1)).type(), "RECEIPT");
  EXPECT_TRUE(wait_for(*a, in_call("KEY_EXCHANGE", session)));
}

// The media paths (the relay forwards by media mode): listening, the
// supervisor hears both sides and is heard by nobody; whispering, the agent
// alone hears it; barging, both do. Everyone chose flow id 10, so the flow
// ids each receiver was told (and sees) are the relay's per-receiver ones.
// Where a datagram must NOT arrive, a marker sent afterwards on a forwarded
// flow shows the path was open.
TEST_F(Supervision, MediaFollowsTheSupervisorsMode) {
  ASSERT_NO_FATAL_FAILURE(answered_call());
  customer_media = std::make_unique<DatagramSink>(*customer);
  agent_media = std::make_unique<DatagramSink>(*a);
  supervisor_media = std::make_unique<DatagramSink>(*supervisor);
  // The customer announces its audio track (it sent no INVITE: the server did).
  ASSERT_EQ(call(*customer, "u-customer", "MEDIA_UPDATE", session,
                 R"({"add_tracks":[{"track_id":"c-audio","kind":"audio","codec":"opus/48000/2","flow_id":10}]})").type(),
            "RECEIPT");
  ASSERT_TRUE(wait_for(*a, in_call("MEDIA_UPDATE", session)));
  ASSERT_TRUE(send_until(*customer, 10, 0x01, *agent_media));
  ASSERT_TRUE(send_until(*a, 10, 0x02, *customer_media));

  // Listen: both sides reach the supervisor, on the flow ids its RECEIPT named.
  auto listening = supervise("listen", R"("tracks":[{"track_id":"sup-audio","kind":"audio","codec":"opus/48000/2","flow_id":10}])");
  ASSERT_EQ(listening.type(), "RECEIPT") << listening.json();
  simdjson::dom::parser parser;
  simdjson::dom::array participants;
  ASSERT_FALSE(parser.parse(listening.payload_json("participants").value_or("")).get(participants));
  std::optional<std::uint64_t> customer_flow, agent_flow;
  for (auto p : participants) {
    std::string_view user;
    ASSERT_FALSE(p["user_id"].get(user));
    auto tracks = simdjson::to_string(p["tracks"]);
    if (user == "u-customer") customer_flow = flow_in(std::string(tracks), "c-audio");
    if (user == "u-agent-a") agent_flow = flow_in(std::string(tracks), "agent-audio");
  }
  ASSERT_TRUE(customer_flow && agent_flow) << listening.json();
  EXPECT_NE(*customer_flow, *agent_flow) << "both chose flow 10: the supervisor sees them apart";
  // The agent learns the supervisor's track, on the flow id it will see it with.
  auto told = wait_for(*a, [](const Message& m) { return m.payload_string("action") == "participant_joined"; });
  ASSERT_TRUE(told);
  auto agent_sees = flow_in(told->payload_json("tracks").value_or(""), "sup-audio");
  ASSERT_TRUE(agent_sees) << told->json();
  EXPECT_EQ(send_until(*customer, 10, 0x11, *supervisor_media), customer_flow);
  EXPECT_EQ(send_until(*a, 10, 0x12, *supervisor_media), agent_flow);
  // Its own datagrams reach nobody.
  for (std::uint16_t i = 0; i < 5; ++i) supervisor->send_datagram(datagram(10, i, 0x13));
  ASSERT_TRUE(send_until(*customer, 10, 0x14, *agent_media));
  ASSERT_TRUE(send_until(*a, 10, 0x15, *customer_media));
  EXPECT_FALSE(agent_media->has(0x13)) << "a listening supervisor was heard by the agent";
  EXPECT_FALSE(customer_media->has(0x13)) << "a listening supervisor was heard by the customer";

  // Whisper: the agent hears it, the customer does not.
  ASSERT_EQ(supervise("whisper").type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*a, [](const Message& m) { return m.payload_string("action") == "whisper"; }));
  EXPECT_EQ(send_until(*supervisor, 10, 0x21, *agent_media), agent_sees);
  ASSERT_TRUE(send_until(*a, 10, 0x22, *customer_media));
  EXPECT_FALSE(customer_media->has(0x21)) << "the customer heard a whisper";
  // The supervisor still hears both sides.
  EXPECT_TRUE(send_until(*customer, 10, 0x23, *supervisor_media));
  EXPECT_TRUE(send_until(*a, 10, 0x24, *supervisor_media));

  // Barge: both hear it; the customer on the flow id its participant_joined named.
  ASSERT_EQ(supervise("barge").type(), "RECEIPT");
  auto joined = wait_for(*customer, [](const Message& m) { return m.payload_string("action") == "participant_joined"; });
  ASSERT_TRUE(joined);
  auto customer_sees = flow_in(joined->payload_json("tracks").value_or(""), "sup-audio");
  ASSERT_TRUE(customer_sees) << joined->json();
  EXPECT_EQ(send_until(*supervisor, 10, 0x31, *customer_media), customer_sees);
  EXPECT_TRUE(send_until(*supervisor, 10, 0x32, *agent_media));
  EXPECT_TRUE(send_until(*customer, 10, 0x33, *supervisor_media));

  // Gone: nothing more reaches it, and the call's own media goes on.
  ASSERT_EQ(call(*supervisor, "u-supervisor", "END", session, R"({"reason":"hangup"})").type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*customer, [](const Message& m) { return m.payload_string("action") == "participant_left"; }));
  for (std::uint16_t i = 0; i < 5; ++i) supervisor->send_datagram(datagram(10, i, 0x41));
  ASSERT_TRUE(send_until(*a, 10, 0x42, *customer_media));
  ASSERT_TRUE(send_until(*customer, 10, 0x43, *agent_media));
  EXPECT_FALSE(customer_media->has(0x41));
  EXPECT_FALSE(agent_media->has(0x41));
  EXPECT_FALSE(supervisor_media->has(0x42)) << "a supervisor who left still hears the call";
}
