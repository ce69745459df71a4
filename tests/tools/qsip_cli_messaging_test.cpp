// The qsip CLI's messaging commands (docs/client.md "CLI: messaging"), run
// as the real binary against a real qsipd: send (text and file), listen,
// history, search, react, edit, delete and read, with libqsip clients on
// the other side where a test needs to see what arrives.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "client_waits.hpp"
#include "core/json_writer.hpp"
#include "cli_test_support.hpp"
#include "running_qsipd.hpp"

using namespace qsip;
using namespace std::chrono_literals;
using qsip::test::ChildProcess;
using namespace qsip::test;  // the CLI test support (cli_test_support.hpp)
using qsip::test::envelope;
using qsip::test::eventually;
using qsip::test::RunningQsipd;
using qsip::test::wait_for;
namespace fs = std::filesystem;

namespace {





std::string text_payload(const std::string& text) {
  std::string p;
  core::JsonWriter(p).begin_object().member("message_type", "text").member("content", text).end_object();
  return p;
}

class CliMessaging : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RunningQsipd(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  // A user of this test only.
  static std::string user(const std::string& name) {
    return name + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  static std::vector<std::string> argv(const std::string& token, std::vector<std::string> args) {
    return qsip_argv(server_->port(), token, std::move(args));
  }
  // Runs `qsip` as the holder of `token` (its REGISTERed user, device qsip-cli).
  static CliRun qsip(const std::string& token, std::vector<std::string> args) { return run_cli(argv(token, std::move(args))); }
  static RunningQsipd* server_;
  qsip::test::TempDir dir_;
};
RunningQsipd* CliMessaging::server_ = nullptr;

}  // namespace

TEST_F(CliMessaging, SendReachesAUserListeningWithTheCliWhichAcknowledgesIt) {
  auto alice = user("alice"), bob = user("bob");
  auto alice_token = server_->token(alice), bob_token = server_->token(bob);
  ChildProcess listen(argv(bob_token, {"listen", "--count", "1", "--duration", "30"}));
  ASSERT_TRUE(eventually([&] { return listen.stdout_text().find("\"registered\"") != std::string::npos; }))
      << listen.stderr_text();

  auto sent = qsip(alice_token, {"send", "--to", bob, "--text", "hello from the cli"});
  ASSERT_EQ(sent.status, 0) << sent.out << sent.err;
  auto answer = lines(sent.out);
  ASSERT_EQ(answer.size(), 1u) << sent.out;
  EXPECT_EQ(field(answer[0], "type"), "RECEIPT");
  EXPECT_EQ(field(answer[0], "payload.status"), "delivered_to_server");
  const std::string message_id = field(answer[0], "payload.target_message_id");
  ASSERT_FALSE(message_id.empty());

  ASSERT_EQ(listen.wait_exit(20s), 0) << listen.stderr_text();
  auto got = lines(listen.stdout_text());
  ASSERT_EQ(got.size(), 2u) << listen.stdout_text();  // the REGISTER answer, then the message
  EXPECT_EQ(field(got[1], "type"), "MESSAGE");
  EXPECT_EQ(field(got[1], "message_id"), message_id);
  EXPECT_EQ(field(got[1], "from.user_id"), alice);
  EXPECT_EQ(field(got[1], "payload.content"), "hello from the cli");

  // listen acknowledged it: the sender's history says delivered_to_client.
  EXPECT_TRUE(eventually([&] {
    auto history = qsip(alice_token, {"history", "--with", bob});
    return field(line_where(history.out, "message_id", message_id), "state") == "delivered_to_client";
  }));
}

TEST_F(CliMessaging, SendToAnUnknownUserExitsNonZeroPrintingTheError) {
  auto sent = qsip(server_->token(user("alice")), {"send", "--to", user("nobody"), "--text", "anyone?"});
  EXPECT_EQ(sent.status, 1);
  auto out = lines(sent.out);
  ASSERT_EQ(out.size(), 1u) << sent.out;
  EXPECT_EQ(field(out[0], "type"), "ERROR");
  EXPECT_EQ(field(out[0], "payload.code"), "4041");
}

TEST_F(CliMessaging, SendPassesThreadReplyPriorityAndTtl) {
  auto alice = user("alice"), bob = user("bob");
  auto b = server_->connect_registered(bob, "b1");
  auto sent = qsip(server_->token(alice), {"send", "--to", bob, "--text", "in a thread", "--thread", "root-1",
                                           "--reply-to", "root-1", "--priority", "urgent", "--ttl", "3000000"});
  ASSERT_EQ(sent.status, 0) << sent.out << sent.err;
  auto m = wait_for(*b, [](const Message& x) { return x.type() == "MESSAGE"; });
  ASSERT_TRUE(m);
  EXPECT_EQ(m->payload_string("thread_id"), "root-1");
  EXPECT_EQ(m->payload_string("reply_to_message_id"), "root-1");
  EXPECT_EQ(m->payload_string("priority"), "urgent");
  EXPECT_EQ(m->payload_json("ephemeral_ttl"), "3000000");  // an integer, never 3e+06

  auto bad_time = qsip(server_->token(alice), {"send", "--to", bob, "--text", "x", "--schedule", "tomorrow"});
  EXPECT_EQ(bad_time.status, 1);
  EXPECT_EQ(field(bad_time.out, "payload.code"), "4001") << bad_time.out;
  EXPECT_NE(qsip(server_->token(alice), {"send", "--to", bob, "--text", "x", "--priority", "asap"}).status, 0);
  EXPECT_NE(qsip(server_->token(alice), {"send", "--to", bob}).status, 0);  // neither --text nor --file
  EXPECT_NE(qsip(server_->token(alice), {"send", "--text", "to whom?"}).status, 0);
}

TEST_F(CliMessaging, SendAFileUploadsItWithAProgressBarThenSendsAFileMessage) {
  auto alice = user("alice"), bob = user("bob");
  auto b = server_->connect_registered(bob, "b1");
  auto write = [&](const std::string& name, std::size_t size) {
    auto path = (dir_.path() / name).string();
    std::ofstream out(path, std::ios::binary);
    for (std::size_t i = 0; i < size; ++i) out.put(static_cast<char>((i * 131 + 7) % 251));
    return path;
  };
  auto sha256 = [](const std::string& path) {
    ChildProcess p({"/usr/bin/sha256sum", path});
    p.wait_exit(10s);
    return p.stdout_text().substr(0, 64);
  };
  struct Case {
    std::string name, message_type, mime_type;
  };
  for (const auto& c : {Case{"photo.png", "image", "image/png"}, Case{"notes.bin", "file", "application/octet-stream"}}) {
    auto path = write(c.name, 2'500'000);
    auto sent = qsip(server_->token(alice), {"send", "--to", bob, "--file", path});
    ASSERT_EQ(sent.status, 0) << sent.out << sent.err;
    EXPECT_EQ(field(sent.out, "payload.status"), "delivered_to_server") << sent.out;
    EXPECT_NE(sent.err.find("upload ["), std::string::npos) << sent.err;
    EXPECT_NE(sent.err.find("100%"), std::string::npos) << sent.err;

    auto m = wait_for(*b, [](const Message& x) { return x.type() == "MESSAGE"; });
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload_string("message_type"), c.message_type);
    std::string content = *m->payload_json("content");
    EXPECT_EQ(field(content, "file_name"), c.name);
    EXPECT_EQ(field(content, "file_size"), "2500000");
    EXPECT_EQ(field(content, "mime_type"), c.mime_type);
    EXPECT_EQ(field(content, "url").substr(0, 25), "qsip://qsip-server/files/") << content;
    EXPECT_EQ(field(content, "file_hash"), "sha256:" + sha256(path));
  }
  // --mime overrides the guess, and decides the message type.
  auto clip = write("clip.dat", 1000);
  ASSERT_EQ(qsip(server_->token(alice), {"send", "--to", bob, "--file", clip, "--mime", "audio/ogg"}).status, 0);
  auto m = wait_for(*b, [](const Message& x) { return x.type() == "MESSAGE"; });
  ASSERT_TRUE(m);
  EXPECT_EQ(m->payload_string("message_type"), "audio_clip");
  EXPECT_NE(qsip(server_->token(alice), {"send", "--to", bob, "--file", (dir_.path() / "none").string()}).status, 0);
}

TEST_F(CliMessaging, HistoryShowsAnEditedMessage) {
  auto alice = user("alice"), bob = user("bob");
  auto alice_token = server_->token(alice), bob_token = server_->token(bob);
  ASSERT_EQ(qsip(bob_token, {"register"}).status, 0);  // bob exists
  auto first = qsip(alice_token, {"send", "--to", bob, "--text", "frist draft"});
  ASSERT_EQ(first.status, 0) << first.out;
  const std::string message_id = field(first.out, "payload.target_message_id");
  ASSERT_EQ(qsip(alice_token, {"send", "--to", bob, "--text", "second"}).status, 0);
  auto edited = qsip(alice_token, {"edit", message_id, "--to", bob, "--text", "first draft"});
  ASSERT_EQ(edited.status, 0) << edited.out;
  EXPECT_EQ(field(edited.out, "payload.status"), "ok");

  auto history = qsip(bob_token, {"history", "--with", alice});
  ASSERT_EQ(history.status, 0) << history.out << history.err;
  auto out = lines(history.out);
  ASSERT_EQ(out.size(), 2u) << history.out;
  EXPECT_EQ(field(out[0], "message_id"), message_id);  // oldest first
  EXPECT_EQ(field(out[0], "payload.content"), "first draft");
  EXPECT_EQ(field(out[0], "edit_count"), "1");
  EXPECT_EQ(field(out[1], "payload.content"), "second");

  auto pretty = qsip(bob_token, {"history", "--with", alice, "--pretty"});
  ASSERT_EQ(pretty.status, 0);
  auto readable = lines(pretty.out);
  ASSERT_EQ(readable.size(), 2u) << pretty.out;
  EXPECT_NE(readable[0].find(alice + ": first draft [edited]"), std::string::npos) << readable[0];
  EXPECT_EQ(readable[1].find("[edited]"), std::string::npos) << readable[1];

  // Paging: the newest one, then the one before it.
  auto latest = qsip(bob_token, {"history", "--with", alice, "--limit", "1"});
  ASSERT_EQ(lines(latest.out).size(), 1u);
  EXPECT_EQ(field(latest.out, "payload.content"), "second");
  EXPECT_NE(latest.err.find("--before"), std::string::npos) << latest.err;
  auto older = qsip(bob_token, {"history", "--with", alice, "--before", field(latest.out, "seq")});
  EXPECT_EQ(field(older.out, "message_id"), message_id) << older.out;
}

TEST_F(CliMessaging, ReactEditDeleteAndReadRoundTrip) {
  auto alice = user("alice"), bob = user("bob");
  auto alice_token = server_->token(alice), bob_token = server_->token(bob);
  auto a = server_->connect_registered(alice, "a1");
  ASSERT_EQ(qsip(bob_token, {"register"}).status, 0);
  const std::string mid = "m-" + alice;
  ASSERT_EQ(a->request(envelope("MESSAGE", alice, "a1", text_payload("react to me"), mid, bob)).get().type(), "RECEIPT");
  auto next = [&](std::string_view type) {
    return wait_for(*a, [type](const Message& m) { return m.type() == type; });
  };

  auto react = qsip(bob_token, {"react", mid, "👍", "--to", alice});
  ASSERT_EQ(react.status, 0) << react.out << react.err;
  EXPECT_EQ(field(react.out, "payload.status"), "ok");
  auto reaction = next("REACTION");
  ASSERT_TRUE(reaction);
  EXPECT_EQ(reaction->payload_string("reaction"), "👍");
  EXPECT_EQ(reaction->from_user_id(), bob);

  auto read = qsip(bob_token, {"read", mid, "--from", alice});
  EXPECT_EQ(read.status, 0) << read.out << read.err;
  EXPECT_EQ(read.out, "");
  auto receipt = wait_for(*a, [](const Message& m) { return m.type() == "RECEIPT" && m.payload_string("status") == "read"; });
  ASSERT_TRUE(receipt) << "the sender was not told";
  EXPECT_EQ(receipt->payload_string("target_message_id"), mid);
  auto unknown = qsip(bob_token, {"read", "no-such-message", "--from", alice});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_EQ(field(unknown.out, "payload.code"), "4044") << unknown.out;

  auto not_author = qsip(bob_token, {"edit", mid, "--to", alice, "--text", "mine now"});
  EXPECT_EQ(not_author.status, 1);
  EXPECT_EQ(field(not_author.out, "payload.code"), "4014") << not_author.out;

  auto pretty = qsip(bob_token, {"history", "--with", alice, "--pretty"});
  EXPECT_NE(pretty.out.find("react to me (👍 " + bob + ")"), std::string::npos) << pretty.out;
  ASSERT_EQ(qsip(bob_token, {"react", mid, "👍", "--to", alice, "--remove"}).status, 0);
  auto removed = next("REACTION");
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->payload_string("action"), "remove");

  // The author, from the CLI: edit, delete; the author's other device hears of both.
  auto edit = qsip(alice_token, {"edit", mid, "--to", bob, "--text", "edited"});
  ASSERT_EQ(edit.status, 0) << edit.out;
  auto edit_event = next("MESSAGE_ACTION");
  ASSERT_TRUE(edit_event);
  EXPECT_EQ(edit_event->payload_string("new_content"), "edited");
  auto del = qsip(alice_token, {"delete", mid, "--to", bob});
  ASSERT_EQ(del.status, 0) << del.out;
  EXPECT_EQ(field(del.out, "payload.status"), "ok");
  auto delete_event = next("MESSAGE_ACTION");
  ASSERT_TRUE(delete_event);
  EXPECT_EQ(delete_event->payload_string("action"), "delete");

  auto history = qsip(alice_token, {"history", "--with", bob});
  auto entry = line_where(history.out, "message_id", mid);
  EXPECT_EQ(field(entry, "deleted"), "true") << history.out;
  EXPECT_EQ(field(entry, "state"), "read");
  EXPECT_NE(qsip(alice_token, {"history", "--with", bob, "--pretty"}).out.find(alice + ": [deleted]"), std::string::npos);
  auto again = qsip(alice_token, {"edit", mid, "--to", bob, "--text", "back"});
  EXPECT_EQ(again.status, 1);
  EXPECT_EQ(field(again.out, "payload.code"), "4051") << again.out;
  auto react_deleted = qsip(bob_token, {"react", mid, "🎉", "--to", alice});
  EXPECT_EQ(react_deleted.status, 1);
  EXPECT_EQ(field(react_deleted.out, "payload.code"), "4051") << react_deleted.out;
}

TEST_F(CliMessaging, SearchPrintsOneJsonLinePerResult) {
  auto alice = user("alice"), bob = user("bob");
  auto alice_token = server_->token(alice);
  ASSERT_EQ(qsip(server_->token(bob), {"register"}).status, 0);
  std::vector<std::string> ids;
  for (const char* text : {"the quokka smiles", "a quokka and a wombat", "nothing to see"}) {
    auto sent = qsip(alice_token, {"send", "--to", bob, "--text", text});
    ASSERT_EQ(sent.status, 0) << sent.out;
    ids.push_back(field(sent.out, "payload.target_message_id"));
  }
  auto found = qsip(alice_token, {"search", "quokka"});
  ASSERT_EQ(found.status, 0) << found.out << found.err;
  auto results = lines(found.out);
  ASSERT_EQ(results.size(), 2u) << found.out;
  for (const auto& r : results) {
    EXPECT_TRUE(field(r, "message_id") == ids[0] || field(r, "message_id") == ids[1]) << r;
    EXPECT_NE(field(r, "snippet").find("«quokka»"), std::string::npos) << r;
  }
  auto page = qsip(alice_token, {"search", "quokka", "--limit", "1"});
  ASSERT_EQ(lines(page.out).size(), 1u) << page.out;
  EXPECT_NE(page.err.find("--offset 1"), std::string::npos) << page.err;
  auto second = qsip(alice_token, {"search", "quokka", "--limit", "1", "--offset", "1"});
  ASSERT_EQ(lines(second.out).size(), 1u);
  EXPECT_NE(field(second.out, "message_id"), field(page.out, "message_id"));

  auto users = qsip(alice_token, {"search", bob, "--users"});
  ASSERT_EQ(users.status, 0) << users.out;
  EXPECT_FALSE(line_where(users.out, "user_id", bob).empty()) << users.out;
  auto bad = qsip(alice_token, {"search", std::string(300, 'q')});
  EXPECT_EQ(bad.status, 1);
  EXPECT_EQ(field(bad.out, "payload.code"), "4001") << bad.out;
}

TEST_F(CliMessaging, EveryCommandNeedsAToken) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"send", "--to", "u-x", "--text", "hi"}, {"history"}, {"search", "x"}, {"react", "m", "👍", "--to", "u-x"},
           {"edit", "m", "--to", "u-x", "--text", "t"}, {"delete", "m", "--to", "u-x"}, {"read", "m", "--from", "u-x"}}) {
    auto r = qsip("", args);
    EXPECT_EQ(r.status, 2) << args[0];
    EXPECT_NE(r.err.find("no token"), std::string::npos) << r.err;
  }
}

// Disabled: `qsip listen` prints Message::json(), the bytes as the sender
// wrote them (the server relays a MESSAGE untouched), so an envelope written
// over several lines is printed over several lines. Enable once
// listen_command.cpp prints it minified (simdjson::minify).
TEST_F(CliMessaging, ListenPrintsAnEnvelopeWrittenOnSeveralLinesAsOneLine) {
  auto alice = user("alice"), bob = user("bob");
  auto a = server_->connect_registered(alice, "a1");
  ChildProcess listen(argv(server_->token(bob), {"listen", "--count", "1", "--duration", "30"}));
  ASSERT_TRUE(eventually([&] { return listen.stdout_text().find("\"registered\"") != std::string::npos; }));
  std::string spread = envelope("MESSAGE", alice, "a1", text_payload("spread out"), "m-spread-" + alice, bob);
  for (std::size_t i = spread.find(','); i != std::string::npos; i = spread.find(',', i + 3)) spread.insert(i + 1, "\n ");
  ASSERT_EQ(a->request(spread).get().type(), "RECEIPT");
  ASSERT_EQ(listen.wait_exit(20s), 0);
  auto got = lines(listen.stdout_text());
  ASSERT_EQ(got.size(), 2u) << listen.stdout_text();
  EXPECT_EQ(field(got[1], "payload.content"), "spread out");
}
