// Interprets a Shape (field_spec.hpp) against a parsed JSON object. This is
// the whole payload validator: each of the 47 types is just data for it.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>

#include "core/field_spec.hpp"
#include "core/json_path.hpp"

namespace qsip::core {

class ShapeChecker {
 public:
  explicit ShapeChecker(JsonPath& path) : path_(path) {}

  // nullopt when the object fits the shape; otherwise the detail of the first
  // problem ("payload.status: must be one of available, away, ...").
  std::optional<std::string> check_object(const Shape& shape, simdjson::dom::object object);
  std::optional<std::string> check_value(const Field& field, simdjson::dom::element value);

 private:
  std::optional<std::string> fail(std::string_view what) const;
  JsonPath& path_;
};

// The kind bit of a parsed value (kInteger is reported as kNumber | kInteger).
KindSet kind_of(simdjson::dom::element value);

}  // namespace qsip::core
