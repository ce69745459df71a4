// The payload of the SEARCH answer (wire profile 4: success with data is a
// message of the request's type): the request echoed, the page's results
// and where the next page starts, within a byte budget so that the answer
// always fits one frame (65,536 bytes, wire profile 2) however large the
// stored messages are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/search/search_request.hpp"

namespace qsip::server {

// One result: `full` as it should be sent; `slim`, when not empty, a smaller
// form used only when `full` alone exceeds the budget (a message without its
// payload).
struct ResultJson {
  std::string full;
  std::string slim;
};

// Results are added in order while they fit in `budget` bytes of payload;
// the first that does not fit ends the page, unless it is the page's first
// (then its slim form is sent, or it is skipped). `next_offset` (present
// when more results follow) counts what was sent or skipped, so paging with
// it never repeats or loses a result.
std::string search_answer_payload(const SearchRequest& request, std::string_view target_message_id,
                                  const std::vector<ResultJson>& results, std::int64_t total, std::size_t budget);

}  // namespace qsip::server
