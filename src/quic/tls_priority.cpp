#include "quic/tls_priority.hpp"

#include <map>

namespace qsip::quic {

gnutls_priority_t thread_priority(const char* priority) {
  struct Cache {
    std::map<const char*, gnutls_priority_t> compiled;
    ~Cache() {
      for (auto& [text, p] : compiled)
        if (p) gnutls_priority_deinit(p);
    }
  };
  thread_local Cache cache;
  auto [it, inserted] = cache.compiled.try_emplace(priority, nullptr);
  if (inserted && gnutls_priority_init(&it->second, priority, nullptr) != 0) it->second = nullptr;
  return it->second;
}

}  // namespace qsip::quic
