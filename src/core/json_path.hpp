// The path of the value being checked ("payload.mentions[2].user_id"), kept
// as a stack of views and rendered only when something fails.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/wire_limits.hpp"

namespace qsip::core {

class JsonPath {
 public:
  explicit JsonPath(std::string_view root = {}) { if (!root.empty()) push(root); }
  void push(std::string_view name) { put(Segment{name, 0, false}); }
  void push(std::size_t index) { put(Segment{{}, index, true}); }
  void pop() { if (size_) --size_; }
  std::string str() const;

 private:
  struct Segment {
    std::string_view name;
    std::size_t index;
    bool is_index;
  };
  void put(Segment s) {
    if (size_ < segments_.size()) segments_[size_] = s;
    ++size_;  // deeper than we render: counted, not stored
  }
  std::array<Segment, kMaxJsonDepth * 2 + 4> segments_{};
  std::size_t size_ = 0;
};

// Pushes on construction, pops on destruction.
class PathScope {
 public:
  template <typename T>
  PathScope(JsonPath& path, T segment) : path_(path) { path_.push(segment); }
  ~PathScope() { path_.pop(); }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  JsonPath& path_;
};

}  // namespace qsip::core
