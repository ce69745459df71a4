// Presence and roster end to end (issue 4; docs/presence.md): the real qsipd
// over QUIC, several users and devices as libqsip clients. Who may see whose
// presence, subscription requests and answers, blocking, aggregation across
// devices, offline on disconnect, and the roster's own answers and errors.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <optional>

#include "qsip/client.hpp"
#include "client_waits.hpp"
#include "running_qsipd.hpp"
#include "shared_server_test.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::envelope;
using qsip::test::RunningQsipd;
using qsip::test::eventually;
using qsip::test::wait_for;

namespace {

std::function<bool(const Message&)> presence_of(std::string user, std::string status = {}) {
  return [user, status](const Message& m) {
    return m.type() == "PRESENCE" && m.payload_string("user_id") == user &&
           (status.empty() || m.payload_string("status") == status);
  };
}

std::function<bool(const Message&)> roster(std::string action, std::string contact) {
  return [action, contact](const Message& m) {
    return m.type() == "ROSTER" && m.payload_string("action") == action && m.payload_string("contact_id") == contact;
  };
}

class PresenceRoster : public qsip::test::SharedServerTest {
 protected:

  // Each test uses its own user names (the server lives for the suite).
  std::unique_ptr<Client> login(const std::string& user, const std::string& device) {
    return server_->connect_registered(user, device);
  }
  Message act(Client& c, const std::string& user, const std::string& device, const std::string& action,
              const std::string& contact, const std::string& info = "{}") {
    return c.request(envelope("ROSTER", user, device,
                              R"({"action":")" + action + R"(","contact_id":")" + contact + R"(","contact_info":)" + info + "}"))
        .get();
  }
  Message presence(Client& c, const std::string& user, const std::string& device, const std::string& payload) {
    return c.request(envelope("PRESENCE", user, device, payload)).get();
  }
  // `watcher` asks to see `watched`'s presence and `watched` approves.
  void subscribe(Client& watcher_client, const std::string& watcher, const std::string& watcher_device,
                 Client& watched_client, const std::string& watched, const std::string& watched_device) {
    auto added = act(watcher_client, watcher, watcher_device, "add", watched);
    ASSERT_EQ(added.type(), "RECEIPT") << added.json();
    ASSERT_TRUE(wait_for(watched_client, roster("subscription_request", watcher)));
    auto approved = act(watched_client, watched, watched_device, "approve", watcher);
    ASSERT_EQ(approved.type(), "RECEIPT") << approved.json();
    ASSERT_TRUE(wait_for(watcher_client, roster("subscription_approved", watched)));
  }

};

}  // namespace

TEST_F(PresenceRoster, ApprovedWatcherReceivesPresenceChanges) {
  auto alice = id("alice"), bob = id("bob");
  auto a = login(alice, "d-a");
  auto b = login(bob, "d-b");
  auto added = act(*a, alice, "d-a", "add", bob, R"({"display_name":"Bob","group":"work"})");
  ASSERT_EQ(added.type(), "RECEIPT") << added.json();
  EXPECT_EQ(added.payload_string("status"), "ok");
  EXPECT_EQ(added.payload_string("subscription"), "none");
  EXPECT_EQ(added.payload_bool("ask"), true);

  auto request = wait_for(*b, roster("subscription_request", alice));
  ASSERT_TRUE(request);
  EXPECT_EQ(request->from_user_id(), "qsip-server");

  auto approved = act(*b, bob, "d-b", "approve", alice);
  ASSERT_EQ(approved.type(), "RECEIPT") << approved.json();
  EXPECT_EQ(approved.payload_string("subscription"), "from");
  ASSERT_TRUE(wait_for(*a, roster("subscription_approved", bob)));
  // The watcher learns the current presence at once (bob has published none: offline).
  ASSERT_TRUE(wait_for(*a, presence_of(bob, "offline")));

  auto receipt = presence(*b, bob, "d-b", R"({"status":"busy","status_message":"On a call","activity":"in_call"})");
  EXPECT_EQ(receipt.type(), "RECEIPT");
  EXPECT_EQ(receipt.payload_string("status"), "ok");
  auto busy = wait_for(*a, presence_of(bob, "busy"));
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->from_user_id(), "qsip-server");
  EXPECT_EQ(busy->payload_string("status_message"), "On a call");
  EXPECT_EQ(busy->payload_string("activity"), "in_call");
  EXPECT_TRUE(busy->payload_string("last_active_at"));
  // One-directional: bob does not see alice.
  presence(*a, alice, "d-a", R"({"status":"available"})");
  EXPECT_FALSE(wait_for(*b, presence_of(alice), 700ms));
}

TEST_F(PresenceRoster, PresenceNeverReachesAUserWhoIsNotApproved) {
  auto bob = id("bob"), watcher = id("watcher"), asker = id("asker"), stranger = id("stranger");
  auto b = login(bob, "d-b");
  auto w = login(watcher, "d-w");
  auto asking = login(asker, "d-q");
  auto s = login(stranger, "d-s");
  subscribe(*w, watcher, "d-w", *b, bob, "d-b");
  // Asked but not approved.
  ASSERT_EQ(act(*asking, asker, "d-q", "add", bob).type(), "RECEIPT");

  presence(*b, bob, "d-b", R"({"status":"available","status_message":"here"})");
  ASSERT_TRUE(wait_for(*w, presence_of(bob, "available")));  // the fan-out happened
  EXPECT_FALSE(wait_for(*asking, presence_of(bob), 700ms));
  EXPECT_FALSE(wait_for(*s, presence_of(bob), 200ms));
  // Nor after their REGISTER.
  auto s2 = login(stranger, "d-s2");
  EXPECT_FALSE(wait_for(*s2, presence_of(bob), 500ms));
  // Deny ends it for good: the asker is told, and still sees nothing.
  ASSERT_EQ(act(*b, bob, "d-b", "deny", asker).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*asking, roster("deny", bob)));
  presence(*b, bob, "d-b", R"({"status":"away"})");
  ASSERT_TRUE(wait_for(*w, presence_of(bob, "away")));
  EXPECT_FALSE(wait_for(*asking, presence_of(bob), 500ms));
}

TEST_F(PresenceRoster, BlockedUserIsRefusedAndStopsSeeingPresence) {
  auto alice = id("alice"), bob = id("bob");
  auto a = login(alice, "d-a");
  auto b = login(bob, "d-b");
  subscribe(*a, alice, "d-a", *b, bob, "d-b");
  presence(*b, bob, "d-b", R"({"status":"available"})");
  ASSERT_TRUE(wait_for(*a, presence_of(bob, "available")));

  auto blocked = act(*b, bob, "d-b", "block", alice);
  ASSERT_EQ(blocked.type(), "RECEIPT") << blocked.json();
  EXPECT_EQ(blocked.payload_bool("blocked"), true);
  // The last thing alice learns of bob: offline, without details.
  auto last = wait_for(*a, presence_of(bob, "offline"));
  ASSERT_TRUE(last);
  EXPECT_FALSE(last->payload_string("last_active_at"));

  auto refused = act(*a, alice, "d-a", "add", bob);
  EXPECT_EQ(refused.error_code(), 4033) << refused.json();
  presence(*b, bob, "d-b", R"({"status":"dnd"})");
  EXPECT_FALSE(wait_for(*a, presence_of(bob), 700ms));
  EXPECT_FALSE(wait_for(*b, roster("subscription_request", alice), 200ms));

  ASSERT_EQ(act(*b, bob, "d-b", "unblock", alice).type(), "RECEIPT");
  EXPECT_EQ(act(*a, alice, "d-a", "add", bob).type(), "RECEIPT");
  EXPECT_TRUE(wait_for(*b, roster("subscription_request", alice)));
}

TEST_F(PresenceRoster, BothDevicesOfAWatcherReceivePresence) {
  auto alice = id("alice"), bob = id("bob");
  auto a1 = login(alice, "d-a1");
  auto b = login(bob, "d-b");
  subscribe(*a1, alice, "d-a1", *b, bob, "d-b");
  auto a2 = login(alice, "d-a2");
  presence(*b, bob, "d-b", R"({"status":"away","status_message":"lunch"})");
  EXPECT_TRUE(wait_for(*a1, presence_of(bob, "away")));
  auto on_second = wait_for(*a2, presence_of(bob, "away"));
  ASSERT_TRUE(on_second);
  EXPECT_EQ(on_second->payload_string("status_message"), "lunch");
}

TEST_F(PresenceRoster, PresenceIsAggregatedAcrossDevicesAndReflectedToThem) {
  auto alice = id("alice"), bob = id("bob");
  auto a = login(alice, "d-a");
  auto phone = login(bob, "d-phone");
  subscribe(*a, alice, "d-a", *phone, bob, "d-phone");
  auto laptop = login(bob, "d-laptop");

  presence(*phone, bob, "d-phone", R"({"status":"away","status_message":"mobile"})");
  ASSERT_TRUE(wait_for(*a, presence_of(bob, "away")));
  // The other device hears of the change (16.3), with the device that made it.
  auto reflected = wait_for(*laptop, presence_of(bob, "away"));
  ASSERT_TRUE(reflected);
  EXPECT_EQ(reflected->payload_string("device_id"), "d-phone");
  EXPECT_EQ(reflected->payload_string("device_status"), "away");

  presence(*laptop, bob, "d-laptop", R"({"status":"busy","status_message":"meeting","activity":"in_meeting"})");
  auto busy = wait_for(*a, presence_of(bob, "busy"));
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->payload_string("status_message"), "meeting");
  EXPECT_FALSE(busy->payload_string("device_id"));  // watchers see the user, not devices
  ASSERT_TRUE(wait_for(*phone, presence_of(bob, "busy")));

  // A lower status on one device is not a change for watchers ...
  presence(*phone, bob, "d-phone", R"({"status":"dnd"})");
  auto dnd_on_laptop = wait_for(*laptop, [&](const Message& m) {
    return presence_of(bob)(m) && m.payload_string("device_status") == "dnd";
  });
  ASSERT_TRUE(dnd_on_laptop);
  EXPECT_EQ(dnd_on_laptop->payload_string("status"), "busy");
  EXPECT_FALSE(wait_for(*a, presence_of(bob), 500ms));
  // ... until the higher one goes.
  presence(*laptop, bob, "d-laptop", R"({"status":"offline"})");
  auto dnd = wait_for(*a, presence_of(bob, "dnd"));
  ASSERT_TRUE(dnd);
  EXPECT_FALSE(dnd->payload_string("status_message"));
}

TEST_F(PresenceRoster, LastDeviceDisconnectingIsOfflineForWatchers) {
  auto alice = id("alice"), bob = id("bob");
  auto a = login(alice, "d-a");
  auto b1 = login(bob, "d-b1");
  subscribe(*a, alice, "d-a", *b1, bob, "d-b1");
  auto b2 = login(bob, "d-b2");
  presence(*b1, bob, "d-b1", R"({"status":"available"})");
  presence(*b2, bob, "d-b2", R"({"status":"away"})");
  ASSERT_TRUE(wait_for(*a, presence_of(bob, "available")));

  b1->close();
  auto away = wait_for(*a, presence_of(bob, "away"));
  ASSERT_TRUE(away);
  // bob's remaining device hears that the other one left.
  auto left = wait_for(*b2, [&](const Message& m) {
    return presence_of(bob)(m) && m.payload_string("device_id") == "d-b1" &&
           m.payload_string("device_status") == "offline";
  });
  ASSERT_TRUE(left);
  EXPECT_EQ(left->payload_string("status"), "away");

  b2.reset();
  auto offline = wait_for(*a, presence_of(bob, "offline"));
  ASSERT_TRUE(offline);
  EXPECT_TRUE(offline->payload_string("last_active_at"));
}

TEST_F(PresenceRoster, AWatcherGetsCurrentPresenceRightAfterRegister) {
  auto alice = id("alice"), bob = id("bob"), carol = id("carol");
  auto a = login(alice, "d-a");
  auto b = login(bob, "d-b");
  auto c = login(carol, "d-c");
  subscribe(*a, alice, "d-a", *b, bob, "d-b");
  subscribe(*a, alice, "d-a", *c, carol, "d-c");
  presence(*b, bob, "d-b", R"({"status":"dnd","status_message":"focus"})");
  presence(*c, carol, "d-c", R"({"status":"available"})");
  ASSERT_TRUE(wait_for(*a, presence_of(carol, "available")));
  a.reset();

  auto again = login(alice, "d-a-new");
  auto bob_now = wait_for(*again, presence_of(bob));
  ASSERT_TRUE(bob_now);
  EXPECT_EQ(bob_now->payload_string("status"), "dnd");
  EXPECT_EQ(bob_now->payload_string("status_message"), "focus");
  EXPECT_TRUE(wait_for(*again, presence_of(carol, "available")));
}

TEST_F(PresenceRoster, RequestsMadeWhileOfflineArriveAtTheNextRegister) {
  auto alice = id("alice"), dave = id("dave");
  login(dave, "d-d").reset();  // dave has an account, then goes away
  auto a = login(alice, "d-a");
  ASSERT_EQ(act(*a, alice, "d-a", "add", dave).type(), "RECEIPT");
  auto d = login(dave, "d-d");
  ASSERT_TRUE(wait_for(*d, roster("subscription_request", alice)));
  ASSERT_EQ(act(*d, dave, "d-d", "approve", alice).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*a, roster("subscription_approved", dave)));
  // Answered: not sent again.
  auto d2 = login(dave, "d-d2");
  EXPECT_FALSE(wait_for(*d2, roster("subscription_request", alice), 500ms));
}

TEST_F(PresenceRoster, RosterListShowsContactsRequestsAndBlocks) {
  auto alice = id("alice"), bob = id("bob"), carol = id("carol"), eve = id("eve");
  auto a = login(alice, "d-a");
  auto b = login(bob, "d-b");
  auto c = login(carol, "d-c");
  auto e = login(eve, "d-e");
  subscribe(*a, alice, "d-a", *b, bob, "d-b");
  ASSERT_EQ(act(*a, alice, "d-a", "add", carol, R"({"display_name":"Carol","tags":["x"]})").type(), "RECEIPT");
  ASSERT_EQ(act(*e, eve, "d-e", "add", alice).type(), "RECEIPT");
  ASSERT_EQ(act(*a, alice, "d-a", "block", id("mallory")).type(), "RECEIPT");
  ASSERT_EQ(act(*a, alice, "d-a", "update", bob, R"({"display_name":"Bobby"})").type(), "RECEIPT");

  auto list = act(*a, alice, "d-a", "list", alice);
  ASSERT_EQ(list.type(), "ROSTER") << list.json();
  EXPECT_EQ(list.payload_string("action"), "list");
  auto contacts = list.payload_json("contacts");
  ASSERT_TRUE(contacts);
  EXPECT_NE(contacts->find(R"({"contact_id":")" + bob + R"(","contact_info":{"display_name":"Bobby"},"subscription":"to","ask":false,"pending_in":false,"blocked":false})"),
            std::string::npos) << *contacts;
  EXPECT_NE(contacts->find(R"({"contact_id":")" + carol + R"(","contact_info":{"display_name":"Carol","tags":["x"]},"subscription":"none","ask":true)"),
            std::string::npos) << *contacts;
  EXPECT_EQ(list.payload_json("pending_requests"), "[\"" + eve + "\"]");
  EXPECT_EQ(list.payload_json("blocked"), "[\"" + id("mallory") + "\"]");

  ASSERT_EQ(act(*a, alice, "d-a", "remove", carol).type(), "RECEIPT");
  auto after = act(*a, alice, "d-a", "list", alice);
  EXPECT_EQ(after.payload_json("contacts")->find(carol), std::string::npos);
}

TEST_F(PresenceRoster, RosterChangesReachTheUsersOtherDevices) {
  auto alice = id("alice"), carol = id("carol");
  auto c = login(carol, "d-c");
  auto a1 = login(alice, "d-a1");
  auto a2 = login(alice, "d-a2");
  ASSERT_EQ(act(*a1, alice, "d-a1", "add", carol, R"({"display_name":"Carol"})").type(), "RECEIPT");
  auto pushed = wait_for(*a2, roster("add", carol));
  ASSERT_TRUE(pushed);
  EXPECT_EQ(pushed->from_user_id(), "qsip-server");
  EXPECT_EQ(pushed->payload_string("origin_device_id"), "d-a1");
  EXPECT_EQ(pushed->payload_json("contact_info"), R"({"display_name":"Carol"})");
  EXPECT_EQ(pushed->payload_bool("ask"), true);
  // The device that made the change only gets its RECEIPT.
  EXPECT_FALSE(wait_for(*a1, roster("add", carol), 300ms));
  // A subscription answer reaches every device of the requester.
  ASSERT_TRUE(wait_for(*c, roster("subscription_request", alice)));
  ASSERT_EQ(act(*c, carol, "d-c", "approve", alice).type(), "RECEIPT");
  EXPECT_TRUE(wait_for(*a1, roster("subscription_approved", carol)));
  EXPECT_TRUE(wait_for(*a2, roster("subscription_approved", carol)));
}

TEST_F(PresenceRoster, BadRosterRequestsGetDocumentedErrors) {
  auto alice = id("alice"), bob = id("bob");
  auto a = login(alice, "d-a");
  auto b = login(bob, "d-b");
  auto no_request = act(*a, alice, "d-a", "approve", bob);
  EXPECT_EQ(no_request.error_code(), 4051) << no_request.json();
  EXPECT_EQ(no_request.payload_string("target_message_id").has_value(), true);
  EXPECT_EQ(act(*a, alice, "d-a", "deny", bob).error_code(), 4051);
  EXPECT_EQ(act(*a, alice, "d-a", "unblock", bob).error_code(), 4051);
  EXPECT_EQ(act(*a, alice, "d-a", "update", bob).error_code(), 4032);
  EXPECT_EQ(act(*a, alice, "d-a", "remove", bob).error_code(), 4032);
  EXPECT_EQ(act(*a, alice, "d-a", "add", id("nobody")).error_code(), 4041);
  EXPECT_EQ(act(*a, alice, "d-a", "add", alice).error_code(), 4001);
  EXPECT_EQ(act(*a, alice, "d-a", "subscription_approved", bob).error_code(), 4052);
  auto missing_info = a->request(envelope("ROSTER", alice, "d-a", R"({"action":"add","contact_id":"x"})")).get();
  EXPECT_EQ(missing_info.error_code(), 4001);
  EXPECT_EQ(missing_info.payload_string("detail"), "payload.contact_info: required");
  // Blocking yourself is as meaningless as adding yourself.
  EXPECT_EQ(act(*a, alice, "d-a", "block", alice).error_code(), 4001);
}

TEST_F(PresenceRoster, PresenceReplayedAsTheSameMessageIsHarmless) {
  auto alice = id("alice"), bob = id("bob");
  auto a = login(alice, "d-a");
  auto b = login(bob, "d-b");
  subscribe(*a, alice, "d-a", *b, bob, "d-b");
  auto first = b->request(envelope("PRESENCE", bob, "d-b", R"({"status":"busy"})", "p-same")).get();
  ASSERT_EQ(first.type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*a, presence_of(bob, "busy")));
  auto again = b->request(envelope("PRESENCE", bob, "d-b", R"({"status":"busy"})", "p-same")).get();
  EXPECT_EQ(again.type(), "RECEIPT");
  EXPECT_EQ(again.payload_string("status"), "ok");
  EXPECT_FALSE(wait_for(*a, presence_of(bob), 500ms));
}
