// libqsip: what Client::upload_file and Client::download_file return
// (docs/files.md, docs/client.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "qsip/message.hpp"

namespace qsip {

// Progress of a transfer: bytes done and the total (0 while a download's
// size is not yet known). Called on the thread that started the transfer,
// about ten times a second while bytes move, and once at the end.
using FileProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct FileTransferResult {
  // The server's RECEIPT (status "ok"), or an ERROR: the server's (4001 a
  // header or hash the server refused, 4004 over the size limit, 4031 over
  // the quota or no access, 4045 no such file, 4015 not registered ...), or
  // one made here: 5002 the connection was lost or the stream reset, 4081
  // no progress within ClientOptions::request_timeout, 4001 downloaded
  // bytes that do not match the RECEIPT's file_size or sha256.
  std::optional<Message> answer;
  bool ok() const { return answer && answer->type() == "RECEIPT"; }

  // From the RECEIPT: the file's stable URL (qsip://<server_id>/files/<file_id>)
  // and its metadata.
  std::string url;
  std::string file_id;
  std::string file_name;
  std::string mime_type;
  std::string sha256;
  std::uint64_t file_size = 0;
};

}  // namespace qsip
