// What the calls module publishes to the media relay: who hears whom by
// state and media mode, the flow ids each receiver sees, simulcast layers
// and explicit layer requests.
#include <gtest/gtest.h>

#include "server/calls/call_routes.hpp"

using namespace qsip::server::calls;
using qsip::server::media::SessionRoutes;

namespace {

Participant member(std::string user, std::uint64_t connection, std::uint64_t flow,
                   ParticipantState state = ParticipantState::kActive) {
  Participant p;
  p.user_id = std::move(user);
  p.state = state;
  p.bound = {"d-" + p.user_id, connection};
  p.tracks.push_back(Track{p.user_id + "-mic", "audio", flow, {}});
  return p;
}

const qsip::server::media::RouteTrack* track_of(const SessionRoutes& routes, std::string_view sender) {
  for (const auto& t : routes.tracks)
    if (t.sender_user == sender) return &t;
  return nullptr;
}

std::vector<std::string> receivers(const SessionRoutes& routes, std::string_view sender) {
  std::vector<std::string> out;
  if (auto* t = track_of(routes, sender))
    for (const auto& r : t->receivers) out.push_back(r.user_id);
  return out;
}

}  // namespace

TEST(CallRoutes, EveryActiveParticipantHearsEveryOtherUnderItsOwnFlowIds) {
  CallSession s;
  s.session_id = "s1";
  s.participants = {member("alice", 1, 0), member("bob", 2, 0), member("carol", 3, 0)};
  auto routes = compute_routes(s);
  ASSERT_EQ(routes.tracks.size(), 3u);
  EXPECT_EQ(receivers(routes, "alice"), (std::vector<std::string>{"bob", "carol"}));
  // carol hears alice and bob, who both send on 0: one of them is renumbered.
  const auto* a = track_of(routes, "alice");
  const auto* b = track_of(routes, "bob");
  EXPECT_EQ(a->receivers[1].flow_id, 0u);
  EXPECT_EQ(b->receivers[1].user_id, "carol");
  EXPECT_EQ(b->receivers[1].flow_id, 1u);
  EXPECT_EQ(a->layers.size(), 1u);
  EXPECT_EQ(a->layers[0].flow_id, 0u);
  EXPECT_EQ(a->sender_connection, 1u);
  EXPECT_EQ(compute_routes(s), routes) << "stable from one publication to the next";
}

TEST(CallRoutes, AHeldParticipantNeitherSendsNorReceivesButItsFlowsStayCounted) {
  CallSession s;
  s.session_id = "s1";
  s.participants = {member("alice", 1, 4), member("bob", 2, 12, ParticipantState::kOnHold)};
  auto routes = compute_routes(s);
  EXPECT_TRUE(receivers(routes, "alice").empty());
  ASSERT_TRUE(track_of(routes, "bob"));
  EXPECT_TRUE(receivers(routes, "bob").empty());
  s.participants[1].state = ParticipantState::kRinging;
  EXPECT_FALSE(track_of(compute_routes(s), "bob")) << "not in the call: no flows";
}

TEST(CallRoutes, ListenAndWhisperModes) {
  CallSession s;
  s.session_id = "s1";
  auto supervisor = member("sup", 4, 0);
  supervisor.media_mode = MediaMode::kListen;
  s.participants = {member("agent", 1, 0), member("customer", 2, 0), supervisor};
  auto routes = compute_routes(s);
  EXPECT_TRUE(receivers(routes, "sup").empty()) << "a listener is heard by nobody";
  EXPECT_EQ(receivers(routes, "agent"), (std::vector<std::string>{"customer", "sup"})) << "but hears everyone";

  s.participants[2].media_mode = MediaMode::kWhisper;
  s.participants[2].whisper_to = "agent";
  routes = compute_routes(s);
  EXPECT_EQ(receivers(routes, "sup"), (std::vector<std::string>{"agent"}));
  EXPECT_EQ(receivers(routes, "customer"), (std::vector<std::string>{"agent", "sup"}));

  s.participants[2].media_mode = MediaMode::kFull;  // barge
  EXPECT_EQ(receivers(compute_routes(s), "sup"), (std::vector<std::string>{"agent", "customer"}));
}

TEST(CallRoutes, SimulcastLayersAndTheReceiversRequest) {
  CallSession s;
  s.session_id = "s1";
  auto alice = member("alice", 1, 9);
  alice.tracks[0] = Track{"cam", "video", 9, {{10, "h", 2'000'000}, {11, "l", 100'000}}};
  s.participants = {alice, member("bob", 2, 0)};
  s.layer_requests[{"bob", "alice", "cam"}] = "l";
  auto routes = compute_routes(s);
  const auto* cam = track_of(routes, "alice");
  ASSERT_TRUE(cam);
  ASSERT_EQ(cam->layers.size(), 2u);
  EXPECT_EQ(cam->layers[1].rid, "l");
  EXPECT_EQ(cam->receivers[0].flow_id, 9u) << "the receiver sees the track's flow id";
  EXPECT_EQ(cam->receivers[0].requested_rid, "l");
}

TEST(CallRoutes, ParticipantsWhoLeftFreeTheirFlowIds) {
  CallSession s;
  s.session_id = "s1";
  s.participants = {member("alice", 1, 0), member("bob", 2, 0), member("carol", 3, 0)};
  compute_routes(s);
  s.participants[0].state = ParticipantState::kTerminated;
  auto routes = compute_routes(s);
  EXPECT_FALSE(track_of(routes, "alice"));
  EXPECT_FALSE(s.flows.find("carol", "alice", "alice-mic"));
  EXPECT_EQ(*s.flows.find("carol", "bob", "bob-mic"), 1u) << "what carol was told stays true";
}
