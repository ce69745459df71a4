#include "core/field_spec.hpp"

#include <algorithm>

namespace qsip::core {
namespace {
std::vector<std::string> to_strings(std::initializer_list<std::string_view> values) {
  return {values.begin(), values.end()};
}
Field base(std::string name, KindSet k) {
  Field f;
  f.name = std::move(name);
  f.kinds = k;
  return f;
}
}  // namespace

Field&& Field::req() && { required = true; return std::move(*this); }
Field&& Field::req_when(std::string field, std::initializer_list<std::string_view> vals) && {
  required_when = Condition{std::move(field), to_strings(vals), false};
  return std::move(*this);
}
Field&& Field::req_unless(std::string field, std::initializer_list<std::string_view> vals) && {
  required_when = Condition{std::move(field), to_strings(vals), true};
  return std::move(*this);
}
Field&& Field::one_of(std::initializer_list<std::string_view> vals) && {
  values = to_strings(vals);
  closed = true;
  return std::move(*this);
}
Field&& Field::examples(std::initializer_list<std::string_view> vals) && {
  values = to_strings(vals);
  closed = false;
  return std::move(*this);
}
Field&& Field::id() && { format = Format::kId; return std::move(*this); }
Field&& Field::timestamp() && { format = Format::kTimestamp; return std::move(*this); }
Field&& Field::min(double v) && { minimum = v; return std::move(*this); }
Field&& Field::max(double v) && { maximum = v; return std::move(*this); }
Field&& Field::doc_(std::string text) && { doc = std::move(text); return std::move(*this); }
Field&& Field::shaped_by(std::string discriminator,
                         std::initializer_list<std::pair<std::string_view, Field>> cases) && {
  Variant v{std::move(discriminator), {}};
  for (const auto& [value, f] : cases) v.cases.emplace_back(std::string(value), std::make_shared<const Field>(f));
  variant = std::move(v);
  return std::move(*this);
}
Field&& Field::or_inside(std::string sibling_object) && {
  also_in = std::move(sibling_object);
  return std::move(*this);
}
Field&& Field::envelope_not(std::initializer_list<std::string_view> types) && {
  format = Format::kEnvelope;
  forbidden_types = to_strings(types);
  return std::move(*this);
}

const Field* Shape::find(std::string_view name) const {
  auto it = std::ranges::find(fields, name, &Field::name);
  return it == fields.end() ? nullptr : &*it;
}

Field str(std::string name) { return base(std::move(name), kString); }
Field num(std::string name) { return base(std::move(name), kNumber); }
Field integer(std::string name) { return base(std::move(name), kInteger); }
Field boolean(std::string name) { return base(std::move(name), kBoolean); }
Field any(std::string name) { return base(std::move(name), kAnyKind); }
Field kinds(std::string name, KindSet k) { return base(std::move(name), k); }
Field obj(std::string name, std::vector<Field> fields) {
  Field f = base(std::move(name), kObject);
  f.shape = std::make_shared<const Shape>(Shape{std::move(fields), {}});
  return f;
}
Field map(std::string name, Field value) {
  Field f = base(std::move(name), kObject);
  f.map_values = std::make_shared<const Field>(std::move(value));
  return f;
}
Field arr(std::string name, Field item_spec) {
  Field f = base(std::move(name), kArray);
  f.items = std::make_shared<const Field>(std::move(item_spec));
  return f;
}
Field item(KindSet k) { return base("", k); }
Field item_obj(std::vector<Field> fields) { return obj("", std::move(fields)); }

AnyOfRule at_least_one(std::initializer_list<std::string_view> fields) {
  return AnyOfRule{to_strings(fields), std::nullopt};
}
AnyOfRule at_least_one_when(std::initializer_list<std::string_view> fields, std::string cond_field,
                            std::initializer_list<std::string_view> cond_values) {
  return AnyOfRule{to_strings(fields), Condition{std::move(cond_field), to_strings(cond_values), false}};
}

bool condition_holds(const Condition& c, std::optional<std::string_view> value) {
  bool in = value && std::ranges::find(c.values, *value) != c.values.end();
  return c.negate ? !in : in;
}

std::string describe_kinds(KindSet k) {
  static constexpr std::pair<KindSet, std::string_view> kNames[] = {
      {kString, "a string"}, {kNumber, "a number"},  {kInteger, "an integer"}, {kBoolean, "a boolean"},
      {kObject, "an object"}, {kArray, "an array"},  {kNull, "null"}};
  std::string out;
  KindSet shown = k;
  if (shown & kNumber) shown &= static_cast<KindSet>(~kInteger);
  int n = 0;
  for (const auto& [bit, name] : kNames) {
    if (!(shown & bit)) continue;
    if (n++) out += " or ";
    out += name;
  }
  return out;
}

}  // namespace qsip::core

#include <fmt/format.h>

namespace qsip::core {
std::string fmt_number(double v) { return fmt::format("{}", v); }
}  // namespace qsip::core
