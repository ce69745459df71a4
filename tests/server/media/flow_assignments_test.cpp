// Flow ids per receiver (wire profile 7): the sender's own id when free at
// the receiver, else the lowest free one; stable until released.
#include <gtest/gtest.h>

#include "server/media/flow_assignments.hpp"

using namespace qsip::server::media;

TEST(FlowAssignments, KeepsTheSendersIdWhenItIsFreeAtTheReceiver) {
  FlowAssignments flows;
  EXPECT_EQ(flows.assign("bob", "alice", "a-audio", 4), 4u);
  EXPECT_EQ(flows.assign("alice", "bob", "b-audio", 4), 4u) << "each receiver has its own space";
}

TEST(FlowAssignments, TwoSendersOnFlowZeroGetDistinctIdsAtAThirdParticipant) {
  FlowAssignments flows;
  EXPECT_EQ(flows.assign("carol", "alice", "a", 0), 0u);
  EXPECT_EQ(flows.assign("carol", "bob", "b", 0), 1u);
  EXPECT_EQ(flows.assign("carol", "dave", "d", 1), 2u);
  EXPECT_EQ(flows.assign("carol", "bob", "b", 0), 1u) << "stable";
  ASSERT_TRUE(flows.find("carol", "bob", "b"));
  EXPECT_EQ(*flows.find("carol", "bob", "b"), 1u);
  EXPECT_FALSE(flows.find("carol", "bob", "other"));
}

TEST(FlowAssignments, ReleasedIdsAreFreeAgain) {
  FlowAssignments flows;
  flows.assign("carol", "alice", "a", 0);
  flows.assign("carol", "bob", "b", 0);
  flows.release_track("alice", "a");
  EXPECT_FALSE(flows.find("carol", "alice", "a"));
  EXPECT_EQ(flows.assign("carol", "erin", "e", 0), 0u);
  flows.release_user("bob");
  EXPECT_FALSE(flows.find("carol", "bob", "b"));
  flows.assign("bob", "carol", "c", 3);
  flows.release_user("bob");
  EXPECT_EQ(flows.size(), 1u) << "only carol's view of erin remains";
}
