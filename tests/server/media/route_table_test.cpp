// The relay's route table: what a publication turns into for the datagram
// path (sender connection -> flows -> receivers), counters that survive
// republication, and sessions that vanish with their flows.
#include <gtest/gtest.h>

#include "server/media/route_table.hpp"

using namespace qsip::server::media;

namespace {

RouteTrack track(std::string sender, std::uint64_t connection, std::string id, std::uint64_t flow,
                 std::vector<RouteReceiver> receivers) {
  return RouteTrack{std::move(sender), connection, std::move(id), {Layer{flow, {}, 0}}, std::move(receivers)};
}

}  // namespace

TEST(RouteTable, IndexesEachSenderConnectionsFlowsWithTheirReceivers) {
  RouteTable table;
  table.publish({"s1",
                 {track("alice", 11, "a-audio", 0, {{"bob", 22, 0, {}}, {"carol", 33, 1, {}}}),
                  track("bob", 22, "b-audio", 0, {{"alice", 11, 0, {}}, {"carol", 33, 0, {}}})}});
  auto alice = table.lookup(11);
  ASSERT_TRUE(alice);
  ASSERT_EQ(alice->flows.size(), 1u);
  EXPECT_EQ(alice->flows[0].flow_id, 0u);
  ASSERT_EQ(alice->flows[0].track->receivers.size(), 2u);
  EXPECT_EQ(alice->flows[0].track->receivers[0].connection_id, 22u);
  EXPECT_EQ(alice->flows[0].track->receivers[1].connection_id, 33u);
  EXPECT_EQ(alice->flows[0].track->receivers[1].flow_id, 1u) << "carol sees alice's flow 0 as 1";
  EXPECT_FALSE(table.lookup(33)) << "carol sends nothing";
  EXPECT_EQ(table.session_count(), 1u);
}

TEST(RouteTable, RepublishingKeepsCountersAndAnEmptyPublicationForgetsTheSession) {
  RouteTable table;
  table.publish({"s1", {track("alice", 11, "a", 4, {{"bob", 22, 4, {}}})}});
  auto before = table.lookup(11);
  before->flows[0].counters->count_packet(100);
  // bob holds: alice's flow stays, without receivers; its counters carry over.
  table.publish({"s1", {track("alice", 11, "a", 4, {})}});
  auto held = table.lookup(11);
  ASSERT_TRUE(held);
  EXPECT_TRUE(held->flows[0].track->receivers.empty());
  EXPECT_EQ(held->flows[0].counters->packets.load(), 1u);
  EXPECT_EQ(before->flows[0].track->receivers.size(), 1u) << "a snapshot taken earlier is unchanged";
  auto samples = table.samples();
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].session_id, "s1");
  EXPECT_EQ(samples[0].user_id, "alice");
  EXPECT_EQ(samples[0].flow_id, 4u);
  EXPECT_TRUE(samples[0].incoming);
  EXPECT_EQ(samples[0].bytes, 100u);

  table.publish({"s1", {}});
  EXPECT_FALSE(table.lookup(11));
  EXPECT_TRUE(table.samples().empty());
  EXPECT_EQ(table.session_count(), 0u);
}

TEST(RouteTable, AConnectionInTwoSessionsSendsTheFlowsOfBoth) {
  RouteTable table;
  table.publish({"s1", {track("alice", 11, "a", 1, {{"bob", 22, 1, {}}})}});
  table.publish({"s2", {track("alice", 11, "b", 2, {{"carol", 33, 2, {}}})}});
  ASSERT_EQ(table.lookup(11)->flows.size(), 2u);
  table.publish({"s1", {}});
  auto left = table.lookup(11);
  ASSERT_EQ(left->flows.size(), 1u);
  EXPECT_EQ(left->flows[0].flow_id, 2u);
}

TEST(RouteTable, SimulcastLayersAreFlowsOfOneTrackWithTheReceiversRequest) {
  RouteTable table;
  RouteTrack video{"alice", 11, "cam", {{10, "h", 2'000'000}, {11, "l", 200'000}}, {{"bob", 22, 10, "l"}}};
  table.publish({"s1", {video}});
  auto routes = table.lookup(11);
  ASSERT_EQ(routes->flows.size(), 2u);
  EXPECT_EQ(routes->flows[0].layer, 0u);
  EXPECT_EQ(routes->flows[1].layer, 1u);
  EXPECT_EQ(routes->flows[0].track, routes->flows[1].track) << "both layers share the track's receivers";
  EXPECT_EQ(routes->flows[0].track->receivers[0].requested_layer, 1);
  EXPECT_EQ(table.samples().size(), 3u) << "two sender layers and one receiver flow";
}
