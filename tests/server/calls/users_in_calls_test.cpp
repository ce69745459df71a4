// Who is in a call: counted over every live session by the registry, told
// once when a user enters its first call and once when it leaves its last.
#include "server/calls/users_in_calls.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "server/calls/session_registry.hpp"

using namespace qsip::server::calls;

namespace {

Participant participant(std::string user, Role role, ParticipantState state) {
  Participant p;
  p.user_id = std::move(user);
  p.role = role;
  p.state = state;
  return p;
}

std::unique_ptr<CallSession> call(const std::string& id, const std::string& caller, const std::string& callee) {
  auto s = std::make_unique<CallSession>();
  s->session_id = id;
  s->participants.push_back(participant(caller, Role::kCaller, ParticipantState::kInviting));
  s->participants.push_back(participant(callee, Role::kCallee, ParticipantState::kRinging));
  return s;
}

class UsersInCallsTest : public ::testing::Test {
 protected:
  UsersInCallsTest() {
    registry.users_in_calls().set_listener([this](const std::string& user, bool in) { heard.emplace_back(user, in); });
  }
  std::vector<std::pair<std::string, bool>> report() {
    heard.clear();
    registry.users_in_calls().report();
    return heard;
  }
  SessionRegistry registry;
  std::vector<std::pair<std::string, bool>> heard;
};

using Heard = std::vector<std::pair<std::string, bool>>;

}  // namespace

TEST_F(UsersInCallsTest, InvitingAndAnsweringCountRingingDoesNot) {
  ASSERT_EQ(registry.create(call("s1", "u-alice", "u-bob")), SessionRegistry::Created::kCreated);
  EXPECT_EQ(report(), (Heard{{"u-alice", true}}));
  EXPECT_FALSE(registry.users_in_calls().is_in_call("u-bob")) << "a ringing phone is no call yet";
  registry.with_session("s1", [](CallSession& s) {
    for (auto& p : s.participants) p.state = ParticipantState::kActive;
    return false;
  });
  EXPECT_EQ(report(), (Heard{{"u-bob", true}}));
  registry.with_session("s1", [](CallSession& s) {
    s.participants[1].state = ParticipantState::kOnHold;
    return false;
  });
  EXPECT_TRUE(report().empty()) << "on hold is still in the call";
  registry.with_session("s1", [](CallSession&) { return true; });  // ends
  auto ended = report();
  std::sort(ended.begin(), ended.end());
  EXPECT_EQ(ended, (Heard{{"u-alice", false}, {"u-bob", false}}));
  EXPECT_FALSE(registry.users_in_calls().is_in_call("u-alice"));
}

TEST_F(UsersInCallsTest, AUserInTwoCallsIsFreeOnlyAfterBoth) {
  ASSERT_EQ(registry.create(call("s1", "u-alice", "u-bob")), SessionRegistry::Created::kCreated);
  ASSERT_EQ(registry.create(call("s2", "u-alice", "u-carol")), SessionRegistry::Created::kCreated);
  EXPECT_EQ(report(), (Heard{{"u-alice", true}}));
  registry.with_session("s1", [](CallSession&) { return true; });
  EXPECT_TRUE(report().empty());
  EXPECT_TRUE(registry.users_in_calls().is_in_call("u-alice"));
  registry.with_session("s2", [](CallSession& s) {
    s.participants[0].state = ParticipantState::kTerminated;
    return false;
  });
  EXPECT_EQ(report(), (Heard{{"u-alice", false}}));
}

TEST_F(UsersInCallsTest, ChangesAreToldInTheirOrder) {
  ASSERT_EQ(registry.create(call("s1", "u-alice", "u-bob")), SessionRegistry::Created::kCreated);
  registry.with_session("s1", [](CallSession&) { return true; });
  ASSERT_EQ(registry.create(call("s2", "u-alice", "u-bob")), SessionRegistry::Created::kCreated);
  EXPECT_EQ(report(), (Heard{{"u-alice", true}, {"u-alice", false}, {"u-alice", true}}));
  EXPECT_TRUE(report().empty()) << "told once";
}
