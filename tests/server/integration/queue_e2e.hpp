// The call-centre end-to-end tests' common ground: a qsipd configured with
// queues support and sales, agents u-agent-a (vpn, network, tier2) and
// u-agent-b (billing), supervisor u-supervisor and admin u-root, and the
// helpers the tests speak QUEUE and calls with.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "client_waits.hpp"
#include "running_qsipd.hpp"

namespace qsip::test::queue_e2e {

using namespace std::chrono_literals;

struct Limits {
  int offer_timeout = 30;
  int grace = 30;
  int support_max = 10;
  int ringing_timeout = 45;
};

inline std::string call_centre_toml(const Limits& l) {
  return "[auth]\nserver_admins = [\"u-root\"]\n"
         "[calls]\nringing_timeout_seconds = " + std::to_string(l.ringing_timeout) + "\n" +
         "[call_centre]\nsupervisors = [\"u-supervisor\"]\n"
         "offer_timeout_seconds = " + std::to_string(l.offer_timeout) + "\n" +
         "abandon_grace_seconds = " + std::to_string(l.grace) + "\n" +
         "stats_interval_seconds = 1\n"
         "[[call_centre.queues]]\nid = \"support\"\nmax_size = " + std::to_string(l.support_max) + "\n" +
         "[[call_centre.queues]]\nid = \"sales\"\nrequired_skills = [\"billing\"]\n"
         "[[call_centre.agents]]\nuser_id = \"u-agent-a\"\nskills = [\"vpn\", \"network\", \"tier2\"]\n"
         "display_name = \"Agent A\"\n"
         "[[call_centre.agents]]\nuser_id = \"u-agent-b\"\nskills = [\"billing\"]\n";
}

inline std::function<bool(const Message&)> queue_action(std::string action, std::string item = {}) {
  return [action, item](const Message& m) {
    return m.type() == "QUEUE" && m.payload_string("action") == action &&
           (item.empty() || m.payload_string("item_id") == item);
  };
}

// A message of `type` in call session `session_id`.
inline std::function<bool(const Message&)> in_call(std::string type, std::string session_id) {
  return [type, session_id](const Message& m) { return m.type() == type && m.session_id() == session_id; };
}

// An envelope (running_qsipd.hpp) in call session `session_id`.
inline std::string in_session(const std::string& envelope_json, const std::string& session_id) {
  return R"({"session_id":")" + session_id + "\"," + envelope_json.substr(1);
}

// status_info.<key> of a QUEUE message, as JSON text.
inline std::string status_member(const Message& m, const std::string& key) {
  auto info = m.payload_json("status_info").value_or("");
  auto at = info.find("\"" + key + "\":");
  if (at == std::string::npos) return {};
  auto start = at + key.size() + 3;
  auto end = info.find_first_of(",}", start);
  return info.substr(start, end - start);
}

class QueueE2E : public ::testing::Test {
 protected:
  void start(Limits limits = {}) { server = std::make_unique<RunningQsipd>(std::vector<std::string>{}, call_centre_toml(limits)); }

  std::unique_ptr<Client> login(const std::string& user, const std::string& device) {
    return server->connect_registered(user, device);
  }
  Message ask(Client& c, const std::string& user, const std::string& device, const std::string& payload) {
    return c.request(envelope("QUEUE", user, device, payload)).get();
  }
  // An agent logs in and says it is available (its availability is its presence).
  std::unique_ptr<Client> agent(const std::string& user) {
    auto c = login(user, "d-" + user);
    auto p = c->request(envelope("PRESENCE", user, "d-" + user, R"({"status":"available"})")).get();
    EXPECT_EQ(p.type(), "RECEIPT") << p.json();
    return c;
  }
  std::string enqueue(Client& c, const std::string& user, const std::string& payload_tail = {}) {
    auto r = ask(c, user, "d-" + user, R"({"action":"enqueue","queue_id":"support")" + payload_tail + "}");
    EXPECT_EQ(r.type(), "RECEIPT") << r.json();
    EXPECT_EQ(r.payload_string("status"), "enqueued") << r.json();
    return std::string(r.payload_string("item_id").value_or(""));
  }
  // A call message of `type` from user (device d-<user>) in `session`, answered.
  Message call(Client& c, const std::string& user, const std::string& type, const std::string& session,
               const std::string& payload, const std::string& to = {}) {
    return c.request(in_session(envelope(type, user, "d-" + user, payload, {}, to), session)).get();
  }

  // get_status of `item` (asked by `c`) shows `state` (JSON text) within a few seconds.
  bool item_state_becomes(Client& c, const std::string& user, const std::string& device, const std::string& item,
                          const std::string& state) {
    for (int i = 0; i < 50; ++i) {
      auto m = c.request(envelope("QUEUE", user, device,
                                  R"({"action":"get_status","queue_id":"support","item_id":")" + item + "\"}")).get();
      if (m.type() == "QUEUE" && status_member(m, "state") == state) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  std::unique_ptr<RunningQsipd> server;
};

}  // namespace qsip::test::queue_e2e
