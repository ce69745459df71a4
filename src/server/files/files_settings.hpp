// The files module's settings, from [files] and [quic] (docs/files.md,
// docs/configuration.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace qsip::server {

struct FilesSettings {
  std::string server_id = "qsip-server";             // names files in their URLs
  std::uint64_t max_file_size = 100 * 1024 * 1024;   // an upload declaring more is refused (4004)
  std::uint64_t user_quota_bytes = 1024 * 1024 * 1024;  // sum of a user's uploads (4031 beyond)
  // A transfer stream that makes no progress for this long is reset.
  std::chrono::milliseconds idle_timeout{60'000};
  // A download keeps at most this many bytes in the connection's send
  // queue: under the queue's soft bound, so that the client's other
  // traffic (presence, typing) still flows during a download.
  std::size_t send_window = 512 * 1024;
  // fsync each blob before recording it ([store] sync = "full").
  bool sync_blobs = true;
};

}  // namespace qsip::server
