// The media relay end to end (docs/calls.md "Media relay", "Datagram
// format", "Simulcast", "Metrics"): a real qsipd over QUIC with libqsip
// clients sending media datagrams (wire profile 7: varint(flow_id) || RTP).
// Waits are for datagrams or conditions, never fixed sleeps; where a test
// must show that something does NOT arrive it sends a marker afterwards on
// a forwarded flow and checks once the marker is in.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "call_envelope.hpp"
#include "client_waits.hpp"
#include "core/envelope_builder.hpp"
#include "core/payload_builders.hpp"
#include "core/varint.hpp"
#include "http_get.hpp"
#include "running_qsipd.hpp"
#include "shared_server_test.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using core::builders::GroupPayload;
using qsip::test::eventually;
using qsip::test::RunningQsipd;
using qsip::test::wait_for;

namespace {

// One media datagram: varint(flow) || a 12-byte RTP header (version 2,
// payload type 111, `seq`, SSRC `ssrc`) || `size` bytes that name `tag`.
std::vector<std::uint8_t> datagram(std::uint64_t flow, std::uint16_t seq, std::uint8_t tag, std::size_t size = 64,
                                   std::uint32_t ssrc = 0x01020304) {
  std::vector<std::uint8_t> out(core::varint_size(flow));
  core::varint_encode(flow, out.data());
  const std::uint8_t header[12] = {0x80, 111, static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq),
                                   0, 0, 0, static_cast<std::uint8_t>(seq),
                                   static_cast<std::uint8_t>(ssrc >> 24), static_cast<std::uint8_t>(ssrc >> 16),
                                   static_cast<std::uint8_t>(ssrc >> 8), static_cast<std::uint8_t>(ssrc)};
  out.insert(out.end(), header, header + 12);
  for (std::size_t i = 0; i < size; ++i) out.push_back(static_cast<std::uint8_t>(tag + i));
  return out;
}

// What a received datagram carries.
struct Received {
  std::uint64_t flow = 0;
  std::vector<std::uint8_t> rtp;  // everything after the flow id
  std::uint16_t seq() const { return static_cast<std::uint16_t>((rtp[2] << 8) | rtp[3]); }
  std::uint8_t tag() const { return rtp.size() > 12 ? rtp[12] : 0; }
};

std::vector<std::uint8_t> rtp_of(const std::vector<std::uint8_t>& d) {
  auto flow = core::varint_decode(d);
  return {d.begin() + static_cast<std::ptrdiff_t>(flow->size), d.end()};
}

// Collects the datagrams a client receives (on the client's thread).
class MediaSink {
 public:
  explicit MediaSink(Client& client) {
    client.on_datagram([this](std::span<const std::uint8_t> data) {
      auto flow = core::varint_decode(data);
      if (!flow) return;
      Received r{flow->value, std::vector<std::uint8_t>(data.begin() + static_cast<std::ptrdiff_t>(flow->size), data.end())};
      std::unique_lock lock(mutex_);
      got_.push_back(std::move(r));
      changed_.notify_all();
      // A stalled receiver: its client thread (and so its ACKs) stops here.
      stall_cv_.wait(lock, [this] { return !stalled_; });
    });
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return got_.size();
  }
  std::vector<Received> all() const {
    std::lock_guard lock(mutex_);
    return got_;
  }
  // Waits until a datagram with `tag` arrived; returns it.
  std::optional<Received> wait_tag(std::uint8_t tag, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    std::optional<Received> found;
    changed_.wait_for(lock, timeout, [&] {
      for (const auto& r : got_)
        if (r.tag() == tag) found = r;
      return found.has_value();
    });
    return found;
  }
  bool wait_count(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return got_.size() >= n; });
  }
  void clear() {
    std::lock_guard lock(mutex_);
    got_.clear();
  }
  void stall(bool on) {
    std::lock_guard lock(mutex_);
    stalled_ = on;
    stall_cv_.notify_all();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_, stall_cv_;
  std::vector<Received> got_;
  bool stalled_ = false;
};

using qsip::test::To;

// One user's registered device that also sends and receives media.
struct Phone {
  std::string user, device;
  // Declared before the client, so destroyed after it: the client's thread
  // may call the sink until the client is gone.
  std::unique_ptr<MediaSink> media;
  std::unique_ptr<Client> client;

  Message request(std::string_view type, std::string_view session, std::string_view payload, const To& to = {}) const {
    static std::atomic<int> counter{0};
    const auto message_id = "media-msg-" + std::to_string(++counter) + "-" + device;
    return client->request(qsip::test::call_envelope(type, message_id, user, device, session, payload, to)).get();
  }
  std::optional<Message> next(std::string_view type, std::string_view session) const {
    return wait_for(*client, [&](const Message& m) { return m.type() == type && m.session_id() == session; }, 5s);
  }
  void send(const std::vector<std::uint8_t>& d) const { ASSERT_TRUE(client->send_datagram(d)); }
  // Sends `d` again until a datagram tagged like it reaches `to` (the route
  // is in place once the signaling answered; the resends only cover the
  // unreliable datagram itself).
  std::optional<Received> send_until(const std::vector<std::uint8_t>& d, MediaSink& to) const {
    for (int attempt = 0; attempt < 20; ++attempt) {
      send(d);
      if (auto r = to.wait_tag(rtp_of(d)[12], 250ms)) return r;
    }
    return std::nullopt;
  }
};

void expect_ok(const Message& m) {
  ASSERT_EQ(m.type(), "RECEIPT") << m.json();
  EXPECT_EQ(m.payload_string("status"), "ok") << m.json();
}

std::string audio_track(std::string_view id, std::uint64_t flow) {
  return R"({"track_id": ")" + std::string(id) + R"(", "kind": "audio", "codec": "opus/48000/2", "flow_id": )" +
         std::to_string(flow) + "}";
}
std::string invite_with(const std::string& tracks, std::string_view types = R"(["audio"])") {
  return R"({"media_types": )" + std::string(types) + R"(, "codecs": {"audio": ["opus/48000/2"]}, "tracks": [)" + tracks + "]}";
}
std::string accept_with(const std::string& tracks) {
  return R"({"codecs": {"audio": ["opus/48000/2"]}, "tracks": [)" + tracks + "]}";
}

// The flow_id of `track_id` in a message's payload array `field`.
std::optional<std::uint64_t> flow_of(const Message& m, std::string_view field, std::string_view track_id) {
  auto json = m.payload_json(field);
  if (!json) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::array tracks;
  if (parser.parse(*json).get(tracks)) return std::nullopt;
  for (auto t : tracks) {
    std::string_view id;
    std::uint64_t flow = 0;
    if (!t["track_id"].get(id) && id == track_id && !t["flow_id"].get(flow)) return flow;
  }
  return std::nullopt;
}

// The value of a /metrics sample whose line starts with `prefix` (name and labels), or -1.
long long metric(const RunningQsipd& server, const std::string& prefix) {
  auto r = qsip::test::http_request("http://127.0.0.1:" + std::to_string(server.admin_port()) + "/metrics");
  std::size_t at = 0;
  while ((at = r.body.find(prefix, at)) != std::string::npos) {
    if (at == 0 || r.body[at - 1] == '\n') {
      auto end = r.body.find('\n', at);
      return std::stoll(r.body.substr(at + prefix.size(), end - at - prefix.size()));
    }
    at += prefix.size();
  }
  return -1;
}

std::string flow_labels(std::string_view name, std::string_view session, std::string_view user, std::uint64_t flow,
                        std::string_view direction) {
  return std::string(name) + "{session=\"" + std::string(session) + "\",user=\"" + std::string(user) + "\",flow=\"" +
         std::to_string(flow) + "\",direction=\"" + std::string(direction) + "\"} ";
}

class MediaRelay : public qsip::test::SharedServerTest {
 protected:
  static Phone phone(RunningQsipd& server, const std::string& user, const std::string& device) {
    Phone p{user, device, nullptr, server.connect_registered(user, device)};
    p.media = std::make_unique<MediaSink>(*p.client);
    return p;
  }
  static Phone phone(const std::string& user, const std::string& device) { return phone(*server_, user, device); }
  // caller calls callee, both announcing one audio track.
  static void connect_call(const Phone& caller, std::uint64_t caller_flow, const Phone& callee, std::uint64_t callee_flow,
                           const std::string& session) {
    expect_ok(caller.request("INVITE", session, invite_with(audio_track("ca", caller_flow)), {callee.user}));
    ASSERT_TRUE(callee.next("INVITE", session));
    expect_ok(callee.request("ACCEPT", session, accept_with(audio_track("cb", callee_flow)), {caller.user}));
    ASSERT_TRUE(caller.next("ACCEPT", session));
  }
};

}  // namespace

TEST_F(MediaRelay, OneToOneDatagramsGoBothWaysWithTheirBytesUnchanged) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  const auto s = id("s");
  connect_call(alice, 4, bob, 12, s);

  for (std::uint16_t seq = 1; seq <= 10; ++seq) {
    auto sent = datagram(4, seq, static_cast<std::uint8_t>(seq), 200);
    auto got = alice.send_until(sent, *bob.media);
    ASSERT_TRUE(got) << "datagram " << seq;
    EXPECT_EQ(got->flow, 4u) << "a 1:1 call keeps the sender's flow id";
    EXPECT_EQ(got->rtp, rtp_of(sent)) << "the RTP packet is forwarded byte for byte";
  }
  for (std::uint16_t seq = 1; seq <= 10; ++seq) {
    auto sent = datagram(12, seq, static_cast<std::uint8_t>(100 + seq), 300);
    auto got = bob.send_until(sent, *alice.media);
    ASSERT_TRUE(got) << "datagram " << seq;
    EXPECT_EQ(got->flow, 12u);
    EXPECT_EQ(got->rtp, rtp_of(sent));
  }
  for (const auto& r : alice.media->all()) EXPECT_EQ(r.flow, 12u) << "alice hears only bob";
  expect_ok(alice.request("END", s, R"({"reason": "hangup"})", {bob.user}));
}

TEST_F(MediaRelay, GroupCallOfThreeWhereEverySenderUsesFlowZero) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  auto carol = phone(id("carol"), "c1");
  const auto gid = id("g");
  auto group = [](const Phone& p, const core::ObjectBuilder& payload) {
    return p.client->request(qsip::test::envelope("GROUP", p.user, p.device, payload.json())).get();
  };
  ASSERT_EQ(group(alice, GroupPayload().action("create").group_id(gid).name("Team").visibility("public")).type(), "RECEIPT");
  for (const Phone* p : {&bob, &carol}) ASSERT_EQ(group(*p, GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");

  const auto s = id("s");
  expect_ok(alice.request("INVITE", s, invite_with(audio_track("a-mic", 0)), {{}, gid}));
  auto invite_at_carol = carol.next("INVITE", s);
  ASSERT_TRUE(invite_at_carol);
  EXPECT_EQ(flow_of(*invite_at_carol, "tracks", "a-mic"), 0u);
  ASSERT_TRUE(bob.next("INVITE", s));

  // Bob joins on flow 0: free at alice, so she sees it as 0.
  auto bob_joined = bob.request("ACCEPT", s, accept_with(audio_track("b-mic", 0)));
  expect_ok(bob_joined);
  EXPECT_EQ(flow_of(bob_joined, "tracks", "a-mic"), 0u) << "the acceptor's receipt lists the others' tracks";
  auto bob_at_alice = alice.next("ACCEPT", s);
  ASSERT_TRUE(bob_at_alice);
  EXPECT_EQ(flow_of(*bob_at_alice, "tracks", "b-mic"), 0u);

  // Carol joins on flow 0 too: alice and bob already hear someone on 0.
  auto carol_joined = carol.request("ACCEPT", s, accept_with(audio_track("c-mic", 0)));
  expect_ok(carol_joined);
  EXPECT_EQ(flow_of(carol_joined, "tracks", "a-mic"), 0u) << "as her INVITE said";
  EXPECT_EQ(flow_of(carol_joined, "tracks", "b-mic"), 1u) << "bob's 0 is taken by alice's at carol";
  auto carol_at_alice = alice.next("ACCEPT", s);
  auto carol_at_bob = bob.next("ACCEPT", s);
  ASSERT_TRUE(carol_at_alice && carol_at_bob);
  EXPECT_EQ(flow_of(*carol_at_alice, "tracks", "c-mic"), 1u) << carol_at_alice->json();
  EXPECT_EQ(flow_of(*carol_at_bob, "tracks", "c-mic"), 1u);
  ASSERT_TRUE(carol_at_alice->payload_json("codecs"));
  EXPECT_NE(carol_at_alice->payload_json("codecs")->find("opus/48000/2"), std::string::npos) << "other fields are kept";
  EXPECT_EQ(carol_at_alice->message_id(), carol_at_bob->message_id());

  // Each sender's datagrams reach both others under the flow ids they were told.
  auto from_alice = datagram(0, 1, 0x10, 100, 0xa);
  auto from_bob = datagram(0, 1, 0x20, 100, 0xb);
  auto from_carol = datagram(0, 1, 0x30, 100, 0xc);
  auto a_at_bob = alice.send_until(from_alice, *bob.media);
  auto a_at_carol = carol.media->wait_tag(0x10);
  auto b_at_alice = bob.send_until(from_bob, *alice.media);
  auto b_at_carol = carol.media->wait_tag(0x20);
  auto c_at_alice = carol.send_until(from_carol, *alice.media);
  auto c_at_bob = bob.media->wait_tag(0x30);
  ASSERT_TRUE(a_at_bob && a_at_carol && b_at_alice && b_at_carol && c_at_alice && c_at_bob);
  EXPECT_EQ(a_at_bob->flow, 0u);
  EXPECT_EQ(a_at_carol->flow, 0u);
  EXPECT_EQ(b_at_alice->flow, 0u);
  EXPECT_EQ(b_at_carol->flow, 1u);
  EXPECT_EQ(c_at_alice->flow, 1u);
  EXPECT_EQ(c_at_bob->flow, 1u);
  EXPECT_EQ(b_at_carol->rtp, rtp_of(from_bob)) << "only the flow id changed";
  EXPECT_EQ(c_at_alice->rtp, rtp_of(from_carol));
  for (const auto& r : alice.media->all()) EXPECT_NE(r.tag(), 0x10) << "nobody hears itself";

  // Carol adds a camera on her flow 1: alice and bob already hear her
  // microphone as 1, so her MEDIA_UPDATE reaches them with the camera on 2.
  const std::string cam = R"({"track_id": "c-cam", "kind": "video", "codec": "av1/90000", "flow_id": 1})";
  expect_ok(carol.request("MEDIA_UPDATE", s, R"({"add_tracks": [)" + cam + "]}"));
  auto update_at_alice = alice.next("MEDIA_UPDATE", s);
  auto update_at_bob = bob.next("MEDIA_UPDATE", s);
  ASSERT_TRUE(update_at_alice && update_at_bob);
  EXPECT_EQ(flow_of(*update_at_alice, "add_tracks", "c-cam"), 2u) << update_at_alice->json();
  EXPECT_EQ(flow_of(*update_at_bob, "add_tracks", "c-cam"), 2u);
  auto camera = carol.send_until(datagram(1, 1, 0x31, 300, 0xcc), *alice.media);
  ASSERT_TRUE(camera);
  EXPECT_EQ(camera->flow, 2u);
  auto camera_at_bob = bob.media->wait_tag(0x31);
  ASSERT_TRUE(camera_at_bob);
  EXPECT_EQ(camera_at_bob->flow, 2u);
}

TEST_F(MediaRelay, AHeldParticipantNeitherSendsNorReceives) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  const auto s = id("s");
  connect_call(alice, 4, bob, 12, s);
  ASSERT_TRUE(alice.send_until(datagram(4, 1, 0x01), *bob.media));

  expect_ok(bob.request("SESSION", s, R"({"action": "hold"})"));
  for (std::uint16_t seq = 2; seq < 12; ++seq) {
    alice.send(datagram(4, seq, 0x40));
    bob.send(datagram(12, seq, 0x41));
  }
  // The relay has seen (and counted) every held datagram before bob resumes.
  ASSERT_TRUE(eventually([&] {
    return metric(*server_, flow_labels("qsip_media_flow_packets_total", s, alice.user, 4, "in")) >= 11 &&
           metric(*server_, flow_labels("qsip_media_flow_packets_total", s, bob.user, 12, "in")) >= 10;
  }));
  expect_ok(bob.request("SESSION", s, R"({"action": "resume"})"));
  ASSERT_TRUE(alice.send_until(datagram(4, 12, 0x02), *bob.media));
  ASSERT_TRUE(bob.send_until(datagram(12, 12, 0x03), *alice.media));
  for (const auto& r : bob.media->all()) EXPECT_NE(r.tag(), 0x40) << "nothing reached bob while he held";
  for (const auto& r : alice.media->all()) EXPECT_NE(r.tag(), 0x41) << "nothing of bob's left while he held";
  EXPECT_GE(metric(*server_, flow_labels("qsip_media_flow_drops_total", s, bob.user, 12, "in")), 10);
}

TEST_F(MediaRelay, DatagramsOnAnUnannouncedFlowAreDropped) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  auto stranger = phone(id("stranger"), "x1");
  const auto s = id("s");
  connect_call(alice, 4, bob, 12, s);
  const auto dropped_before = metric(*server_, "qsip_datagrams_dropped_total ");
  for (std::uint16_t seq = 0; seq < 5; ++seq) {
    alice.send(datagram(99, seq, 0x50));      // a flow alice never announced
    stranger.send(datagram(4, seq, 0x51));    // a connection in no call
  }
  ASSERT_TRUE(alice.send_until(datagram(4, 1, 0x52), *bob.media));
  ASSERT_TRUE(eventually([&] { return metric(*server_, "qsip_datagrams_dropped_total ") >= dropped_before + 10; }));
  for (const auto& r : bob.media->all()) EXPECT_EQ(r.tag(), 0x52);
  EXPECT_EQ(stranger.media->count(), 0u);

  // A removed track's flow is no longer announced; the new one is.
  expect_ok(alice.request("MEDIA_UPDATE", s, R"({"remove_tracks": ["ca"], "add_tracks": [)" + audio_track("ca2", 5) + "]}"));
  bob.media->clear();
  alice.send(datagram(4, 2, 0x53));
  auto moved = alice.send_until(datagram(5, 1, 0x54), *bob.media);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->flow, 5u);
  for (const auto& r : bob.media->all()) EXPECT_NE(r.tag(), 0x53) << "flow 4 was removed";
}

TEST_F(MediaRelay, ASlowReceiverLosesPacketsWithoutDelayingTheOthers) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  auto carol = phone(id("carol"), "c1");
  const auto gid = id("g");
  auto group = [](const Phone& p, const core::ObjectBuilder& payload) {
    return p.client->request(qsip::test::envelope("GROUP", p.user, p.device, payload.json())).get();
  };
  ASSERT_EQ(group(alice, GroupPayload().action("create").group_id(gid).name("Team").visibility("public")).type(), "RECEIPT");
  for (const Phone* p : {&bob, &carol}) ASSERT_EQ(group(*p, GroupPayload().action("join").group_id(gid)).type(), "RECEIPT");
  const auto s = id("s");
  expect_ok(alice.request("INVITE", s, invite_with(audio_track("a-mic", 0)), {{}, gid}));
  ASSERT_TRUE(bob.next("INVITE", s));
  ASSERT_TRUE(carol.next("INVITE", s));
  expect_ok(bob.request("ACCEPT", s, accept_with(audio_track("b-mic", 1))));
  expect_ok(carol.request("ACCEPT", s, accept_with(audio_track("c-mic", 2))));
  ASSERT_TRUE(alice.send_until(datagram(0, 1, 0x01), *bob.media));
  ASSERT_TRUE(carol.media->wait_tag(0x01));

  // Carol's client stops at her next datagram: no more reading, no more ACKs.
  carol.media->stall(true);
  struct Release {
    MediaSink& sink;
    ~Release() { sink.stall(false); }
  } release{*carol.media};
  const std::uint16_t kCount = 150;
  for (std::uint16_t seq = 2; seq < 2 + kCount; ++seq) {
    auto d = datagram(0, seq, static_cast<std::uint8_t>(seq), 1000);
    // Bob gets every one in turn: carol's full window holds nobody up.
    ASSERT_TRUE(alice.send_until(d, *bob.media)) << "datagram " << seq;
  }
  EXPECT_TRUE(eventually([&] {
    return metric(*server_, flow_labels("qsip_media_flow_drops_total", s, carol.user, 0, "out")) > 0;
  })) << "carol's packets are dropped, not queued";
  EXPECT_EQ(metric(*server_, flow_labels("qsip_media_flow_drops_total", s, bob.user, 0, "out")), 0);
}

TEST_F(MediaRelay, SimulcastLayerByExplicitRequest) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  const auto s = id("s");
  const std::string video = R"({"track_id": "cam", "kind": "video", "codec": "av1/90000", "flow_id": 9,
      "layers": [{"rid": "h", "flow_id": 10, "max_bitrate": 2500000}, {"rid": "l", "flow_id": 11, "max_bitrate": 150000}]})";
  expect_ok(alice.request("INVITE", s,
                          R"({"media_types": ["audio", "video"], "codecs": {"audio": ["opus/48000/2"], "video": ["av1/90000"]}, "tracks": [)" +
                              video + "]}",
                          {bob.user}));
  ASSERT_TRUE(bob.next("INVITE", s));
  expect_ok(bob.request("ACCEPT", s, accept_with(audio_track("b-mic", 1)), {alice.user}));

  auto select = [&](std::string_view rid) {
    return bob.request("SESSION", s, R"({"action": "select_layer", "track_id": "cam", "rid": ")" + std::string(rid) + R"("})");
  };
  expect_ok(select("l"));
  for (std::uint16_t seq = 1; seq <= 5; ++seq) {
    alice.send(datagram(10, seq, 0x60));  // h
    auto low = alice.send_until(datagram(11, seq, static_cast<std::uint8_t>(0x70 + seq)), *bob.media);
    ASSERT_TRUE(low);
    EXPECT_EQ(low->flow, 9u) << "one receiver flow for the track, whichever layer";
  }
  for (const auto& r : bob.media->all()) EXPECT_NE(r.tag(), 0x60) << "only the layer bob asked for";

  expect_ok(select("h"));
  bob.media->clear();
  for (std::uint16_t seq = 6; seq <= 10; ++seq) {
    alice.send(datagram(11, seq, 0x61));  // l
    ASSERT_TRUE(alice.send_until(datagram(10, seq, static_cast<std::uint8_t>(0x80 + seq)), *bob.media));
  }
  for (const auto& r : bob.media->all()) EXPECT_NE(r.tag(), 0x61);

  EXPECT_EQ(select("nope").error_code(), 4001);
  EXPECT_EQ(bob.request("SESSION", s, R"({"action": "select_layer", "track_id": "b-none"})").error_code(), 4001);
  EXPECT_EQ(bob.request("SESSION", s, R"({"action": "select_layer"})").error_code(), 4001);
  EXPECT_EQ(bob.request("SESSION", id("no-session"), R"({"action": "select_layer", "track_id": "cam"})").error_code(), 4043);
  EXPECT_EQ(alice.request("SESSION", s, R"({"action": "select_layer", "track_id": "cam", "rid": "l"})").error_code(), 4001)
      << "nobody else sends a track cam";
}

TEST_F(MediaRelay, SimulcastLayerByBandwidth) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  const auto s = id("s");
  // "far" asks more than any link gives: bob gets its low layer. "near"'s
  // layers both fit loopback's estimate: bob gets the high one once the
  // relay has an estimate (the low one until then).
  const std::string tracks = R"({"track_id": "far", "kind": "video", "codec": "av1/90000", "flow_id": 20,
      "layers": [{"rid": "h", "flow_id": 21, "max_bitrate": 1000000000000000}, {"rid": "l", "flow_id": 22, "max_bitrate": 1000}]},
      {"track_id": "near", "kind": "video", "codec": "av1/90000", "flow_id": 30,
      "layers": [{"rid": "h", "flow_id": 31, "max_bitrate": 2000}, {"rid": "l", "flow_id": 32, "max_bitrate": 1000}]})";
  expect_ok(alice.request("INVITE", s,
                          R"({"media_types": ["audio", "video"], "codecs": {"video": ["av1/90000"]}, "tracks": [)" + tracks + "]}",
                          {bob.user}));
  ASSERT_TRUE(bob.next("INVITE", s));
  expect_ok(bob.request("ACCEPT", s, R"({"tracks": []})", {alice.user}));

  // Each round sends both layers; exactly one of them is forwarded.
  std::optional<Received> high;
  for (std::uint16_t seq = 1; seq <= 40 && !high; ++seq) {
    const auto before = bob.media->count();
    alice.send(datagram(31, seq, 0x90));
    alice.send(datagram(32, seq, 0x91));
    bob.media->wait_count(before + 1, 250ms);
    high = bob.media->wait_tag(0x90, 1ms);
  }
  ASSERT_TRUE(high) << "the high layer fits the estimate";
  EXPECT_EQ(high->flow, 30u);

  for (std::uint16_t seq = 1; seq <= 5; ++seq) {
    alice.send(datagram(21, seq, 0xa0));
    auto low = alice.send_until(datagram(22, seq, static_cast<std::uint8_t>(0xb0 + seq)), *bob.media);
    ASSERT_TRUE(low);
    EXPECT_EQ(low->flow, 20u);
  }
  for (const auto& r : bob.media->all()) EXPECT_NE(r.tag(), 0xa0) << "no link carries 10^15 bits a second";
}

TEST_F(MediaRelay, PerFlowCountersInMetricsVanishWithTheSession) {
  auto alice = phone(id("alice"), "a1");
  auto bob = phone(id("bob"), "b1");
  const auto s = id("s");
  connect_call(alice, 4, bob, 12, s);
  // Sequence numbers 1..10, then 13..15: two packets lost before the relay.
  std::vector<std::uint16_t> seqs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15};
  for (auto seq : seqs) ASSERT_TRUE(alice.send_until(datagram(4, seq, static_cast<std::uint8_t>(seq)), *bob.media));
  const auto in_packets = flow_labels("qsip_media_flow_packets_total", s, alice.user, 4, "in");
  const auto out_packets = flow_labels("qsip_media_flow_packets_total", s, bob.user, 4, "out");
  EXPECT_GE(metric(*server_, in_packets), static_cast<long long>(seqs.size()));
  EXPECT_GE(metric(*server_, out_packets), static_cast<long long>(seqs.size()));
  EXPECT_GT(metric(*server_, flow_labels("qsip_media_flow_bytes_total", s, alice.user, 4, "in")), 0);
  EXPECT_EQ(metric(*server_, flow_labels("qsip_media_flow_losses_total", s, alice.user, 4, "in")), 2);
  EXPECT_EQ(metric(*server_, flow_labels("qsip_media_flow_drops_total", s, bob.user, 4, "out")), 0);
  EXPECT_GE(metric(*server_, "qsip_datagrams_out_total "), static_cast<long long>(seqs.size()));

  expect_ok(alice.request("END", s, R"({"reason": "hangup"})", {bob.user}));
  EXPECT_EQ(metric(*server_, in_packets), -1) << "flows vanish with their session";
  EXPECT_EQ(metric(*server_, out_packets), -1);
}

// [media] test_drop_percent: the relay drops that share of what it forwards.
TEST(MediaRelayTestHook, DropsTheConfiguredShareOfForwardedDatagrams) {
  RunningQsipd server({}, "[media]\ntest_drop_percent = 5.0\n");
  auto connect = [&](const std::string& user, const std::string& device) {
    Phone p{user, device, nullptr, server.connect_registered(user, device)};
    p.media = std::make_unique<MediaSink>(*p.client);
    return p;
  };
  auto alice = connect("u-alice", "a1");
  auto bob = connect("u-bob", "b1");
  expect_ok(alice.request("INVITE", "s-drop", invite_with(audio_track("ca", 4)), {bob.user}));
  ASSERT_TRUE(bob.next("INVITE", "s-drop"));
  expect_ok(bob.request("ACCEPT", "s-drop", accept_with(audio_track("cb", 12)), {alice.user}));

  const int kCount = 400;
  const auto in = flow_labels("qsip_media_flow_packets_total", "s-drop", alice.user, 4, "in");
  const auto out = flow_labels("qsip_media_flow_packets_total", "s-drop", bob.user, 4, "out");
  const auto drops = flow_labels("qsip_media_flow_drops_total", "s-drop", bob.user, 4, "out");
  // Paced in groups of ten, each sent once the previous one went through
  // (waiting for the relay and bob, not for a fixed time): bob's queue and
  // window never fill, so every drop is the hook's.
  for (int i = 0; i < kCount; ++i) {
    alice.send(datagram(4, static_cast<std::uint16_t>(i), 1, 160));
    if (i % 10 == 9) {
      ASSERT_TRUE(eventually([&] {
        const auto seen = metric(server, in), sent = metric(server, out), lost = metric(server, drops);
        return seen >= i - 10 && sent + std::max(lost, 0LL) >= seen && static_cast<long long>(bob.media->count()) >= sent;
      }, 5s));
    }
  }
  // Every datagram that reached the relay was forwarded or dropped, and
  // bob gets what was forwarded.
  long long received_by_relay = 0, forwarded = 0, dropped = 0;
  ASSERT_TRUE(eventually([&] {
    received_by_relay = metric(server, in);
    forwarded = metric(server, out);
    dropped = metric(server, drops);
    return received_by_relay > 0 && forwarded + dropped == received_by_relay &&
           static_cast<long long>(bob.media->count()) == forwarded;
  })) << received_by_relay << " " << forwarded << " " << dropped << " " << bob.media->count();
  EXPECT_GE(received_by_relay, kCount * 9 / 10);
  const double share = 100.0 * static_cast<double>(dropped) / static_cast<double>(received_by_relay);
  EXPECT_GT(share, 2.0) << dropped << " of " << received_by_relay;
  EXPECT_LT(share, 9.0) << dropped << " of " << received_by_relay;
  const auto losses = metric(server, flow_labels("qsip_media_flow_losses_total", "s-drop", alice.user, 4, "in"));
  EXPECT_GE(losses, 0);
  EXPECT_LE(losses, kCount - received_by_relay) << "the relay's own drops are not losses before it";
}
