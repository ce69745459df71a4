// What qsip-bench reads about the server process it loads: CPU time and
// resident memory from /proc, so figures are the server's cost, not ours.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace qsip::bench {

struct ProcessSample {
  double cpu_seconds = 0;        // user + system
  std::uint64_t rss_bytes = 0;   // VmRSS
};

// nullopt when the process is gone or /proc cannot be read.
std::optional<ProcessSample> sample_process(pid_t pid);

}  // namespace qsip::bench
