// What the store keeps about one uploaded file (docs/files.md). The bytes
// live in the blob store under their SHA-256; many records may name the
// same blob (the same content uploaded twice).
#pragma once

#include <cstdint>
#include <string>

namespace qsip::server {

struct FileRecord {
  std::string file_id;    // server-made, random (UUID v4 text)
  std::string sha256;     // 64 lowercase hex digits: the blob's name
  std::uint64_t size = 0;
  std::string mime_type;
  std::string file_name;  // as the uploader named it; metadata, never a path
  std::string uploader;   // user_id
  std::int64_t created_at_ms = 0;  // Unix time, milliseconds
};

}  // namespace qsip::server
