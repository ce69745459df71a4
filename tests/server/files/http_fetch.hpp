// One HTTP request with libcurl, with the request headers a test needs
// (Authorization) and the response headers it checks.
#pragma once

#include <curl/curl.h>

#include <map>
#include <string>
#include <vector>

namespace qsip::server::testing {

struct Fetched {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lowercased
};

inline Fetched http_fetch(const std::string& url, const std::vector<std::string>& request_headers = {},
                          const char* method = "GET") {
  Fetched out;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& h : request_headers) list = curl_slist_append(list, h.c_str());
  auto on_body = +[](char* data, size_t size, size_t n, void* user) -> size_t {
    static_cast<Fetched*>(user)->body.append(data, size * n);
    return size * n;
  };
  auto on_header = +[](char* data, size_t size, size_t n, void* user) -> size_t {
    std::string line(data, size * n);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
      static_cast<Fetched*>(user)->headers[name] = value;
    }
    return size * n;
  };
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  if (std::string(method) == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &out);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return out;
}

}  // namespace qsip::server::testing
