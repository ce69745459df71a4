// The live session registry: session ids are never reused while live or
// recently ended (bounded), changes run under the lock, the connection index.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "server/calls/session_registry.hpp"

using namespace qsip::server::calls;

namespace {

std::unique_ptr<CallSession> session(const std::string& id, std::uint64_t connection = 0) {
  auto s = std::make_unique<CallSession>();
  s->session_id = id;
  Participant caller;
  caller.user_id = "u-alice";
  caller.role = Role::kCaller;
  caller.state = ParticipantState::kInviting;
  caller.bound = {"d1", connection};
  s->participants.push_back(caller);
  return s;
}

}  // namespace

TEST(SessionRegistry, RefusesALiveOrRecentlyEndedSessionId) {
  SessionRegistry registry;
  EXPECT_EQ(registry.create(session("s1")), SessionRegistry::Created::kCreated);
  EXPECT_EQ(registry.create(session("s1")), SessionRegistry::Created::kInUse) << "live";
  EXPECT_TRUE(registry.with_session("s1", [](CallSession&) { return true; }));  // ends
  EXPECT_EQ(registry.live_count(), 0u);
  EXPECT_TRUE(registry.used("s1"));
  EXPECT_EQ(registry.create(session("s1")), SessionRegistry::Created::kInUse) << "recently ended";
  EXPECT_FALSE(registry.with_session("s1", [](CallSession&) { return false; })) << "ended: not found";
  EXPECT_FALSE(registry.with_session("nope", [](CallSession&) { return false; }));
}

TEST(SessionRegistry, ForgetsEndedIdsBeyondItsBounds) {
  SessionRegistry::Options options;
  options.remembered_ended_ids_per_shard = 1;
  SessionRegistry small(options);
  // Enough ended ids that every shard forgets its oldest.
  for (int i = 0; i < 200; ++i) {
    auto id = "s" + std::to_string(i);
    ASSERT_EQ(small.create(session(id)), SessionRegistry::Created::kCreated);
    small.with_session(id, [](CallSession&) { return true; });
  }
  int remembered = 0;
  for (int i = 0; i < 200; ++i) remembered += small.used("s" + std::to_string(i)) ? 1 : 0;
  EXPECT_LE(remembered, 32) << "at most one per shard";

  SessionRegistry::Options brief;
  brief.remember_ended_for = std::chrono::seconds(0);
  SessionRegistry forgetful(brief);
  forgetful.create(session("s1"));
  forgetful.with_session("s1", [](CallSession&) { return true; });
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_FALSE(forgetful.used("s1"));
}

TEST(SessionRegistry, IndexesConnectionsUntilTheSessionEnds) {
  SessionRegistry registry;
  registry.create(session("s1", 7));
  registry.create(session("s2", 7));
  registry.index(7, "s1");
  registry.index(7, "s2");
  EXPECT_EQ(registry.sessions_of(7).size(), 2u);
  registry.with_session("s1", [](CallSession&) { return true; });
  EXPECT_EQ(registry.sessions_of(7), std::vector<std::string>{"s2"});
  registry.forget_connection(7);
  EXPECT_TRUE(registry.sessions_of(7).empty());
}

TEST(SessionRegistry, ConcurrentCreatesOfOneIdLetOneWin) {
  SessionRegistry registry;
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      if (registry.create(session("same")) == SessionRegistry::Created::kCreated) ++created;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
}

// on_end sees every session that ends, once, with what it carried (the
// queue item of a queue call, whether it was answered); a change that does
// not end the session is not reported.
TEST(SessionRegistry, ReportsEverySessionThatEndsOnce) {
  SessionRegistry registry;
  std::vector<std::pair<std::string, bool>> ended;
  registry.set_on_end([&](const CallSession& s) { ended.emplace_back(s.queue_item_id, s.answered); });
  auto queue_call = session("s-qi-1");
  queue_call->queue_item_id = "qi-1";
  ASSERT_EQ(registry.create(std::move(queue_call)), SessionRegistry::Created::kCreated);
  ASSERT_EQ(registry.create(session("s-2")), SessionRegistry::Created::kCreated);
  EXPECT_TRUE(registry.with_session("s-qi-1", [](CallSession& s) { s.answered = true; return false; }));
  EXPECT_TRUE(ended.empty());
  EXPECT_TRUE(registry.with_session("s-qi-1", [](CallSession&) { return true; }));
  EXPECT_TRUE(registry.with_session("s-2", [](CallSession&) { return true; }));
  EXPECT_FALSE(registry.with_session("s-qi-1", [](CallSession&) { return true; }));
  ASSERT_EQ(ended.size(), 2u);
  EXPECT_EQ(ended[0], std::make_pair(std::string("qi-1"), true));
  EXPECT_EQ(ended[1], std::make_pair(std::string(), false));
}
