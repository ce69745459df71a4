// A small streaming JSON writer into a caller-owned string: no DOM, no
// intermediate objects. Answers and builders write through it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qsip::core {

// Appends s as a JSON string literal (quotes included), escaping as RFC 8259 requires.
void append_json_string(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() { value_prefix(); out_ += '{'; first_ = true; return *this; }
  JsonWriter& end_object() { out_ += '}'; first_ = false; return *this; }
  JsonWriter& begin_array() { value_prefix(); out_ += '['; first_ = true; return *this; }
  JsonWriter& end_array() { out_ += ']'; first_ = false; return *this; }
  JsonWriter& key(std::string_view k) {
    if (!first_) out_ += ',';
    append_json_string(out_, k);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  JsonWriter& value(std::string_view s) { value_prefix(); append_json_string(out_, s); return *this; }
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) { value_prefix(); out_ += b ? "true" : "false"; return *this; }
  JsonWriter& value(std::int64_t n);
  JsonWriter& value(std::uint64_t n);
  JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
  JsonWriter& value(double d);
  JsonWriter& null() { value_prefix(); out_ += "null"; return *this; }
  // Pre-serialized JSON, inserted as it is (the caller vouches for it).
  JsonWriter& raw(std::string_view json) { value_prefix(); out_ += json; return *this; }

  template <typename T>
  JsonWriter& member(std::string_view k, const T& v) { key(k); return value(v); }

 private:
  void value_prefix() {
    if (after_key_) {
      after_key_ = false;
    } else if (!first_) {
      out_ += ',';
    }
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace qsip::core
