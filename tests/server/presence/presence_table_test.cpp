// Presence aggregation across devices and the table's change reporting:
// the order available > busy > dnd > away > offline, the winner's details,
// idempotent replays, and offline when the last device leaves.
#include "server/presence/presence_table.hpp"

#include <gtest/gtest.h>

#include "server/presence/presence_message.hpp"

using namespace qsip::server;

namespace {
PresenceInfo info(std::string status, std::string message = {}, std::string activity = {}) {
  return PresenceInfo{std::move(status), std::move(message), std::move(activity), "2025-06-01T00:00:00Z"};
}
}  // namespace

TEST(PresenceState, OrderIsAvailableBusyDndAwayOffline) {
  EXPECT_LT(status_rank("available"), status_rank("busy"));
  EXPECT_LT(status_rank("busy"), status_rank("dnd"));
  EXPECT_LT(status_rank("dnd"), status_rank("away"));
  EXPECT_LT(status_rank("away"), status_rank("offline"));
  EXPECT_EQ(status_rank("something"), status_rank("offline"));
  EXPECT_EQ(aggregate({}).status, "offline");
}

TEST(PresenceState, TheWinningDeviceGivesItsDetailsAndTiesGoToTheLatest) {
  std::vector<DevicePresence> devices = {
      {"d-phone", 1, info("away", "commuting", "idle"), 1, {}},
      {"d-laptop", 2, info("busy", "in a call", "in_call"), 2, {}},
  };
  auto user = aggregate(devices);
  EXPECT_EQ(user.status, "busy");
  EXPECT_EQ(user.status_message, "in a call");
  EXPECT_EQ(user.activity, "in_call");
  devices.push_back({"d-tablet", 3, info("busy", "later one"), 3, {}});
  EXPECT_EQ(aggregate(devices).status_message, "later one");
  devices.push_back({"d-desk", 4, info("available"), 0, {}});
  EXPECT_EQ(aggregate(devices).status, "available");
}

TEST(PresenceTable, AggregatesAcrossDevicesAndReportsChanges) {
  PresenceTable table;
  auto first = table.publish("u-alice", "d-1", 1, info("away"), "m1", "T1");
  EXPECT_TRUE(first.device_changed);
  EXPECT_TRUE(first.user_changed);
  EXPECT_EQ(first.user.status, "away");

  auto second = table.publish("u-alice", "d-2", 2, info("dnd", "focus"), "m2", "T2");
  EXPECT_TRUE(second.user_changed);
  EXPECT_EQ(second.user.status, "dnd");
  EXPECT_EQ(second.user.status_message, "focus");

  // A lower status on one device does not change the user: only the device.
  auto lower = table.publish("u-alice", "d-1", 1, info("offline"), "m3", "T3");
  EXPECT_TRUE(lower.device_changed);
  EXPECT_FALSE(lower.user_changed);
  EXPECT_EQ(table.current("u-alice").status, "dnd");
  EXPECT_EQ(table.current("u-nobody").status, "offline");
}

TEST(PresenceTable, ReplaysAndRepeatsChangeNothing) {
  PresenceTable table;
  PresenceInfo p{"available", "hi", {}, {}};
  auto first = table.publish("u-alice", "d-1", 1, p, "m1", "2025-06-01T00:00:01.000Z");
  EXPECT_EQ(first.user.last_active_at, "2025-06-01T00:00:01.000Z");
  auto replay = table.publish("u-alice", "d-1", 1, PresenceInfo{"away", {}, {}, {}}, "m1", "2025-06-01T00:00:02.000Z");
  EXPECT_FALSE(replay.device_changed);
  EXPECT_FALSE(replay.user_changed);
  EXPECT_EQ(table.current("u-alice").status, "available");
  // A periodic refresh with a new id keeps last_active_at: nothing to tell.
  auto repeat = table.publish("u-alice", "d-1", 1, p, "m2", "2025-06-01T00:00:03.000Z");
  EXPECT_FALSE(repeat.device_changed);
  EXPECT_FALSE(repeat.user_changed);
  EXPECT_EQ(table.current("u-alice").last_active_at, "2025-06-01T00:00:01.000Z");
}

TEST(PresenceTable, LastDeviceLeavingMakesTheUserOffline) {
  PresenceTable table;
  table.publish("u-alice", "d-1", 1, info("available"), "m1", "T");
  table.publish("u-alice", "d-2", 2, info("away"), "m2", "T");
  auto one = table.leave("u-alice", "d-1", 1, "2025-06-01T01:00:00.000Z");
  EXPECT_TRUE(one.user_changed);
  EXPECT_EQ(one.user.status, "away");
  EXPECT_EQ(one.device.status, "offline");
  // A stale connection of a device that reconnected does not remove it.
  table.publish("u-alice", "d-2", 3, info("away"), "m3", "T");
  EXPECT_FALSE(table.leave("u-alice", "d-2", 2, "X").device_changed);
  EXPECT_TRUE(table.publishing("u-alice"));
  auto last = table.leave("u-alice", "d-2", 3, "2025-06-01T02:00:00.000Z");
  EXPECT_TRUE(last.user_changed);
  EXPECT_EQ(last.user.status, "offline");
  EXPECT_EQ(last.user.last_active_at, "2025-06-01T02:00:00.000Z");
  EXPECT_FALSE(table.publishing("u-alice"));
  EXPECT_EQ(table.current("u-alice").last_active_at, "2025-06-01T02:00:00.000Z");
  // A device that never published leaving changes nothing.
  EXPECT_FALSE(table.leave("u-bob", "d-1", 9, "X").user_changed);
}

TEST(PresenceMessage, PayloadNamesTheUserAndOmitsEmptyFields) {
  EXPECT_EQ(presence_payload("u-alice", PresenceInfo{"busy", "call", {}, {}}),
            R"({"status":"busy","status_message":"call","user_id":"u-alice"})");
  DeviceOrigin origin{"d-2", "away"};
  EXPECT_EQ(presence_payload("u-alice", PresenceInfo{}, &origin),
            R"({"status":"offline","user_id":"u-alice","device_id":"d-2","device_status":"away"})");
}

// The listener (the queue module's view of agents) hears each change of a
// user's aggregate once, and only those.
TEST(PresenceTable, TheListenerHearsChangesOfTheAggregateOnly) {
  PresenceTable table;
  std::vector<std::string> heard;
  table.set_listener([&](const std::string& user) { heard.push_back(user + ":" + table.current(user).status); });
  table.publish("u-a", "d1", 1, info("available"), "m1", "t");
  table.publish("u-a", "d1", 1, info("available"), "m1", "t");  // a replay: no change
  table.publish("u-a", "d2", 2, info("away"), "m2", "t");       // the aggregate stays available
  table.publish("u-a", "d1", 1, info("busy"), "m3", "t");       // away < busy: busy wins
  table.leave("u-a", "d1", 1, "t");
  table.leave("u-a", "d2", 2, "t");
  EXPECT_EQ(heard, (std::vector<std::string>{"u-a:available", "u-a:busy", "u-a:away", "u-a:offline"}));
}
