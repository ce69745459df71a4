// GnuTLS priority strings compiled once per thread instead of once per
// session: gnutls_priority_set_direct builds an 8 KiB cache and spends a
// visible share of a handshake's CPU on every connection (heaptrack and
// qsip-bench figures in docs/performance.md). One cache per thread, so no
// reference count is shared between workers.
#pragma once

#include <gnutls/gnutls.h>

namespace qsip::quic {

// The compiled form of `priority` (a string constant: it is the cache key)
// for this thread, or nullptr when GnuTLS refuses the string.
gnutls_priority_t thread_priority(const char* priority);

}  // namespace qsip::quic
