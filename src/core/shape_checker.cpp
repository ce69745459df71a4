#include "core/shape_checker.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>

#include "core/message_validator.hpp"
#include "core/string_formats.hpp"

namespace qsip::core {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr std::size_t kMaxShapeFields = 64;

std::string join_values(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += values[i];
  }
  return out;
}

std::optional<double> as_double(element value) {
  switch (value.type()) {
    case element_type::INT64: return static_cast<double>(int64_t(value));
    case element_type::UINT64: return static_cast<double>(uint64_t(value));
    case element_type::DOUBLE: return double(value);
    default: return std::nullopt;
  }
}

// The members of one object, matched to the fields of its shape in a single
// pass over the object. A known field given twice is refused: the server
// relays the bytes it received, and parsers that keep the first of two keys
// and parsers that keep the last would read different messages.
class MatchedFields {
 public:
  MatchedFields(const Shape& shape, object obj) : shape_(shape) {
    for (auto [key, value] : obj) {
      for (std::size_t i = 0; i < shape.fields.size() && i < kMaxShapeFields; ++i) {
        if (shape.fields[i].name == key) {
          if (seen_[i] && !repeated_) repeated_ = &shape.fields[i];
          seen_[i] = true;
          values_[i] = value;
          present_[i] = !value.is_null();
          break;
        }
      }
    }
  }
  const Field* repeated() const { return repeated_; }
  bool present(std::size_t i) const { return present_[i]; }
  element value(std::size_t i) const { return values_[i]; }

  // The string value of a sibling field, for conditions and variants.
  std::optional<std::string_view> string_of(std::string_view name) const {
    for (std::size_t i = 0; i < shape_.fields.size() && i < kMaxShapeFields; ++i) {
      if (shape_.fields[i].name != name) continue;
      if (!present_[i] || !values_[i].is_string()) return std::nullopt;
      return std::string_view(values_[i]);
    }
    return std::nullopt;
  }
  bool holds(const std::optional<Condition>& c) const { return c && condition_holds(*c, string_of(c->field)); }

  // True when `name` stands, not null, inside the sibling object `container`.
  bool present_inside(std::string_view container, std::string_view name) const {
    for (std::size_t i = 0; i < shape_.fields.size() && i < kMaxShapeFields; ++i) {
      if (shape_.fields[i].name != container || !present_[i] || !values_[i].is_object()) continue;
      auto inner = object(values_[i]).at_key(name);
      return !inner.error() && !inner.value_unsafe().is_null();
    }
    return false;
  }

 private:
  const Shape& shape_;
  std::array<element, kMaxShapeFields> values_{};
  std::bitset<kMaxShapeFields> present_;
  std::bitset<kMaxShapeFields> seen_;
  const Field* repeated_ = nullptr;
};

}  // namespace

KindSet kind_of(element value) {
  switch (value.type()) {
    case element_type::STRING: return kString;
    case element_type::INT64:
    case element_type::UINT64: return kNumber | kInteger;
    case element_type::DOUBLE: {
      double d = double(value);
      return std::isfinite(d) && std::floor(d) == d ? (kNumber | kInteger) : kNumber;
    }
    case element_type::BOOL: return kBoolean;
    case element_type::OBJECT: return kObject;
    case element_type::ARRAY: return kArray;
    case element_type::NULL_VALUE: return kNull;
  }
  return 0;
}

std::optional<std::string> ShapeChecker::fail(std::string_view what) const {
  std::string detail = path_.str();
  detail += ": ";
  detail += what;
  return detail;
}

std::optional<std::string> ShapeChecker::check_object(const Shape& shape, object obj) {
  MatchedFields matched(shape, obj);
  if (const Field* repeated = matched.repeated()) {
    PathScope scope(path_, std::string_view(repeated->name));
    return fail("repeated key");
  }
  for (std::size_t i = 0; i < shape.fields.size(); ++i) {
    const Field& field = shape.fields[i];
    PathScope scope(path_, std::string_view(field.name));
    if (!matched.present(i)) {
      bool needed = field.required || matched.holds(field.required_when);
      if (needed && !(!field.also_in.empty() && matched.present_inside(field.also_in, field.name)))
        return fail(field.also_in.empty() ? "required" : "required (here or in " + field.also_in + ")");
      continue;
    }
    const Field* effective = &field;
    if (field.variant) {
      auto discriminator = matched.string_of(field.variant->discriminator);
      for (const auto& [value, case_field] : field.variant->cases)
        if (discriminator && value == *discriminator) effective = case_field.get();
    }
    if (auto problem = check_value(*effective, matched.value(i))) return problem;
  }
  for (const auto& rule : shape.any_of) {
    if (rule.when && !matched.holds(rule.when)) continue;
    bool any = std::ranges::any_of(rule.fields, [&](const std::string& name) {
      const Field* f = shape.find(name);
      return f && matched.present(static_cast<std::size_t>(f - shape.fields.data()));
    });
    if (!any) {
      PathScope scope(path_, std::string_view(rule.fields.front()));
      return fail("required (or " + join_values({rule.fields.begin() + 1, rule.fields.end()}) + ")");
    }
  }
  return std::nullopt;
}

std::optional<std::string> ShapeChecker::check_value(const Field& field, element value) {
  KindSet kind = kind_of(value);
  if (!(kind & field.kinds)) return fail("must be " + describe_kinds(field.kinds));
  switch (value.type()) {
    case element_type::STRING: {
      std::string_view s(value);
      if (field.format == Format::kId && !is_valid_id(s)) return fail("must be 1 to 256 bytes");
      if (field.format == Format::kTimestamp && !is_valid_timestamp(s))
        return fail("must be an ISO 8601 UTC timestamp ending in Z");
      if (field.closed && std::ranges::find(field.values, s) == field.values.end())
        return fail("must be one of " + join_values(field.values));
      return std::nullopt;
    }
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: {
      double d = *as_double(value);
      if (field.minimum && d < *field.minimum) return fail("must be at least " + fmt_number(*field.minimum));
      if (field.maximum && d > *field.maximum) return fail("must be at most " + fmt_number(*field.maximum));
      return std::nullopt;
    }
    case element_type::OBJECT: {
      if (field.format == Format::kEnvelope) {
        auto nested = MessageValidator::validate_element(value, path_.str());
        if (!nested) return nested.failure().detail;
        if (std::ranges::find(field.forbidden_types, nested->type_name) != field.forbidden_types.end()) {
          PathScope scope(path_, std::string_view("type"));
          return fail("must not be " + std::string(nested->type_name));
        }
        return std::nullopt;
      }
      if (field.shape)
        if (auto problem = check_object(*field.shape, object(value))) return problem;
      if (field.map_values) {
        for (auto [key, member] : object(value)) {
          PathScope scope(path_, key);
          if (auto problem = check_value(*field.map_values, member)) return problem;
        }
      }
      return std::nullopt;
    }
    case element_type::ARRAY: {
      if (!field.items) return std::nullopt;
      std::size_t index = 0;
      for (element member : simdjson::dom::array(value)) {
        PathScope scope(path_, index++);
        if (auto problem = check_value(*field.items, member)) return problem;
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace qsip::core
