#include "server/search/search_answer.hpp"

#include "core/json_writer.hpp"

namespace qsip::server {
namespace {
// Room kept for `]`, `,"next_offset":<20 digits>` and `}`.
constexpr std::size_t kTailBytes = 64;
}  // namespace

std::string search_answer_payload(const SearchRequest& request, std::string_view target_message_id,
                                  const std::vector<ResultJson>& results, std::int64_t total, std::size_t budget) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object()
      .member("target_message_id", target_message_id)
      .member("action", to_string(request.action))
      .member("query", request.query)
      .member("limit", request.limit)
      .member("offset", request.offset)
      .member("total", total)
      .key("results")
      .begin_array();
  std::int64_t consumed = 0;
  std::size_t sent = 0;
  for (const auto& result : results) {
    const std::size_t used = out.size() + kTailBytes + 1;  // + the comma before it
    const std::size_t room = budget > used ? budget - used : 0;
    if (result.full.size() <= room) {
      w.raw(result.full);
    } else if (sent == 0 && !result.slim.empty() && result.slim.size() <= room) {
      w.raw(result.slim);
    } else if (sent == 0) {
      ++consumed;  // cannot be sent at all: skipped, and paging moves past it
      continue;
    } else {
      break;  // the next page starts with it
    }
    ++consumed;
    ++sent;
  }
  w.end_array();
  const std::int64_t next = request.offset + consumed;
  if (next < total) w.member("next_offset", next);
  w.end_object();
  return out;
}

}  // namespace qsip::server
