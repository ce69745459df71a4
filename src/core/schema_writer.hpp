// Derives JSON Schemas (draft 2020-12) from the type table, so that the
// schemas in docs/schemas/ say exactly what the C++ validator checks.
// Wire-level rules that JSON Schema cannot express (frame size, UTF-8,
// nesting depth, identifier length in bytes rather than characters) are
// listed in docs/validation.md.
#pragma once

#include <string>
#include <string_view>

#include "core/message_type.hpp"

namespace qsip::core {

inline constexpr std::string_view kSchemaBase = "https://schemas.qsip.invalid/1.0/";

// "$id" of a schema file: kSchemaBase + "<name>.schema.json".
std::string schema_id(std::string_view name);

// The schema of one payload type, pretty-printed.
std::string payload_schema(const TypeSpec& spec);

// The envelope schema (draft 4.2), referring to every payload schema by id.
std::string envelope_schema();

}  // namespace qsip::core
