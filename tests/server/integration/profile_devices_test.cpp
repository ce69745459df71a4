// Profiles, device management, request limits and audit events end to end
// (issue 4; docs/auth.md): the real qsipd over QUIC with libqsip clients.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <thread>

#include "core/envelope_builder.hpp"
#include "qsip/client.hpp"
#include "client_waits.hpp"
#include "running_qsipd.hpp"
#include "shared_server_test.hpp"
#include "store/sqlite/sqlite_database.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::envelope;
using qsip::test::RunningQsipd;
using qsip::test::eventually;
using qsip::test::wait_for;

namespace {

bool is_profile_notice(const Message& m) { return m.type() == "USER_PROFILE" && m.payload_string("action") == "set"; }

// A member of a JSON object given as text ("" when absent).
std::string member(const std::string& object_json, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element value;
  if (parser.parse(object_json)[key].get(value)) return {};
  return simdjson::to_string(value);
}

class ProfileDevices : public qsip::test::SharedServerTest {
 protected:
  static Message profile(Client& c, const std::string& user, const std::string& device, const std::string& payload) {
    return c.request(envelope("USER_PROFILE", user, device, payload)).get();
  }
};

}  // namespace

TEST_F(ProfileDevices, SetMergesAndGetAnswersTheOwnProfile) {
  auto alice = id("alice");
  auto a = server_->connect_registered(alice, "d1");
  auto set = profile(*a, alice, "d1",
                     R"({"action":"set","profile_data":{"display_name":"Alice","pronouns":"she/her","favourite_colour":"teal"}})");
  ASSERT_EQ(set.type(), "RECEIPT") << set.json();
  EXPECT_EQ(set.payload_string("status"), "ok");
  ASSERT_EQ(profile(*a, alice, "d1", R"({"action":"set","profile_data":{"pronouns":null,"timezone":"Europe/Paris"}})").type(),
            "RECEIPT");
  auto got = profile(*a, alice, "d1", R"({"action":"get"})");
  ASSERT_EQ(got.type(), "USER_PROFILE") << got.json();
  EXPECT_EQ(got.from_user_id(), "qsip-server");
  EXPECT_EQ(got.payload_string("action"), "get");
  EXPECT_EQ(got.payload_string("target_user_id"), alice);
  auto data = *got.payload_json("profile_data");
  EXPECT_EQ(member(data, "display_name"), R"("Alice")");
  EXPECT_EQ(member(data, "favourite_colour"), R"("teal")");
  EXPECT_EQ(member(data, "timezone"), R"("Europe/Paris")");
  EXPECT_EQ(member(data, "pronouns"), "");  // removed by null
  EXPECT_EQ(member(data, "visibility"), R"({"basic":"everyone","status":"contacts","work":"contacts","other":"contacts"})");

  auto bad = profile(*a, alice, "d1", R"({"action":"set","profile_data":{"visibility":{"basic":"friends"}}})");
  EXPECT_EQ(bad.error_code(), 4001) << bad.json();
  auto other = profile(*a, alice, "d1", R"({"action":"set","target_user_id":"someone-else","profile_data":{}})");
  EXPECT_EQ(other.error_code(), 4014) << other.json();
}

TEST_F(ProfileDevices, OthersSeeOnlyWhatVisibilityAllows) {
  auto alice = id("alice"), bob = id("bob");
  auto a = server_->connect_registered(alice, "d1");
  auto b = server_->connect_registered(bob, "d1");
  ASSERT_EQ(profile(*a, alice, "d1",
                    R"({"action":"set","profile_data":{"display_name":"Alice","department":"R&D","custom_status_text":"Deep work",)"
                    R"("visibility":{"work":"everyone","status":"nobody"}}})")
                .type(),
            "RECEIPT");
  auto seen = profile(*b, bob, "d1", R"({"action":"get","target_user_id":")" + alice + R"("})");
  ASSERT_EQ(seen.type(), "USER_PROFILE") << seen.json();
  auto data = *seen.payload_json("profile_data");
  EXPECT_EQ(member(data, "display_name"), R"("Alice")");   // everyone (the default for basic)
  EXPECT_EQ(member(data, "department"), R"("R&D")");       // work: everyone
  EXPECT_EQ(member(data, "custom_status_text"), "");      // status: nobody
  EXPECT_EQ(member(data, "visibility"), "");              // settings are the owner's own

  ASSERT_EQ(profile(*a, alice, "d1", R"({"action":"set","profile_data":{"visibility":{"basic":"nobody"}}})").type(), "RECEIPT");
  auto hidden = profile(*b, bob, "d1", R"({"action":"get","target_user_id":")" + alice + R"("})");
  EXPECT_EQ(member(*hidden.payload_json("profile_data"), "display_name"), "");
  // The owner still sees everything.
  auto own = profile(*a, alice, "d1", R"({"action":"get"})");
  EXPECT_EQ(member(*own.payload_json("profile_data"), "custom_status_text"), R"("Deep work")");

  auto nobody = profile(*b, bob, "d1", R"({"action":"get","target_user_id":"no-such-user-anywhere"})");
  EXPECT_EQ(nobody.error_code(), 4041) << nobody.json();
}

TEST_F(ProfileDevices, ApprovedContactsSeeContactFieldsAndAreToldOfChanges) {
  auto alice = id("alice"), bob = id("bob"), carol = id("carol");
  auto a = server_->connect_registered(alice, "d1");
  auto b = server_->connect_registered(bob, "d1");
  auto c = server_->connect_registered(carol, "d1");
  ASSERT_EQ(profile(*a, alice, "d1", R"({"action":"set","profile_data":{"display_name":"Alice","department":"R&D"}})").type(),
            "RECEIPT");
  // Not yet a contact: "work" is visible to contacts by default.
  auto before = profile(*b, bob, "d1", R"({"action":"get","target_user_id":")" + alice + R"("})");
  ASSERT_EQ(before.type(), "USER_PROFILE") << before.json();
  EXPECT_EQ(member(*before.payload_json("profile_data"), "department"), "");

  // Bob asks to see Alice; Alice approves: they are contacts (docs/presence.md).
  auto roster = [](Client& cl, const std::string& user, const std::string& action, const std::string& contact) {
    return cl.request(envelope("ROSTER", user, "d1", R"({"action":")" + action + R"(","contact_id":")" + contact + R"(","contact_info":{}})"))
        .get();
  };
  ASSERT_EQ(roster(*b, bob, "add", alice).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*a, [&](const Message& m) {
    return m.type() == "ROSTER" && m.payload_string("action") == "subscription_request";
  }));
  ASSERT_EQ(roster(*a, alice, "approve", bob).type(), "RECEIPT");
  ASSERT_TRUE(eventually([&] {
    auto after = profile(*b, bob, "d1", R"({"action":"get","target_user_id":")" + alice + R"("})");
    return member(*after.payload_json("profile_data"), "department") == R"("R&D")";
  }));

  // A change visible to contacts reaches Bob, never Carol.
  ASSERT_EQ(profile(*a, alice, "d1", R"({"action":"set","profile_data":{"custom_status_text":"Travelling"}})").type(),
            "RECEIPT");
  auto told = wait_for(*b, is_profile_notice);
  ASSERT_TRUE(told) << "the contact was not told";
  EXPECT_EQ(told->payload_string("target_user_id"), alice);
  EXPECT_EQ(member(*told->payload_json("profile_data"), "custom_status_text"), R"("Travelling")");
  EXPECT_EQ(member(*told->payload_json("profile_data"), "visibility"), "");
  EXPECT_FALSE(wait_for(*c, is_profile_notice, 300ms));
}

TEST_F(ProfileDevices, AChangeReachesTheUsersOtherDevices) {
  auto carol = id("carol");
  auto laptop = server_->connect_registered(carol, "laptop");
  auto phone = server_->connect_registered(carol, "phone");
  ASSERT_EQ(profile(*laptop, carol, "laptop", R"({"action":"set","profile_data":{"display_name":"Carol"}})").type(),
            "RECEIPT");
  auto notice = wait_for(*phone, is_profile_notice);
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->from_user_id(), "qsip-server");
  EXPECT_EQ(notice->payload_string("target_user_id"), carol);
  EXPECT_EQ(notice->payload_string("origin_device_id"), "laptop");
  EXPECT_EQ(member(*notice->payload_json("profile_data"), "display_name"), R"("Carol")");
  EXPECT_EQ(*notice->payload_json("changed_fields"), R"(["display_name"])");
  // The device that made the change has its answer and no notice.
  EXPECT_FALSE(wait_for(*laptop, is_profile_notice, 300ms));
}

TEST_F(ProfileDevices, AnExpiredCustomStatusIsClearedAndTold) {
  auto dan = id("dan");
  auto d1 = server_->connect_registered(dan, "d1");
  auto d2 = server_->connect_registered(dan, "d2");
  auto expires = core::format_timestamp(std::chrono::system_clock::now() + 1500ms);
  ASSERT_EQ(profile(*d1, dan, "d1",
                    R"({"action":"set","profile_data":{"display_name":"Dan","custom_status_emoji":"🍜","custom_status_text":"Lunch",)"
                    R"("custom_status_expires_at":")" + expires + R"("}})")
                .type(),
            "RECEIPT");
  auto set_notice = wait_for(*d2, is_profile_notice);
  ASSERT_TRUE(set_notice);
  EXPECT_EQ(member(*set_notice->payload_json("profile_data"), "custom_status_text"), R"("Lunch")");

  auto cleared = wait_for(*d1, is_profile_notice, 6s);
  ASSERT_TRUE(cleared) << "no notice of the expiry";
  auto data = *cleared->payload_json("profile_data");
  EXPECT_EQ(member(data, "custom_status_text"), "");
  EXPECT_EQ(member(data, "custom_status_emoji"), "");
  EXPECT_EQ(member(data, "display_name"), R"("Dan")");
  EXPECT_NE(cleared->payload_json("changed_fields")->find("custom_status_text"), std::string::npos);
  EXPECT_TRUE(wait_for(*d2, [](const Message& m) {
    return is_profile_notice(m) && m.payload_json("changed_fields")->find("custom_status_text") != std::string::npos;
  }));
  auto got = profile(*d1, dan, "d1", R"({"action":"get"})");
  EXPECT_EQ(member(*got.payload_json("profile_data"), "custom_status_expires_at"), "");
}

TEST_F(ProfileDevices, DevicesAreListedRenamedAndRemoved) {
  auto erin = id("erin");
  auto laptop = server_->connect_registered(erin, "laptop");
  auto phone = server_->connect_registered(erin, "phone");
  auto options = server_->client_options();
  options.reconnect = false;
  Client tablet(options);
  tablet.connect();
  std::string tablet_token = server_->token(erin, "tablet");
  std::string reg = R"({"auth_token":")" + tablet_token + R"(","device_info":{"os":"tabletOS"},"capabilities":["chat"],"supports_datagrams":true})";
  ASSERT_EQ(tablet.request(envelope("REGISTER", erin, "tablet", reg)).get().type(), "RECEIPT");

  // REGISTER records its device in the background: the RECEIPT may come before the commit.
  std::optional<Message> listed;
  ASSERT_TRUE(eventually([&] {
    listed = profile(*laptop, erin, "laptop", R"({"action":"list_devices"})");
    return listed->type() == "USER_PROFILE" && listed->payload_json("devices")->find("tablet") != std::string::npos;
  }, 5s)) << listed->json();
  const Message& list = *listed;
  EXPECT_EQ(list.payload_string("action"), "list_devices");
  simdjson::dom::parser parser;
  auto devices_json = *list.payload_json("devices");
  simdjson::dom::array devices = parser.parse(devices_json).get_array();
  ASSERT_EQ(devices.size(), 3u) << devices_json;
  for (auto d : devices) {
    EXPECT_TRUE(bool(d["online"]));
    EXPECT_FALSE(d["first_seen"].error());
    EXPECT_FALSE(d["last_seen"].error());
    if (std::string_view(d["device_id"]) == "tablet") {
      EXPECT_EQ(simdjson::to_string(d["device_info"]), R"({"os":"tabletOS"})");
      EXPECT_EQ(simdjson::to_string(d["capabilities"]), R"(["chat"])");
      EXPECT_TRUE(bool(d["supports_datagrams"]));
    }
  }

  auto renamed = profile(*laptop, erin, "laptop", R"({"action":"rename_device","device_id":"phone","device_name":"Erin's phone"})");
  ASSERT_EQ(renamed.type(), "RECEIPT") << renamed.json();
  EXPECT_TRUE(wait_for(*phone, [](const Message& m) { return m.payload_string("action") == "rename_device"; }));
  auto relisted = profile(*laptop, erin, "laptop", R"({"action":"list_devices"})");
  EXPECT_NE(relisted.payload_json("devices")->find(R"("name":"Erin's phone")"), std::string::npos);

  auto started = std::chrono::steady_clock::now();
  auto removed = profile(*laptop, erin, "laptop", R"({"action":"remove_device","device_id":"tablet"})");
  ASSERT_EQ(removed.type(), "RECEIPT") << removed.json();
  ASSERT_TRUE(eventually([&] { return !tablet.info().connected; }, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_EQ(tablet.info().last_close_code, 0x13u);  // Revoked
  EXPECT_TRUE(wait_for(*phone, [](const Message& m) { return m.payload_string("action") == "remove_device"; }));
  auto again = server_->connect();
  auto refused = again->request(envelope("REGISTER", erin, "tablet", reg)).get();
  EXPECT_EQ(refused.error_code(), 4011) << refused.json();
  auto after = profile(*laptop, erin, "laptop", R"({"action":"list_devices"})");
  EXPECT_EQ(after.payload_json("devices")->find("tablet"), std::string::npos);

  EXPECT_EQ(profile(*laptop, erin, "laptop", R"({"action":"remove_device","device_id":"laptop"})").error_code(), 4051);
  EXPECT_EQ(profile(*laptop, erin, "laptop", R"({"action":"remove_device","device_id":"toaster"})").error_code(), 4045);
  EXPECT_EQ(profile(*laptop, erin, "laptop", R"({"action":"rename_device","device_id":"toaster","device_name":"x"})").error_code(),
            4045);
}

TEST_F(ProfileDevices, LoginsAndDeviceRemovalAreAudited) {
  auto frank = id("frank");
  auto good = server_->connect_registered(frank, "d1");
  auto second = server_->connect_registered(frank, "d2");
  auto bad = server_->connect();
  std::string forged = R"({"auth_token":"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.","device_info":{}})";
  EXPECT_EQ(bad->request(envelope("REGISTER", frank, "d3", forged)).get().error_code(), 4013);
  ASSERT_EQ(profile(*good, frank, "d1", R"({"action":"remove_device","device_id":"d2"})").type(), "RECEIPT");

  store::SqliteDatabase db(server_->data_dir() + "/qsip.db", store::SyncPolicy::kNormal, /*read_only=*/true);
  auto count = [&](const std::string& type, const std::string& status, const std::string& device) {
    auto q = db.prepare("SELECT count(*) FROM audit_events WHERE event_type = ?1 AND status = ?2 AND actor_user_id = ?3 "
                        "AND actor_device_id = ?4");
    q.bind(1, type).bind(2, status).bind(3, frank).bind(4, device);
    return q.step() ? q.integer(0) : -1;
  };
  EXPECT_TRUE(eventually([&] { return count("login_success", "success", "d1") == 1; }, 5s));
  EXPECT_EQ(count("login_success", "success", "d2"), 1);
  EXPECT_TRUE(eventually([&] { return count("login_failure", "failure", "d3") == 1; }, 5s));
  EXPECT_EQ(count("device_removed", "success", "d1"), 1);
  EXPECT_EQ(count("token_revoked", "success", "d1"), 1);
  auto q = db.prepare("SELECT failure_reason, details, target_resource_id FROM audit_events WHERE event_type = 'login_failure' "
                      "AND actor_user_id = ?1");
  q.bind(1, frank);
  ASSERT_TRUE(q.step());
  EXPECT_FALSE(q.text(0).empty());
  EXPECT_EQ(q.text(1), R"({"code":4013})");
  EXPECT_EQ(q.text(2), frank);
  // The peer's address (no port) is kept for the audit log.
  auto ip = db.prepare("SELECT ip_address FROM audit_events WHERE event_type = 'device_removed' AND actor_user_id = ?1");
  ip.bind(1, frank);
  ASSERT_TRUE(ip.step());
  EXPECT_EQ(ip.text(0), "127.0.0.1");
}

// Its own server: limits low enough to reach in a test.
TEST(RequestLimits, AreAnsweredWith4291AndRecoverAndAFloodDisconnects) {
  RunningQsipd server({}, "[limits]\nmessages_per_second = 5\nmessages_burst = 5\nrefusals_burst = 20\n");
  auto client = server.connect_registered("u-limits", "d1");  // REGISTER used one message
  std::vector<std::future<Message>> answers;
  for (int i = 0; i < 10; ++i)
    answers.push_back(client->request(envelope("USER_PROFILE", "u-limits", "d1", R"({"action":"get"})")));
  int ok = 0;
  std::optional<Message> limited;
  for (auto& f : answers) {
    auto m = f.get();
    if (m.type() == "USER_PROFILE") ++ok;
    else if (m.error_code() == 4291 && !limited) limited = m;
  }
  EXPECT_GE(ok, 4);
  ASSERT_TRUE(limited) << "no 4291";
  EXPECT_EQ(limited->payload_string("reason"), "TooManyRequests");
  EXPECT_TRUE(limited->payload_string("target_message_id"));
  auto retry_after = limited->payload_int("retry_after_ms");
  ASSERT_TRUE(retry_after);
  EXPECT_GT(*retry_after, 0);
  EXPECT_LE(*retry_after, 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(*retry_after + 300));
  EXPECT_EQ(client->request(envelope("USER_PROFILE", "u-limits", "d1", R"({"action":"get"})")).get().type(), "USER_PROFILE");
  EXPECT_TRUE(client->info().connected);

  auto options = server.client_options();
  options.reconnect = false;
  Client flooder(options);
  flooder.connect();
  std::string reg = R"({"auth_token":")" + server.token("u-flood", "d1") + R"(","device_info":{}})";
  ASSERT_EQ(flooder.request(envelope("REGISTER", "u-flood", "d1", reg)).get().type(), "RECEIPT");
  for (int i = 0; i < 100; ++i) flooder.send(envelope("USER_PROFILE", "u-flood", "d1", R"({"action":"get"})"));
  ASSERT_TRUE(eventually([&] { return !flooder.info().connected; }, 5s));
  EXPECT_EQ(flooder.info().last_close_code, 0x10u);  // AbusivePeer
}
