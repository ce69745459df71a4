// The declarative description of QSIP messages. Each message type is
// described once, as a table of its fields (name, JSON kinds, required or
// conditionally required, allowed values, nested shapes); the validator, the
// JSON Schemas, the generated documentation and the typed builders are all
// derived from these descriptions, so they cannot drift apart.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qsip::core {

// JSON kinds a value may have, as a bit set.
enum Kind : std::uint8_t {
  kString = 1 << 0,
  kNumber = 1 << 1,   // any JSON number
  kInteger = 1 << 2,  // a JSON number with no fractional part
  kBoolean = 1 << 3,
  kObject = 1 << 4,
  kArray = 1 << 5,
  kNull = 1 << 6,
};
using KindSet = std::uint8_t;
inline constexpr KindSet kAnyKind = kString | kNumber | kBoolean | kObject | kArray | kNull;

// String formats with their own rules (wire profile section 6).
enum class Format : std::uint8_t {
  kNone,
  kId,         // opaque UTF-8, 1 to 256 bytes
  kTimestamp,  // ISO 8601 UTC with a trailing Z, fractional seconds allowed
  kEnvelope,   // a whole QSIP message (SCHEDULE scheduled_message)
};

// "when payload.<field> is (not) one of <values>"
struct Condition {
  std::string field;
  std::vector<std::string> values;
  bool negate = false;
};

struct Field;
struct Shape;

// A field whose shape depends on a sibling's value (MESSAGE content by
// message_type).
struct Variant {
  std::string discriminator;
  std::vector<std::pair<std::string, std::shared_ptr<const Field>>> cases;
};

// "at least one of these fields is present" (optionally only under a condition).
struct AnyOfRule {
  std::vector<std::string> fields;
  std::optional<Condition> when;
};

struct Field {
  std::string name;  // empty for array items and map values
  KindSet kinds = kAnyKind;
  bool required = false;
  std::optional<Condition> required_when;
  std::vector<std::string> values;  // enumerated string values
  bool closed = false;              // values is the complete list (else examples)
  Format format = Format::kNone;
  std::optional<double> minimum;
  std::optional<double> maximum;
  std::shared_ptr<const Shape> shape;       // object with known fields
  std::shared_ptr<const Field> items;       // array items
  std::shared_ptr<const Field> map_values;  // object used as a map
  std::optional<Variant> variant;
  std::string also_in;                      // may stand inside this sibling object instead
  std::vector<std::string> forbidden_types; // for Format::kEnvelope
  std::string doc;

  // Modifiers, so that a table row reads as one expression.
  Field&& req() &&;
  Field&& req_when(std::string field, std::initializer_list<std::string_view> values) &&;
  Field&& req_unless(std::string field, std::initializer_list<std::string_view> values) &&;
  Field&& one_of(std::initializer_list<std::string_view> values) &&;    // closed list
  Field&& examples(std::initializer_list<std::string_view> values) &&;  // open list
  Field&& id() &&;
  Field&& timestamp() &&;
  Field&& min(double v) &&;
  Field&& max(double v) &&;
  Field&& doc_(std::string text) &&;
  Field&& shaped_by(std::string discriminator,
                    std::initializer_list<std::pair<std::string_view, Field>> cases) &&;
  Field&& or_inside(std::string sibling_object) &&;
  Field&& envelope_not(std::initializer_list<std::string_view> types) &&;
};

struct Shape {
  std::vector<Field> fields;
  std::vector<AnyOfRule> any_of;
  const Field* find(std::string_view name) const;
};

// Constructors for table rows.
Field str(std::string name);
Field num(std::string name);
Field integer(std::string name);
Field boolean(std::string name);
Field any(std::string name);
Field obj(std::string name, std::vector<Field> fields = {});
Field map(std::string name, Field value);   // object whose every value has this shape
Field arr(std::string name, Field item);
Field kinds(std::string name, KindSet k);   // several kinds ("string or number")
Field item(KindSet k);                      // an array item of simple kind
Field item_obj(std::vector<Field> fields);  // an array item that is an object
AnyOfRule at_least_one(std::initializer_list<std::string_view> fields);
AnyOfRule at_least_one_when(std::initializer_list<std::string_view> fields, std::string cond_field,
                            std::initializer_list<std::string_view> cond_values);

// True when an optional condition holds for the given discriminator value
// (absent discriminator: std::nullopt).
bool condition_holds(const Condition& c, std::optional<std::string_view> value);

// "a string", "a string or an object" ... for details and docs.
std::string describe_kinds(KindSet k);

}  // namespace qsip::core

namespace qsip::core {
// A number as people write it: 0, -90, 4.611686018427388e+18.
std::string fmt_number(double v);
}  // namespace qsip::core
