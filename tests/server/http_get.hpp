// A minimal HTTP client for tests (libcurl): one request, the whole answer.
#pragma once

#include <string>

namespace qsip::test {

struct HttpResponse {
  long status = 0;  // 0 when the request failed (connection refused...)
  std::string content_type;
  std::string body;
  std::string error;  // curl's message when status is 0
};

HttpResponse http_request(const std::string& url, const std::string& method = "GET");

}  // namespace qsip::test
