#include "core/schema_writer.hpp"

#include <nlohmann/json.hpp>

#include "core/string_formats.hpp"
#include "core/wire_limits.hpp"

namespace qsip::core {
namespace {

using Json = nlohmann::ordered_json;

Json not_null() { return Json{{"not", Json{{"type", "null"}}}}; }

// {"required": [name], "properties": {name: {"not": {"type": "null"}}}}: present and not null.
Json present(const std::string& name) {
  return Json{{"required", Json::array({name})}, {"properties", Json{{name, not_null()}}}};
}

Json condition_schema(const Condition& c) {
  Json in = Json{{"properties", Json{{c.field, Json{{"enum", c.values}}}}}, {"required", Json::array({c.field})}};
  return c.negate ? Json{{"not", in}} : in;
}

Json type_names(KindSet k) {
  Json types = Json::array();
  if (k & kString) types.push_back("string");
  if (k & kNumber) types.push_back("number");
  else if (k & kInteger) types.push_back("integer");
  if (k & kBoolean) types.push_back("boolean");
  if (k & kObject) types.push_back("object");
  if (k & kArray) types.push_back("array");
  if (k & kNull) types.push_back("null");
  return types;
}

Json object_schema(const Shape& shape);

// `nullable`: a named OPTIONAL field, for which null means absent.
Json field_schema(const Field& f, bool nullable) {
  Json s = Json::object();
  if (!f.doc.empty()) s["description"] = f.doc;
  if (f.format == Format::kEnvelope) {
    Json envelope = Json{{"$ref", schema_id("envelope")}};
    if (!f.forbidden_types.empty())
      envelope["not"] = Json{{"properties", Json{{"type", Json{{"enum", f.forbidden_types}}}}},
                             {"required", Json::array({"type"})}};
    if (nullable) s["anyOf"] = Json::array({Json{{"type", "null"}}, envelope});
    else s.update(envelope);
    return s;
  }
  KindSet kinds = f.kinds | (nullable ? kNull : 0);
  if ((kinds & kAnyKind) != kAnyKind) {
    Json types = type_names(kinds);
    s["type"] = types.size() == 1 ? types[0] : types;
  }
  if (f.format == Format::kId) {
    s["minLength"] = kMinIdBytes;
    s["maxLength"] = kMaxIdBytes;
  }
  if (f.format == Format::kTimestamp) s["pattern"] = kTimestampPattern;
  if (!f.values.empty()) {
    if (f.closed) {
      Json values = f.values;
      if (nullable) values.push_back(nullptr);
      s["enum"] = values;
    } else {
      s["examples"] = f.values;
    }
  }
  if (f.minimum) s["minimum"] = *f.minimum;
  if (f.maximum) s["maximum"] = *f.maximum;
  if (f.shape) s.update(object_schema(*f.shape));
  if (f.map_values) s["additionalProperties"] = field_schema(*f.map_values, false);
  if (f.items) s["items"] = field_schema(*f.items, false);
  return s;
}

Json object_schema(const Shape& shape) {
  Json properties = Json::object();
  Json required = Json::array();
  Json all_of = Json::array();
  for (const Field& f : shape.fields) {
    bool optional = !f.required || !f.also_in.empty();
    properties[f.name] = field_schema(f, optional);
    if (f.required && f.also_in.empty()) required.push_back(f.name);
    if (f.required && !f.also_in.empty()) {
      Json inside = Json{{"required", Json::array({f.also_in})},
                         {"properties", Json{{f.also_in, Json{{"type", "object"}, {"required", Json::array({f.name})},
                                                             {"properties", Json{{f.name, not_null()}}}}}}}};
      all_of.push_back(Json{{"anyOf", Json::array({present(f.name), inside})}});
    }
    if (f.required_when)
      all_of.push_back(Json{{"if", condition_schema(*f.required_when)}, {"then", present(f.name)}});
    if (f.variant) {
      for (const auto& [value, case_field] : f.variant->cases) {
        Json when = Json{{"properties", Json{{f.variant->discriminator, Json{{"const", value}}}}},
                         {"required", Json::array({f.variant->discriminator})}};
        all_of.push_back(Json{{"if", when}, {"then", Json{{"properties", Json{{f.name, field_schema(*case_field, false)}}}}}});
      }
    }
  }
  for (const AnyOfRule& rule : shape.any_of) {
    Json options = Json::array();
    for (const auto& name : rule.fields) options.push_back(present(name));
    Json any = Json{{"anyOf", options}};
    all_of.push_back(rule.when ? Json{{"if", condition_schema(*rule.when)}, {"then", any}} : any);
  }
  Json s = Json::object();
  s["type"] = "object";
  s["properties"] = properties;
  if (!required.empty()) s["required"] = required;
  if (!all_of.empty()) s["allOf"] = all_of;
  return s;
}

}  // namespace

std::string schema_id(std::string_view name) {
  return std::string(kSchemaBase) + std::string(name) + ".schema.json";
}

std::string payload_schema(const TypeSpec& spec) {
  Json s = Json::object();
  s["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  s["$id"] = schema_id(spec.name);
  s["title"] = spec.name + " payload";
  s["description"] = "draft-qsip-core-03 section " + spec.section + ": " + spec.purpose +
                     ". Generated from the qsip type table (src/core/message_type_table.cpp).";
  s.update(object_schema(spec.payload));
  return s.dump(2) + "\n";
}

std::string envelope_schema() {
  Json s = Json::object();
  s["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  s["$id"] = schema_id("envelope");
  s["title"] = "QSIP message envelope";
  s["description"] =
      "draft-qsip-core-03 section 4 with the wire profile. Generated from the qsip type table "
      "(src/core/message_type_table.cpp).";
  s.update(object_schema(envelope_shape()));
  s["properties"]["qsip_version"]["const"] = "1.0";
  Json names = Json::array();
  for (const auto& spec : registered_types()) names.push_back(spec.name);
  s["properties"]["type"]["anyOf"] =
      Json::array({Json{{"enum", names}}, Json{{"pattern", kCustomTypePattern}}});
  Json all_of = Json::array();
  for (const auto& spec : registered_types()) {
    Json then = Json{{"properties", Json{{"payload", Json{{"$ref", schema_id(spec.name)}}}}}};
    if (spec.session_id_required) {
      then["required"] = Json::array({"session_id"});
      then["properties"]["session_id"] = Json{{"type", "string"}};
    }
    if (!spec.target_any.empty()) {
      Json options = Json::array();
      for (const auto& path : spec.target_any)
        options.push_back(Json{{"required", Json::array({path[0]})},
                               {"properties", Json{{path[0], Json{{"required", Json::array({path[1]})},
                                                                  {"properties", Json{{path[1], Json{{"type", "string"}}}}}}}}}});
      then["anyOf"] = options;
    }
    all_of.push_back(Json{{"if", Json{{"properties", Json{{"type", Json{{"const", spec.name}}}}},
                                      {"required", Json::array({"type"})}}},
                          {"then", then}});
  }
  s["allOf"] = all_of;
  return s.dump(2) + "\n";
}

}  // namespace qsip::core
