// Generic JSON object and array builders. The typed payload builders
// (payload_builders.hpp, generated from the type table) derive from
// ObjectBuilder and add one typed setter per field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_writer.hpp"

namespace qsip::core {

// Pre-serialized JSON text, inserted as it is.
struct RawJson {
  std::string_view json;
};

class ArrayBuilder;

class ObjectBuilder {
 public:
  ObjectBuilder() : text_("{") {}
  // The object as JSON text.
  std::string json() const { return text_ + '}'; }

  ObjectBuilder& set(std::string_view key, std::string_view v) { key_(key); append_json_string(text_, v); return *this; }
  ObjectBuilder& set(std::string_view key, const char* v) { return set(key, std::string_view(v)); }
  ObjectBuilder& set(std::string_view key, bool v) { key_(key); text_ += v ? "true" : "false"; return *this; }
  ObjectBuilder& set(std::string_view key, std::int64_t v) { return set_number(key, v); }
  ObjectBuilder& set(std::string_view key, int v) { return set_number(key, std::int64_t{v}); }
  ObjectBuilder& set(std::string_view key, double v) { return set_number(key, v); }
  ObjectBuilder& set(std::string_view key, RawJson v) { key_(key); text_ += v.json; return *this; }
  ObjectBuilder& set(std::string_view key, const ObjectBuilder& v) { key_(key); text_ += v.text_; text_ += '}'; return *this; }
  ObjectBuilder& set(std::string_view key, const ArrayBuilder& v);
  ObjectBuilder& set(std::string_view key, std::initializer_list<std::string_view> strings);
  ObjectBuilder& set(std::string_view key, const std::vector<std::string>& strings);

 private:
  template <typename N>
  ObjectBuilder& set_number(std::string_view key, N v) {
    key_(key);
    std::string number;
    JsonWriter(number).value(v);
    text_ += number;
    return *this;
  }
  void key_(std::string_view key) {
    if (text_.size() > 1) text_ += ',';
    append_json_string(text_, key);
    text_ += ':';
  }
  std::string text_;
};

class ArrayBuilder {
 public:
  ArrayBuilder() : text_("[") {}
  std::string json() const { return text_ + ']'; }
  ArrayBuilder& add(const ObjectBuilder& v) { comma(); text_ += v.json(); return *this; }
  ArrayBuilder& add(std::string_view v) { comma(); append_json_string(text_, v); return *this; }
  ArrayBuilder& add(RawJson v) { comma(); text_ += v.json; return *this; }

 private:
  void comma() { if (text_.size() > 1) text_ += ','; }
  std::string text_;
};

inline ObjectBuilder& ObjectBuilder::set(std::string_view key, const ArrayBuilder& v) {
  key_(key);
  text_ += v.json();
  return *this;
}

inline ObjectBuilder& ObjectBuilder::set(std::string_view key, std::initializer_list<std::string_view> strings) {
  ArrayBuilder a;
  for (auto s : strings) a.add(s);
  return set(key, a);
}

inline ObjectBuilder& ObjectBuilder::set(std::string_view key, const std::vector<std::string>& strings) {
  ArrayBuilder a;
  for (const auto& s : strings) a.add(std::string_view(s));
  return set(key, a);
}

}  // namespace qsip::core
