#include "server/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace qsip::server {
namespace {

using ::testing::HasSubstr;

TEST(Config, HasTheDocumentedDefaults) {
  Config c;
  EXPECT_EQ(c.server.server_id, "qsip-server");
  EXPECT_EQ(c.server.node_id, "node-1");
  EXPECT_EQ(c.server.data_dir, "./data");
  ASSERT_EQ(c.server.listen.size(), 2U);
  EXPECT_EQ(c.server.listen[0].to_string(), "[::]:4433");
  EXPECT_EQ(c.server.listen[1].to_string(), "0.0.0.0:4433");
  EXPECT_EQ(c.server.workers, 0U);
  EXPECT_EQ(c.admin.listen.to_string(), "127.0.0.1:9090");
  EXPECT_EQ(c.log.format, LogFormat::text);
  EXPECT_EQ(c.log.level, spdlog::level::info);
  EXPECT_TRUE(c.tls.cert_file.empty());
  EXPECT_EQ(c.quic.idle_timeout_seconds, 60U);
  EXPECT_EQ(c.quic.retry, RetryMode::automatic);
  EXPECT_FALSE(validate(c));
}

TEST(Config, ReadsEveryTable) {
  Config c;
  auto err = apply_toml(R"(
[server]
server_id = "srv"
node_id = "n7"
data_dir = "/var/lib/qsip"
listen = ["127.0.0.1:5000", "[::1]:5001"]
workers = 2

[tls]
cert = "/etc/qsip/cert.pem"
key = "/etc/qsip/key.pem"

[quic]
max_connections = 10
max_streams_per_connection = 4
handshakes_per_second_per_address = 3
send_queue_soft_bytes = 1000
send_queue_hard_bytes = 2000
idle_timeout_seconds = 30
retry = "on"
retry_auto_threshold = 7

[admin]
listen = "[::1]:0"

[log]
format = "json"
level = "debug"
)",
                        "test.toml", c);
  ASSERT_FALSE(err) << err->message;
  EXPECT_EQ(c.server.server_id, "srv");
  EXPECT_EQ(c.server.node_id, "n7");
  EXPECT_EQ(c.server.data_dir, "/var/lib/qsip");
  ASSERT_EQ(c.server.listen.size(), 2U);
  EXPECT_EQ(c.server.listen[1].to_string(), "[::1]:5001");
  EXPECT_EQ(c.server.workers, 2U);
  EXPECT_EQ(c.tls.cert_file, "/etc/qsip/cert.pem");
  EXPECT_EQ(c.tls.key_file, "/etc/qsip/key.pem");
  EXPECT_EQ(c.quic.max_connections, 10U);
  EXPECT_EQ(c.quic.max_streams_per_connection, 4U);
  EXPECT_EQ(c.quic.handshakes_per_second_per_address, 3U);
  EXPECT_EQ(c.quic.send_queue_soft_bytes, 1000U);
  EXPECT_EQ(c.quic.send_queue_hard_bytes, 2000U);
  EXPECT_EQ(c.quic.idle_timeout_seconds, 30U);
  EXPECT_EQ(c.quic.retry, RetryMode::on);
  EXPECT_EQ(c.quic.retry_auto_threshold, 7U);
  EXPECT_EQ(c.admin.listen.to_string(), "[::1]:0");
  EXPECT_EQ(c.log.format, LogFormat::json);
  EXPECT_EQ(c.log.level, spdlog::level::debug);
  EXPECT_FALSE(validate(c));
}

TEST(Config, KeysNotInTheFileKeepTheirValues) {
  Config c;
  ASSERT_FALSE(apply_toml("[quic]\nretry = \"off\"\n", "t.toml", c));
  EXPECT_EQ(c.quic.retry, RetryMode::off);
  EXPECT_EQ(c.quic.max_connections, Config{}.quic.max_connections);
  EXPECT_EQ(c.server.listen.size(), 2U);
}

TEST(Config, NamesAnUnknownKeyWithItsLine) {
  Config c;
  auto err = apply_toml("[quic]\nmax_connections = 5\nmax_conections = 5\n", "qsipd.toml", c);
  ASSERT_TRUE(err);
  EXPECT_THAT(err->message, HasSubstr("qsipd.toml:3"));
  EXPECT_THAT(err->message, HasSubstr("quic.max_conections"));
  EXPECT_THAT(err->message, HasSubstr("unknown key"));
  EXPECT_EQ(c.quic.max_connections, Config{}.quic.max_connections) << "a failing file changes nothing";
}

TEST(Config, NamesAnUnknownTableAndATopLevelKey) {
  Config c;
  auto err = apply_toml("[database]\npath = \"x\"\n", "t.toml", c);
  ASSERT_TRUE(err);
  EXPECT_THAT(err->message, HasSubstr("database"));
  err = apply_toml("workers = 3\n", "t.toml", c);
  ASSERT_TRUE(err);
  EXPECT_THAT(err->message, HasSubstr("workers"));
}

TEST(Config, RejectsABadAddress) {
  Config c;
  auto err = apply_toml("[server]\nlisten = [\"0.0.0.0:4433\", \"example.org:4433\"]\n", "t.toml", c);
  ASSERT_TRUE(err);
  EXPECT_THAT(err->message, HasSubstr("server.listen"));
  EXPECT_THAT(err->message, HasSubstr("example.org:4433"));
  err = apply_toml("[admin]\nlisten = \"127.0.0.1\"\n", "t.toml", c);
  ASSERT_TRUE(err);
  EXPECT_THAT(err->message, HasSubstr("admin.listen"));
  err = apply_toml("[server]\nlisten = []\n", "t.toml", c);
  ASSERT_TRUE(err);
}

TEST(Config, RejectsBadValues) {
  struct Case {
    const char* toml;
    const char* names;
  };
  for (const Case& k : {Case{"[quic]\nmax_connections = \"many\"\n", "quic.max_connections"},
                        Case{"[quic]\nmax_connections = 0\n", "quic.max_connections"},
                        Case{"[quic]\nidle_timeout_seconds = -5\n", "quic.idle_timeout_seconds"},
                        Case{"[quic]\nmax_streams_per_connection = 4294967296\n", "quic.max_streams_per_connection"},
                        Case{"[quic]\nretry = \"sometimes\"\n", "quic.retry"},
                        Case{"[log]\nformat = \"xml\"\n", "log.format"},
                        Case{"[log]\nlevel = \"loud\"\n", "log.level"},
                        Case{"[server]\nworkers = 1.5\n", "server.workers"},
                        Case{"[server]\nserver_id = 7\n", "server.server_id"},
                        Case{"server = 1\n", "server"}}) {
    Config c;
    auto err = apply_toml(k.toml, "t.toml", c);
    ASSERT_TRUE(err) << k.toml;
    EXPECT_THAT(err->message, HasSubstr(k.names)) << k.toml;
  }
}

TEST(Config, ReportsSyntaxErrorsWithTheLine) {
  Config c;
  auto err = apply_toml("[server]\nserver_id = \"unterminated\n", "bad.toml", c);
  ASSERT_TRUE(err);
  EXPECT_THAT(err->message, HasSubstr("bad.toml:2"));
}

TEST(Config, ReportsAnUnreadableFile) {
  Config c;
  auto err = apply_toml_file("/nonexistent/qsipd.toml", c);
  ASSERT_TRUE(err);
  EXPECT_THAT(err->message, HasSubstr("/nonexistent/qsipd.toml"));
}

TEST(Config, ValidatesRelationsBetweenFields) {
  Config c;
  c.quic.send_queue_soft_bytes = 10;
  c.quic.send_queue_hard_bytes = 5;
  ASSERT_TRUE(validate(c));
  EXPECT_THAT(validate(c)->message, HasSubstr("send_queue_soft_bytes"));

  c = Config{};
  c.tls.cert_file = "cert.pem";
  ASSERT_TRUE(validate(c));
  EXPECT_THAT(validate(c)->message, HasSubstr("key"));

  c = Config{};
  c.server.server_id = "";
  EXPECT_TRUE(validate(c));
  c = Config{};
  c.server.node_id = std::string(257, 'n');
  EXPECT_TRUE(validate(c));
  c = Config{};
  c.server.workers = 5000;
  EXPECT_TRUE(validate(c));
}

}  // namespace
}  // namespace qsip::server

namespace qsip::server {
namespace {

TEST(Config, ReadsTheFilesTable) {
  Config c;
  EXPECT_EQ(c.files.max_file_size, 100u * 1024 * 1024);
  EXPECT_EQ(c.files.user_quota_bytes, 1024u * 1024 * 1024);
  EXPECT_EQ(c.files.idle_timeout_seconds, 60u);
  EXPECT_FALSE(c.files.http_listen);
  ASSERT_FALSE(apply_toml("[files]\nmax_file_size = 1000\nuser_quota_bytes = 0\nidle_timeout_seconds = 5\n"
                          "http_listen = \"[::1]:0\"\n",
                          "t.toml", c));
  EXPECT_EQ(c.files.max_file_size, 1000u);
  EXPECT_EQ(c.files.user_quota_bytes, 0u);
  EXPECT_EQ(c.files.idle_timeout_seconds, 5u);
  ASSERT_TRUE(c.files.http_listen);
  EXPECT_EQ(c.files.http_listen->to_string(), "[::1]:0");
  ASSERT_FALSE(apply_toml("[files]\nhttp_listen = \"\"\n", "t.toml", c));
  EXPECT_FALSE(c.files.http_listen);

  auto err = apply_toml("[files]\nmax_file_size = 0\n", "t.toml", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->message.find("files.max_file_size"), std::string::npos) << err->message;
  err = apply_toml("[files]\nhttp_listen = \"localhost:80\"\n", "t.toml", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->message.find("files.http_listen"), std::string::npos) << err->message;
  err = apply_toml("[files]\nhttp_listen = 80\n", "t.toml", c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->message.find("files.http_listen"), std::string::npos) << err->message;
}

TEST(Config, ReadsTheAuditAndAnalyticsTables) {
  Config c;
  EXPECT_EQ(c.audit.retention_days, 0u);
  EXPECT_EQ(c.audit.ip_addresses, AuditIpMode::full);
  EXPECT_EQ(c.analytics.bucket_seconds, 60u);
  EXPECT_FALSE(c.analytics.include_user_ids);
  ASSERT_FALSE(apply_toml("[audit]\nretention_days = 30\nip_addresses = \"hashed\"\n"
                          "[analytics]\nbucket_seconds = 300\nretention_days = 0\ninclude_user_ids = true\n"
                          "events_per_second = 2\nevents_burst = 4\n",
                          "t.toml", c));
  EXPECT_EQ(c.audit.retention_days, 30u);
  EXPECT_EQ(c.audit.ip_addresses, AuditIpMode::hashed);
  EXPECT_EQ(c.analytics.bucket_seconds, 300u);
  EXPECT_EQ(c.analytics.retention_days, 0u);
  EXPECT_TRUE(c.analytics.include_user_ids);
  EXPECT_EQ(c.analytics.events_per_second, 2u);
  EXPECT_EQ(c.analytics.events_burst, 4u);
  for (const char* bad : {"[audit]\nip_addresses = \"partial\"\n", "[audit]\nretention_days = -1\n",
                          "[analytics]\nbucket_seconds = 0\n", "[analytics]\ninclude_user_ids = 1\n"}) {
    auto err = apply_toml(bad, "t.toml", c);
    ASSERT_TRUE(err) << bad;
    EXPECT_TRUE(err->message.find("audit.") != std::string::npos || err->message.find("analytics.") != std::string::npos)
        << err->message;
  }
}

TEST(Config, ReadsTheCallCentre) {
  Config c;
  EXPECT_TRUE(c.call_centre.queues.empty());
  EXPECT_EQ(c.call_centre.offer_timeout_seconds, 20u);
  ASSERT_FALSE(apply_toml(R"(
[call_centre]
supervisors = ["u-supervisor"]
offer_timeout_seconds = 15
abandon_grace_seconds = 0
stats_interval_seconds = 2
default_handle_seconds = 240
[[call_centre.queues]]
id = "support"
[[call_centre.queues]]
id = "sales"
required_skills = ["billing"]
max_size = 5
service_level_seconds = 30
[[call_centre.agents]]
user_id = "u-agent-a"
skills = ["vpn", "network"]
capacity = 2
display_name = "Agent A"
)", "t.toml", c));
  ASSERT_EQ(c.call_centre.queues.size(), 2u);
  EXPECT_EQ(c.call_centre.queues[0].id, "support");
  EXPECT_EQ(c.call_centre.queues[0].max_size, 1000u);
  EXPECT_EQ(c.call_centre.queues[1].required_skills, (std::vector<std::string>{"billing"}));
  EXPECT_EQ(c.call_centre.queues[1].max_size, 5u);
  EXPECT_EQ(c.call_centre.queues[1].service_level_seconds, 30u);
  ASSERT_EQ(c.call_centre.agents.size(), 1u);
  EXPECT_EQ(c.call_centre.agents[0].skills, (std::vector<std::string>{"vpn", "network"}));
  EXPECT_EQ(c.call_centre.agents[0].capacity, 2u);
  EXPECT_EQ(c.call_centre.agents[0].display_name, "Agent A");
  EXPECT_EQ(c.call_centre.supervisors, (std::vector<std::string>{"u-supervisor"}));
  EXPECT_EQ(c.call_centre.offer_timeout_seconds, 15u);
  EXPECT_EQ(c.call_centre.abandon_grace_seconds, 0u);
  EXPECT_EQ(c.call_centre.stats_interval_seconds, 2u);
  EXPECT_EQ(c.call_centre.default_handle_seconds, 240u);
  for (const char* bad : {"[[call_centre.queues]]\nname = \"x\"\n", "[[call_centre.queues]]\nmax_size = 3\n",
                          "[[call_centre.agents]]\nuser_id = \"u\"\ncapacity = 0\n",
                          "[[call_centre.agents]]\nuser_id = \"u\"\nskills = [\"\"]\n",
                          "[call_centre]\nqueues = 3\n", "[call_centre]\noffer_timeout_seconds = 0\n"}) {
    auto err = apply_toml(bad, "t.toml", c);
    ASSERT_TRUE(err) << bad;
    EXPECT_THAT(err->message, HasSubstr("call_centre.")) << bad;
  }
  Config twice;
  ASSERT_FALSE(apply_toml("[[call_centre.queues]]\nid = \"q\"\n[[call_centre.queues]]\nid = \"q\"\n", "t.toml", twice));
  auto invalid = validate(twice);
  ASSERT_TRUE(invalid);
  EXPECT_THAT(invalid->message, HasSubstr("queue q twice"));
}

}  // namespace
}  // namespace qsip::server

namespace qsip::server {
namespace {

TEST(Config, ReadsTheMediaTestDropHook) {
  Config c;
  EXPECT_EQ(c.media.test_drop_percent, 0.0) << "off by default";
  ASSERT_FALSE(apply_toml("[media]\ntest_drop_percent = 5.0\n", "t.toml", c));
  EXPECT_DOUBLE_EQ(c.media.test_drop_percent, 5.0);
  ASSERT_FALSE(apply_toml("[media]\ntest_drop_percent = 3\n", "t.toml", c));
  EXPECT_DOUBLE_EQ(c.media.test_drop_percent, 3.0) << "an integer is a number too";
  for (const char* bad : {"[media]\ntest_drop_percent = -1.0\n", "[media]\ntest_drop_percent = 100.5\n",
                          "[media]\ntest_drop_percent = \"5\"\n", "[media]\nother = 1\n"}) {
    auto err = apply_toml(bad, "t.toml", c);
    ASSERT_TRUE(err) << bad;
    EXPECT_THAT(err->message, HasSubstr("media.")) << bad;
  }
  EXPECT_DOUBLE_EQ(c.media.test_drop_percent, 3.0) << "a failing file changes nothing";
}

TEST(Config, ReadsTheCallsAndTurnTables) {
  Config c;
  EXPECT_EQ(c.calls.invite_timeout_seconds, 60u);
  EXPECT_EQ(c.calls.ringing_timeout_seconds, 45u);
  EXPECT_TRUE(c.turn.urls.empty());
  EXPECT_EQ(c.turn.ttl_seconds, 86400u);
  ASSERT_FALSE(apply_toml("[calls]\ninvite_timeout_seconds = 30\nringing_timeout_seconds = 20\n"
                          "[turn]\nurls = [\"turn:127.0.0.1:3478?transport=udp\"]\nsecret = \"s\"\nttl_seconds = 600\n",
                          "t.toml", c));
  EXPECT_EQ(c.calls.invite_timeout_seconds, 30u);
  EXPECT_EQ(c.calls.ringing_timeout_seconds, 20u);
  EXPECT_EQ(c.turn.urls, (std::vector<std::string>{"turn:127.0.0.1:3478?transport=udp"}));
  EXPECT_EQ(c.turn.secret, "s");
  EXPECT_EQ(c.turn.ttl_seconds, 600u);
  for (const char* bad : {"[calls]\nringing_timeout_seconds = 0\n", "[turn]\nurls = [\"http://x\"]\n",
                          "[turn]\nurls = \"turn:x\"\n", "[turn]\nttl_seconds = 10\n"}) {
    auto err = apply_toml(bad, "t.toml", c);
    ASSERT_TRUE(err) << bad;
  }
  Config both;
  both.turn.secret = "s";
  both.turn.secret_file = "/etc/qsip/turn.secret";
  auto err = validate(both);
  ASSERT_TRUE(err);
  EXPECT_THAT(err->message, HasSubstr("turn.secret"));
}

}  // namespace
}  // namespace qsip::server
