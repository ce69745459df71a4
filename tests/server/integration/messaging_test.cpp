// Durable messaging end to end (issue 5; docs/messaging.md): the real qsipd
// over QUIC with libqsip clients, which acknowledge and de-duplicate.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client_waits.hpp"
#include "core/envelope_builder.hpp"
#include "core/json_writer.hpp"
#include "core/payload_builders.hpp"
#include "running_qsipd.hpp"
#include "shared_server_test.hpp"
#include "store/sqlite/sqlite_database.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::envelope;
using qsip::test::text_payload;
using qsip::test::eventually;
using qsip::test::RunningQsipd;
using qsip::test::wait_for;

namespace {

std::function<bool(const Message&)> message_with_id(std::string id) {
  return [id](const Message& m) { return m.type() == "MESSAGE" && m.message_id() == id; };
}

class Messaging : public qsip::test::SharedServerTest {
 protected:
  static Message send_text(Client& c, const std::string& from, const std::string& device, const std::string& to,
                           const std::string& text, const std::string& message_id = {}) {
    return c.request(envelope("MESSAGE", from, device, text_payload(text), message_id, to)).get();
  }
};

}  // namespace

TEST_F(Messaging, ADirectMessageReachesEveryDeviceAndTheSendersOtherDevices) {
  auto alice = id("alice"), bob = id("bob");
  auto a1 = server_->connect_registered(alice, "a1");
  auto a2 = server_->connect_registered(alice, "a2");
  auto b1 = server_->connect_registered(bob, "b1");
  auto b2 = server_->connect_registered(bob, "b2");
  auto answer = send_text(*a1, alice, "a1", bob, "hello bob", "m-hello-" + alice);
  ASSERT_EQ(answer.type(), "RECEIPT") << answer.json();
  EXPECT_EQ(answer.payload_string("status"), "delivered_to_server");
  EXPECT_EQ(answer.payload_string("target_message_id"), "m-hello-" + alice);

  for (Client* c : {b1.get(), b2.get()}) {
    auto got = wait_for(*c, message_with_id("m-hello-" + alice));
    ASSERT_TRUE(got) << "a device of the recipient did not get the message";
    EXPECT_EQ(got->from_user_id(), alice);
    EXPECT_EQ(got->payload_string("content"), "hello bob");
  }
  // The sender's other device gets the copy; from names the device that sent it.
  auto copy = wait_for(*a2, message_with_id("m-hello-" + alice));
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->from_user_id(), alice);
  EXPECT_EQ(copy->from_device_id(), "a1");
  // The sending device gets no copy, but learns of the delivery.
  auto delivered = wait_for(*a1, [](const Message& m) {
    return m.type() == "RECEIPT" && m.payload_string("status") == "delivered_to_client";
  });
  ASSERT_TRUE(delivered) << "no delivered_to_client for the sender";
  EXPECT_EQ(delivered->payload_string("target_message_id"), "m-hello-" + alice);
  EXPECT_EQ(delivered->from_user_id(), bob);
  EXPECT_FALSE(wait_for(*a1, message_with_id("m-hello-" + alice), 300ms));
}

TEST_F(Messaging, RefusalsNameTheCause) {
  auto alice = id("alice"), bob = id("bob");
  auto a = server_->connect_registered(alice, "a1");
  auto b = server_->connect_registered(bob, "b1");
  EXPECT_EQ(send_text(*a, alice, "a1", "nobody-" + alice, "hi").error_code(), 4041);
  auto group = a->request(envelope("MESSAGE", alice, "a1", text_payload("hi"), {}, {})).get();
  EXPECT_EQ(group.error_code(), 4001) << group.json();  // no recipient at all
  auto blocked = b->request(envelope("ROSTER", bob, "b1", R"({"action":"block","contact_id":")" + alice +
                                                              R"(","contact_info":{}})"))
                     .get();
  ASSERT_EQ(blocked.type(), "RECEIPT") << blocked.json();
  auto refused = send_text(*a, alice, "a1", bob, "let me in");
  EXPECT_EQ(refused.error_code(), 4033) << refused.json();
  EXPECT_FALSE(wait_for(*b, [](const Message& m) { return m.type() == "MESSAGE"; }, 300ms));
}

TEST_F(Messaging, ARepeatedMessageIdIsAnsweredAgainButDeliveredOnce) {
  auto alice = id("alice"), bob = id("bob");
  auto a = server_->connect_registered(alice, "a1");
  auto b = server_->connect_registered(bob, "b1");
  const std::string mid = "m-dup-" + alice;
  for (int i = 0; i < 2; ++i) {
    auto answer = send_text(*a, alice, "a1", bob, "once", mid);
    EXPECT_EQ(answer.payload_string("status"), "delivered_to_server") << answer.json();
  }
  ASSERT_TRUE(wait_for(*b, message_with_id(mid)));
  EXPECT_FALSE(wait_for(*b, message_with_id(mid), 500ms)) << "delivered twice";
}

TEST_F(Messaging, AnOfflineDeviceGetsEverythingInOrderAtItsNextRegister) {
  auto alice = id("alice"), bob = id("bob");
  auto a = server_->connect_registered(alice, "a1");
  server_->connect_registered(bob, "b1")->close();  // bob exists, then goes offline
  constexpr int kCount = 50;
  for (int i = 0; i < kCount; ++i) {
    auto sent = send_text(*a, alice, "a1", bob, "n" + std::to_string(i), alice + "-" + std::to_string(i));
    ASSERT_EQ(sent.type(), "RECEIPT") << sent.json();
  }
  auto b = server_->connect_registered(bob, "b1");
  for (int i = 0; i < kCount; ++i) {
    auto m = wait_for(*b, [](const Message& x) { return x.type() == "MESSAGE"; });
    ASSERT_TRUE(m) << "missing message " << i;
    EXPECT_EQ(m->message_id(), alice + "-" + std::to_string(i)) << "out of order";
  }
  // Everything was acknowledged: the next session brings nothing again.
  b->close();
  std::this_thread::sleep_for(300ms);  // the server records the cursor as the connection goes
  auto again = server_->connect_registered(bob, "b1");
  auto repeated = wait_for(*again, [](const Message& x) { return x.type() == "MESSAGE"; }, 500ms);
  EXPECT_FALSE(repeated) << repeated->json();
  // A device bob never used starts where bob is, not at the beginning.
  auto fresh = server_->connect_registered(bob, "b-new");
  EXPECT_FALSE(wait_for(*fresh, [](const Message& x) { return x.type() == "MESSAGE"; }, 500ms));
}

TEST_F(Messaging, UrgentMessagesComeFirstInABacklog) {
  auto alice = id("alice"), bob = id("bob");
  auto a = server_->connect_registered(alice, "a1");
  server_->connect_registered(bob, "b1")->close();
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(send_text(*a, alice, "a1", bob, "normal", "n" + std::to_string(i) + "-" + alice).type(), "RECEIPT");
  auto urgent = a->request(envelope("MESSAGE", alice, "a1", R"({"message_type":"text","content":"now!","priority":"urgent"})",
                                    "u-" + alice, bob))
                    .get();
  ASSERT_EQ(urgent.type(), "RECEIPT");
  auto b = server_->connect_registered(bob, "b1");
  std::vector<std::string> order;
  while (auto m = wait_for(*b, [](const Message& x) { return x.type() == "MESSAGE"; }, 700ms))
    order.emplace_back(m->message_id());
  ASSERT_EQ(order.size(), 6u);
  EXPECT_EQ(order[0], "u-" + alice);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i + 1)], "n" + std::to_string(i) + "-" + alice);
}

TEST_F(Messaging, AFirstDeviceGetsWhatWasSentBeforeItEverConnected) {
  auto alice = id("alice"), carol = id("carol");
  auto a = server_->connect_registered(alice, "a1");
  // carol exists (an operator added her) but has never connected.
  {
    auto c = server_->connect_registered(carol, "setup");
    c->close();
  }
  auto sent = send_text(*a, alice, "a1", carol, "welcome", "m-welcome-" + alice);
  ASSERT_EQ(sent.type(), "RECEIPT") << sent.json();
  auto phone = server_->connect_registered(carol, "phone");
  // "setup" acknowledged nothing after the message, so carol's new phone starts before it.
  EXPECT_TRUE(wait_for(*phone, message_with_id("m-welcome-" + alice)));
}

TEST_F(Messaging, ReadReceiptsReachTheSenderAndTheReadersOtherDevices) {
  auto alice = id("alice"), bob = id("bob");
  auto a = server_->connect_registered(alice, "a1");
  auto b1 = server_->connect_registered(bob, "b1");
  auto b2 = server_->connect_registered(bob, "b2");
  const std::string mid = "m-read-" + alice;
  ASSERT_EQ(send_text(*a, alice, "a1", bob, "read me", mid).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*b1, message_with_id(mid)));
  b1->send(envelope("RECEIPT", bob, "b1", R"({"target_message_id":")" + mid + R"(","status":"read"})", {}, alice));
  auto read = wait_for(*a, [&](const Message& m) {
    return m.type() == "RECEIPT" && m.payload_string("status") == "read" && m.payload_string("target_message_id") == mid;
  });
  ASSERT_TRUE(read) << "the sender was not told";
  EXPECT_EQ(read->from_user_id(), bob);
  EXPECT_TRUE(wait_for(*b2, [&](const Message& m) {
    return m.type() == "RECEIPT" && m.payload_string("status") == "read";
  })) << "the reader's other device was not told";
  // A receipt for a message that is not yours is refused, naming the field.
  auto stranger = server_->connect_registered(id("eve"), "e1");
  auto refused = stranger->request(envelope("RECEIPT", id("eve"), "e1",
                                            R"({"target_message_id":")" + mid + R"(","status":"read"})", {}, alice))
                     .get();
  EXPECT_EQ(refused.error_code(), 4044) << refused.json();
}

TEST_F(Messaging, EditsAndDeletesByTheAuthorReachEveryDeviceOfflineOnesIncluded) {
  auto alice = id("alice"), bob = id("bob");
  auto a = server_->connect_registered(alice, "a1");
  auto b1 = server_->connect_registered(bob, "b1");
  server_->connect_registered(bob, "b2")->close();  // known to the server, offline
  const std::string mid = "m-edit-" + alice;
  ASSERT_EQ(send_text(*a, alice, "a1", bob, "first draft", mid).type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*b1, message_with_id(mid)));
  auto action = [&](Client& c, const std::string& user, const std::string& device, const std::string& payload) {
    return c.request(envelope("MESSAGE_ACTION", user, device, payload, {}, user == alice ? bob : alice)).get();
  };
  auto edited = action(*a, alice, "a1", R"({"action":"edit","target_message_id":")" + mid + R"(","new_content":"final"})");
  ASSERT_EQ(edited.type(), "RECEIPT") << edited.json();
  EXPECT_EQ(edited.payload_string("status"), "ok");
  auto seen = wait_for(*b1, [](const Message& m) { return m.type() == "MESSAGE_ACTION"; });
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->payload_string("action"), "edit");
  EXPECT_EQ(seen->payload_string("new_content"), "final");
  // Only the author.
  EXPECT_EQ(action(*b1, bob, "b1", R"({"action":"edit","target_message_id":")" + mid + R"(","new_content":"mine"})")
                .error_code(),
            4014);
  EXPECT_EQ(action(*a, alice, "a1", R"({"action":"delete","target_message_id":"no-such-message"})").error_code(), 4044);
  ASSERT_EQ(action(*a, alice, "a1", R"({"action":"delete","target_message_id":")" + mid + R"("})").type(), "RECEIPT");
  auto deleted = wait_for(*b1, [](const Message& m) {
    return m.type() == "MESSAGE_ACTION" && m.payload_string("action") == "delete";
  });
  ASSERT_TRUE(deleted);
  EXPECT_EQ(action(*a, alice, "a1", R"({"action":"edit","target_message_id":")" + mid + R"(","new_content":"again"})")
                .error_code(),
            4051);
  // The offline device gets the actions, never the deleted content.
  auto b2 = server_->connect_registered(bob, "b2");
  std::vector<std::string> actions;
  while (auto m = wait_for(*b2, [](const Message&) { return true; }, 700ms)) {
    EXPECT_EQ(m->json().find("first draft"), std::string::npos) << m->json();
    if (m->type() == "MESSAGE_ACTION") actions.emplace_back(*m->payload_string("action"));
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"edit", "delete"}));
  // Edit history and content are gone from the store too.
  store::SqliteDatabase db(server_->data_dir() + "/qsip.db", store::SyncPolicy::kNormal, /*read_only=*/true);
  auto q = db.prepare("SELECT deleted, envelope, (SELECT count(*) FROM message_edits e WHERE e.seq = m.seq) FROM messages m "
                      "WHERE sender_user = ?1 AND message_id = ?2");
  q.bind(1, alice).bind(2, mid);
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.integer(0), 1);
  EXPECT_EQ(q.text(1).find("first draft"), std::string::npos);
  EXPECT_EQ(q.integer(2), 0);
}

TEST_F(Messaging, ReactionsAreAggregatedAndOnlyForThoseWhoSeeTheMessage) {
  auto alice = id("alice"), bob = id("bob"), eve = id("eve");
  auto a = server_->connect_registered(alice, "a1");
  auto b = server_->connect_registered(bob, "b1");
  auto e = server_->connect_registered(eve, "e1");
  const std::string mid = "m-react-" + alice;
  ASSERT_EQ(send_text(*a, alice, "a1", bob, "react to me", mid).type(), "RECEIPT");
  auto react = [&](Client& c, const std::string& user, const std::string& device, const std::string& act) {
    return c.request(envelope("REACTION", user, device,
                              R"({"target_message_id":")" + mid + R"(","reaction":"👍","action":")" + act + R"("})", {},
                              alice))
        .get();
  };
  ASSERT_EQ(react(*b, bob, "b1", "add").payload_string("status"), "ok");
  ASSERT_EQ(react(*b, bob, "b1", "add").payload_string("status"), "ok");  // already there: nothing new
  auto got = wait_for(*a, [](const Message& m) { return m.type() == "REACTION"; });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->from_user_id(), bob);
  EXPECT_EQ(got->payload_string("reaction"), "👍");
  EXPECT_FALSE(wait_for(*a, [](const Message& m) { return m.type() == "REACTION"; }, 300ms)) << "told twice";
  EXPECT_EQ(react(*e, eve, "e1", "add").error_code(), 4044);  // eve cannot see it
  ASSERT_EQ(react(*a, alice, "a1", "add").payload_string("status"), "ok");
  store::SqliteDatabase db(server_->data_dir() + "/qsip.db", store::SyncPolicy::kNormal, /*read_only=*/true);
  auto count = [&] {
    auto q = db.prepare("SELECT count(*) FROM reactions r JOIN messages m ON m.seq = r.seq WHERE m.message_id = ?1");
    q.bind(1, mid);
    return q.step() ? q.integer(0) : -1;
  };
  EXPECT_EQ(count(), 2);
  ASSERT_EQ(react(*b, bob, "b1", "remove").payload_string("status"), "ok");
  auto removed = wait_for(*a, [](const Message& m) {
    return m.type() == "REACTION" && m.payload_string("action") == "remove";
  });
  EXPECT_TRUE(removed);
  EXPECT_EQ(count(), 1);
}

TEST_F(Messaging, TypingIsRelayedLiveNeverStoredAndLimited) {
  auto alice = id("alice"), bob = id("bob");
  auto a = server_->connect_registered(alice, "a1");
  auto b1 = server_->connect_registered(bob, "b1");
  server_->connect_registered(bob, "b2")->close();
  const std::string typing = R"({"info_type":"typing_indicator","is_typing":true})";
  a->send(envelope("INFO", alice, "a1", typing, {}, bob));
  auto got = wait_for(*b1, [](const Message& m) { return m.type() == "INFO"; });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->payload_bool("is_typing"), true);
  // Not stored: the offline device never hears of it.
  auto b2 = server_->connect_registered(bob, "b2");
  EXPECT_FALSE(wait_for(*b2, [](const Message& m) { return m.type() == "INFO"; }, 300ms));
  // A burst beyond the allowance is dropped.
  for (int i = 0; i < 40; ++i) a->send(envelope("INFO", alice, "a1", typing, {}, bob));
  int relayed = 0;
  while (wait_for(*b1, [](const Message& m) { return m.type() == "INFO"; }, 300ms)) ++relayed;
  EXPECT_GT(relayed, 0);
  EXPECT_LT(relayed, 20);
}

TEST_F(Messaging, SyncGivesHistoryAsItIsNowPagedAndFiltered) {
  auto alice = id("alice"), bob = id("bob"), carol = id("carol");
  auto a = server_->connect_registered(alice, "a1");
  auto b = server_->connect_registered(bob, "b1");
  auto c = server_->connect_registered(carol, "c1");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back("h" + std::to_string(i) + "-" + alice);
    auto& from = i % 2 ? *b : *a;
    auto sent = from.request(envelope("MESSAGE", i % 2 ? bob : alice, i % 2 ? "b1" : "a1",
                                      text_payload("text " + std::to_string(i)), ids.back(), i % 2 ? alice : bob))
                    .get();
    ASSERT_EQ(sent.type(), "RECEIPT") << sent.json();
  }
  ASSERT_EQ(send_text(*c, carol, "c1", bob, "from carol").type(), "RECEIPT");
  auto act = [&](Client& cl, const std::string& type, const std::string& user, const std::string& device,
                 const std::string& payload, const std::string& to) {
    auto r = cl.request(envelope(type, user, device, payload, {}, to)).get();
    EXPECT_EQ(r.type(), "RECEIPT") << r.json();
  };
  act(*a, "MESSAGE_ACTION", alice, "a1", R"({"action":"edit","target_message_id":")" + ids[0] + R"(","new_content":"edited 0"})", bob);
  act(*a, "MESSAGE_ACTION", alice, "a1", R"({"action":"delete","target_message_id":")" + ids[2] + R"("})", bob);
  act(*b, "REACTION", bob, "b1", R"({"target_message_id":")" + ids[4] + R"(","reaction":"🎉"})", alice);
  b->send(envelope("RECEIPT", bob, "b1", R"({"target_message_id":")" + ids[4] + R"(","status":"read"})", {}, alice));

  // A new device of bob's fills its history.
  auto tablet = server_->connect_registered(bob, "tablet");
  auto sync = [&](const std::string& data) {
    auto r = tablet->request(envelope("SYNC", bob, "tablet",
                                      R"({"action":"request","device_id":"tablet","timestamp":"2025-06-01T00:00:00Z","data":)" +
                                          data + "}"))
                 .get();
    EXPECT_EQ(r.type(), "SYNC") << r.json();
    EXPECT_EQ(r.payload_string("action"), "response");
    return r;
  };
  simdjson::dom::parser parser;
  ASSERT_TRUE(eventually([&] {  // the read receipt is recorded asynchronously
    auto r = sync(R"({"user_id":")" + alice + R"(","limit":1})");
    return r.json().find(R"("state":"read")") != std::string::npos;
  }));
  auto latest = sync(R"({"user_id":")" + alice + R"(","limit":3})");
  simdjson::dom::element data = parser.parse(*latest.payload_json("data"));
  simdjson::dom::array messages = data["messages"];
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_TRUE(bool(data["has_more"]));
  std::vector<std::string> seen;
  for (auto m : messages) seen.emplace_back(std::string_view(m["message_id"]));
  EXPECT_EQ(seen, (std::vector<std::string>{ids[2], ids[3], ids[4]}));  // oldest first
  auto deleted = messages.at(0);
  EXPECT_TRUE(bool(deleted["deleted"]));
  EXPECT_EQ(simdjson::to_string(deleted["payload"]).find("text 2"), std::string::npos);
  auto last = messages.at(2);
  EXPECT_EQ(std::string_view(last["state"]), "read");
  EXPECT_EQ(simdjson::to_string(last["reactions"]), R"({"🎉":[")" + bob + R"("]})");

  auto older = sync(R"({"user_id":")" + alice + R"(","limit":3,"before_seq":)" +
                    std::to_string(int64_t(data["first_seq"])) + "}");
  simdjson::dom::element older_data = parser.parse(*older.payload_json("data"));
  simdjson::dom::array older_messages = older_data["messages"];
  ASSERT_EQ(older_messages.size(), 2u);
  EXPECT_FALSE(bool(older_data["has_more"]));
  auto first = older_messages.at(0);
  EXPECT_EQ(std::string_view(first["payload"]["content"]), "edited 0");
  EXPECT_EQ(int64_t(first["edit_count"]), 1);

  // Every conversation: carol's message too; forward from a cursor.
  auto all = sync(R"({"after_seq":)" + std::to_string(int64_t(older_data["first_seq"]) - 1) + "}");
  EXPECT_NE(all.json().find("from carol"), std::string::npos);
  // Bad parameters name the field.
  auto bad = tablet->request(envelope("SYNC", bob, "tablet",
                                      R"({"action":"request","device_id":"tablet","timestamp":"2025-06-01T00:00:00Z","data":{"limit":-1}})"))
                 .get();
  EXPECT_EQ(bad.error_code(), 4001);
  EXPECT_NE(bad.json().find("payload.data.limit"), std::string::npos);
}

TEST_F(Messaging, ThreadsAreKeptAndQueryable) {
  auto alice = id("alice"), bob = id("bob");
  auto a = server_->connect_registered(alice, "a1");
  auto b = server_->connect_registered(bob, "b1");
  const std::string root = "root-" + alice;
  ASSERT_EQ(send_text(*a, alice, "a1", bob, "root", root).type(), "RECEIPT");
  ASSERT_EQ(send_text(*a, alice, "a1", bob, "unrelated").type(), "RECEIPT");
  auto reply = b->request(envelope("MESSAGE", bob, "b1",
                                   R"({"message_type":"text","content":"in thread","thread_id":")" + root +
                                       R"(","reply_to_message_id":")" + root + R"("})",
                                   {}, alice))
                   .get();
  ASSERT_EQ(reply.type(), "RECEIPT");
  auto got = a->request(envelope("SYNC", alice, "a1",
                                 R"({"action":"request","device_id":"a1","timestamp":"2025-06-01T00:00:00Z","data":{"thread_id":")" +
                                     root + R"("}})"))
                 .get();
  simdjson::dom::parser parser;
  simdjson::dom::array messages = parser.parse(*got.payload_json("data"))["messages"];
  ASSERT_EQ(messages.size(), 2u) << got.json();
  EXPECT_EQ(std::string_view(messages.at(1)["thread_id"]), root);
  EXPECT_EQ(std::string_view(messages.at(1)["reply_to_message_id"]), root);
}

TEST_F(Messaging, AGroupMessageReachesEveryMembersDevicesAndOnlyThem) {
  auto alice = id("alice"), bob = id("bob"), carol = id("carol"), eve = id("eve"), gid = id("g");
  auto a = server_->connect_registered(alice, "a1");
  auto b1 = server_->connect_registered(bob, "b1");
  server_->connect_registered(bob, "b2")->close();  // offline member device
  auto c = server_->connect_registered(carol, "c1");
  auto e = server_->connect_registered(eve, "e1");
  auto group = [&](Client& cl, const std::string& user, const std::string& device, const std::string& action) {
    auto r = cl.request(envelope("GROUP", user, device,
                                 core::builders::GroupPayload().action(action).group_id(gid).visibility("public").json()))
                 .get();
    EXPECT_EQ(r.type(), "RECEIPT") << r.json();
  };
  group(*a, alice, "a1", "create");
  group(*b1, bob, "b1", "join");
  group(*c, carol, "c1", "join");
  auto to_group = [&](Client& cl, const std::string& user, const std::string& device, const std::string& mid,
                      const std::string& text) {
    std::string json;
    core::EnvelopeFields f;
    f.message_id = mid;
    f.timestamp = "2025-06-01T00:00:00Z";
    f.type = "MESSAGE";
    f.from_user_id = user;
    f.from_device_id = device;
    f.to_group_id = gid;
    return cl.request(core::build_envelope(f, text_payload(text))).get();
  };
  const std::string mid = "gm-" + alice;
  auto sent = to_group(*a, alice, "a1", mid, "hello team");
  ASSERT_EQ(sent.type(), "RECEIPT") << sent.json();
  EXPECT_EQ(sent.payload_string("status"), "delivered_to_server");
  EXPECT_TRUE(wait_for(*b1, message_with_id(mid)));
  EXPECT_TRUE(wait_for(*c, message_with_id(mid)));
  EXPECT_FALSE(wait_for(*e, message_with_id(mid), 300ms)) << "a non-member got it";
  // A non-member may not write; an unknown group is 4042.
  EXPECT_EQ(to_group(*e, eve, "e1", "x-" + eve, "let me in").error_code(), 4031);
  // Members react; the offline member device gets message and reaction later.
  auto reacted = b1->request(envelope("REACTION", bob, "b1", R"({"target_message_id":")" + mid + R"(","reaction":"👋"})"))
                     .get();
  ASSERT_EQ(reacted.type(), "RECEIPT") << reacted.json();
  EXPECT_TRUE(wait_for(*c, [](const Message& m) { return m.type() == "REACTION"; }));
  auto b2 = server_->connect_registered(bob, "b2");
  EXPECT_TRUE(wait_for(*b2, message_with_id(mid)));
  // Group history for members only.
  auto history = [&](Client& cl, const std::string& user, const std::string& device) {
    return cl.request(envelope("SYNC", user, device,
                               R"({"action":"request","device_id":")" + device +
                                   R"(","timestamp":"2025-06-01T00:00:00Z","data":{"group_id":")" + gid + R"("}})"))
        .get();
  };
  auto mine = history(*c, carol, "c1");
  ASSERT_EQ(mine.type(), "SYNC") << mine.json();
  EXPECT_NE(mine.json().find("hello team"), std::string::npos);
  EXPECT_EQ(history(*e, eve, "e1").error_code(), 4042);
}

// Its own server: a burst far above the default per-connection limits.
TEST(MessagingDurability, EveryAcceptedMessageSurvivesKillDashNine) {
  RunningQsipd server({}, "[limits]\nmessages_per_second = 1000000\nmessages_burst = 1000000\n"
                          "bytes_per_second = 1000000000\nbytes_burst = 1000000000\n");
  auto bob_setup = server.connect_registered("u-bob", "b1");
  bob_setup->close();
  auto alice = server.connect_registered("u-alice", "a1");
  constexpr int kCount = 10000;
  std::vector<std::future<Message>> answers;
  answers.reserve(kCount);
  for (int i = 0; i < kCount; ++i)
    answers.push_back(alice->request(
        envelope("MESSAGE", "u-alice", "a1", text_payload("burst " + std::to_string(i)), "burst-" + std::to_string(i), "u-bob")));
  // Kill in the middle: once some answers are in, before all are.
  ASSERT_EQ(answers[kCount / 5].wait_for(30s), std::future_status::ready);
  server.kill_and_restart();
  std::set<std::string> accepted;
  for (int i = 0; i < kCount; ++i) {
    auto m = answers[static_cast<std::size_t>(i)].get();
    if (m.type() == "RECEIPT" && m.payload_string("status") == "delivered_to_server")
      accepted.insert("burst-" + std::to_string(i));
  }
  ASSERT_GE(accepted.size(), static_cast<std::size_t>(kCount / 5));
  ASSERT_LT(accepted.size(), static_cast<std::size_t>(kCount)) << "the kill came too late to test anything";

  auto bob = server.connect_registered("u-bob", "b1");
  std::set<std::string> received;
  int last_index = -1;
  bool in_order = true;
  int repeats = 0;
  auto all_in = [&] {
    while (auto m = bob->receive(0ms)) {
      if (m->type() != "MESSAGE") continue;
      std::string mid(m->message_id());
      if (!received.insert(mid).second) ++repeats;
      int index = std::stoi(mid.substr(6));
      in_order = in_order && index > last_index;
      last_index = index;
    }
    for (const auto& mid : accepted)
      if (!received.count(mid)) return false;
    return true;
  };
  EXPECT_TRUE(eventually([&] {
    all_in();
    return all_in();
  }, 60s)) << "lost: " << accepted.size() << " accepted, " << received.size() << " received";
  EXPECT_EQ(repeats, 0);
  EXPECT_TRUE(in_order);
}

// Its own server: restarted in the middle.
TEST(MessagingTimers, ScheduledAndEphemeralMessagesSurviveARestart) {
  RunningQsipd server;
  auto alice = server.connect_registered("u-alice", "a1");
  auto bob = server.connect_registered("u-bob", "b1");
  const auto at = std::chrono::system_clock::now() + 2500ms;
  auto held = alice->request(envelope("MESSAGE", "u-alice", "a1",
                                      R"({"message_type":"text","content":"later","schedule_time":")" +
                                          core::format_timestamp(at) + R"("})",
                                      "m-later", "u-bob"))
                  .get();
  ASSERT_EQ(held.type(), "RECEIPT") << held.json();
  EXPECT_EQ(held.payload_string("status"), "delivered_to_server");
  EXPECT_TRUE(held.payload_string("scheduled_for"));
  auto ephemeral = alice->request(envelope("MESSAGE", "u-alice", "a1",
                                           R"({"message_type":"text","content":"vanishing","ephemeral_ttl":3})",
                                           "m-vanish", "u-bob"))
                       .get();
  ASSERT_EQ(ephemeral.type(), "RECEIPT");
  ASSERT_TRUE(wait_for(*bob, message_with_id("m-vanish")));  // delivered: its three seconds start
  EXPECT_FALSE(wait_for(*bob, message_with_id("m-later"), 800ms)) << "delivered before its time";
  ASSERT_TRUE(eventually([&] {  // the acknowledgement has started the clock
    store::SqliteDatabase db(server.data_dir() + "/qsip.db", store::SyncPolicy::kNormal, true);
    auto q = db.prepare("SELECT expires_at FROM messages WHERE message_id = 'm-vanish'");
    return q.step() && q.integer(0) > 0;
  }, 5s));

  server.kill_and_restart();
  bob = server.connect_registered("u-bob", "b1");
  alice = server.connect_registered("u-alice", "a1");
  auto later = wait_for(*bob, message_with_id("m-later"), 8s);
  ASSERT_TRUE(later) << "the scheduled message was lost";
  EXPECT_GE(std::chrono::system_clock::now(), at - 100ms);
  auto gone = [](const Message& m) {
    return m.type() == "MESSAGE_ACTION" && m.payload_string("action") == "delete" &&
           m.payload_string("target_message_id") == "m-vanish";
  };
  auto told_bob = wait_for(*bob, gone, 8s);
  ASSERT_TRUE(told_bob) << "the ephemeral message was not deleted";
  EXPECT_EQ(told_bob->from_user_id(), "qsip-server");
  EXPECT_EQ(told_bob->payload_string("reason"), "ephemeral_ttl");
  EXPECT_TRUE(wait_for(*alice, gone, 5s)) << "the sender's devices were not told";
  store::SqliteDatabase db(server.data_dir() + "/qsip.db", store::SyncPolicy::kNormal, true);
  auto q = db.prepare("SELECT deleted, envelope FROM messages WHERE message_id = 'm-vanish'");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.integer(0), 1);
  EXPECT_EQ(q.text(1).find("vanishing"), std::string::npos);
}
