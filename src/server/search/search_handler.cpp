#include "server/search/search_handler.hpp"

#include <ctime>

#include "core/envelope_builder.hpp"
#include "core/wire_limits.hpp"
#include "server/dispatch/client_session.hpp"
#include "server/search/message_search.hpp"
#include "server/search/search_answer.hpp"
#include "server/search/search_request.hpp"
#include "server/search/search_results.hpp"
#include "server/search/user_search.hpp"

namespace qsip::server {
namespace {

struct Results {
  std::vector<ResultJson> items;
  std::int64_t total = 0;
};

// The largest varint length prefix of a frame (RFC 9000 16: 4 bytes up to 2^30).
constexpr std::size_t kFramePrefixBytes = 4;

}  // namespace

SearchHandler::SearchHandler(GroupMembership& groups, ContactCheck& contacts, std::function<std::int64_t()> now_seconds)
    : groups_(groups), contacts_(contacts), now_seconds_(std::move(now_seconds)) {
  if (!now_seconds_) now_seconds_ = [] { return static_cast<std::int64_t>(std::time(nullptr)); };
}

void SearchHandler::handle(Request& r) {
  auto& session = r.session;
  auto& context = session.context();
  auto fail = [&](core::ErrorCode code, std::string detail) {
    session.answer_error(r.stream_id, core::Failure{code, std::move(detail), std::string(r.message.message_id), {}});
  };
  auto parsed = parse_search_request(r.message);
  if (!parsed) return session.answer_error(r.stream_id, parsed.failure());
  const SearchRequest& request = parsed.value();
  if (!context.reader) return fail(core::ErrorCode::kServiceUnavailable, "SEARCH: no store");

  Results results;
  try {
    auto& db = *context.reader;
    db.end_open_reads();  // see every commit so far: a message answered a moment ago is searchable
    switch (request.action) {
      case SearchAction::kMessage: {
        auto page = search_messages(db, groups_, session.user_id(), request.query, request.limit, request.offset);
        for (const auto& hit : page.hits)
          results.items.push_back({message_result_json(hit, true), message_result_json(hit, false)});
        results.total = page.total;
        break;
      }
      case SearchAction::kUser: {
        auto page = search_users(db, contacts_, session.user_id(), request.query, request.limit, request.offset,
                                 now_seconds_());
        for (const auto& hit : page.hits) results.items.push_back({user_result_json(hit), {}});
        results.total = page.total;
        break;
      }
      case SearchAction::kGroup: {
        // Public groups only, and none until the groups module implements GroupMembership.
        auto page = groups_.public_groups_matching(db, request.query, request.limit, request.offset);
        for (const auto& hit : page.hits) results.items.push_back({group_result_json(hit), {}});
        results.total = page.total;
        break;
      }
    }
  } catch (const std::exception& e) {
    context.reader->end_open_reads();  // a read cut short must not pin the connection's snapshot
    return fail(core::ErrorCode::kDatabaseError, std::string("SEARCH: ") + e.what());
  }

  std::string id = context.identity.new_message_id();
  std::string now = ServerIdentity::now();
  core::EnvelopeFields f;
  f.message_id = id;
  f.timestamp = now;
  f.type = "SEARCH";
  f.from_user_id = context.identity.server_id();
  f.from_device_id = context.identity.node_id();
  f.to_user_id = session.user_id();
  f.to_device_id = session.device_id();
  // What the envelope takes around an empty payload ("{}") is what the
  // results cannot use.
  const std::size_t envelope_bytes = core::build_envelope(f, "{}").size() - 2;
  const std::size_t budget = core::kMaxFrameBytes - kFramePrefixBytes - envelope_bytes;
  auto payload = search_answer_payload(request, r.message.message_id, results.items, results.total, budget);
  session.send(r.stream_id, core::build_envelope(f, payload), "SEARCH");
}

}  // namespace qsip::server
