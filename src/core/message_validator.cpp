#include "core/message_validator.hpp"

#include <new>
#include <string>

#include "core/json_path.hpp"
#include "core/shape_checker.hpp"
#include "core/string_formats.hpp"
#include "core/wire_limits.hpp"

namespace qsip::core {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

std::string_view string_member(object obj, std::string_view key) {
  auto v = obj.at_key(key);
  if (v.error() || !v.value_unsafe().is_string()) return {};
  return std::string_view(v.value_unsafe());
}

object object_member(object obj, std::string_view key) {
  object out;
  if (obj[key].get(out)) return {};
  return out;
}

std::string json_error_detail(simdjson::error_code error) {
  switch (error) {
    case simdjson::UTF8_ERROR: return "message: invalid UTF-8";
    case simdjson::DEPTH_ERROR:
      return "message: JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    case simdjson::EMPTY: return "message: empty";
    case simdjson::CAPACITY: return "message: too large";
    default: return std::string("message: invalid JSON (") + simdjson::error_message(error) + ")";
  }
}

std::string prefixed(std::string_view prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : std::string(prefix) + "." + std::string(name);
}

Failure malformed(std::string detail) { return Failure{ErrorCode::kMalformedPayload, std::move(detail), {}, {}}; }

}  // namespace

std::string_view MessageView::payload_string(std::string_view key) const { return string_member(payload, key); }

MessageValidator::MessageValidator() {
  // One allocation up front: the largest frame and the deepest nesting allowed.
  if (parser_.allocate(kMaxFrameBytes + simdjson::SIMDJSON_PADDING, kMaxJsonDepth) != simdjson::SUCCESS)
    throw std::bad_alloc();
}

Outcome<MessageView> MessageValidator::validate(std::string_view json, bool padded) {
  if (json.size() > kMaxFrameBytes)
    return Failure{ErrorCode::kMessageTooLarge, "message: " + std::to_string(json.size()) + " bytes, more than 65536", {}, {}};
  auto parsed = parser_.parse(json.data(), json.size(), !padded);
  if (parsed.error()) return malformed(json_error_detail(parsed.error()));
  return validate_element(parsed.value_unsafe(), {});
}

Outcome<MessageView> MessageValidator::validate_element(element root_element, std::string_view path) {
  if (!root_element.is_object())
    return malformed((path.empty() ? std::string("message") : std::string(path)) + ": must be a JSON object");
  object root(root_element);

  // Correlation first, so that every later failure can name its message.
  Failure proto;
  std::string_view message_id = string_member(root, "message_id");
  if (is_valid_id(message_id)) proto.target_message_id = std::string(message_id);
  std::string_view session_id = string_member(root, "session_id");
  if (is_valid_id(session_id)) proto.session_id = std::string(session_id);
  auto fail = [&](ErrorCode code, std::string detail) {
    Failure f = proto;
    f.code = code;
    f.detail = std::move(detail);
    return f;
  };
  // Inside another message, every problem is that message's malformed payload.
  const bool nested = !path.empty();
  auto code_or_nested = [&](ErrorCode code) { return nested ? ErrorCode::kMalformedPayload : code; };

  // The version decides how to read everything else, so it is checked first.
  auto version = root.at_key("qsip_version");
  if (version.error() || version.value_unsafe().is_null())
    return fail(ErrorCode::kMalformedPayload, prefixed(path, "qsip_version") + ": required");
  if (!version.value_unsafe().is_string())
    return fail(ErrorCode::kMalformedPayload, prefixed(path, "qsip_version") + ": must be a string");
  if (std::string_view(version.value_unsafe()) != "1.0")
    return fail(code_or_nested(ErrorCode::kUnsupportedQsipVersion),
                prefixed(path, "qsip_version") + ": unsupported version \"" +
                    std::string(std::string_view(version.value_unsafe())) + "\", this server speaks \"1.0\"");

  // Then the type, which selects the payload description.
  auto type_value = root.at_key("type");
  if (type_value.error() || type_value.value_unsafe().is_null())
    return fail(ErrorCode::kMalformedPayload, prefixed(path, "type") + ": required");
  if (!type_value.value_unsafe().is_string())
    return fail(ErrorCode::kMalformedPayload, prefixed(path, "type") + ": must be a string");
  std::string_view type_name(type_value.value_unsafe());
  const TypeSpec* spec = find_type(type_name);
  if (!spec && !is_custom_type_name(type_name))
    return fail(code_or_nested(ErrorCode::kInvalidMessageType),
                prefixed(path, "type") + ": \"" + std::string(type_name.substr(0, 64)) +
                    "\" is not a registered message type or a reverse-domain custom type");

  JsonPath json_path(path);
  ShapeChecker checker(json_path);
  if (auto problem = checker.check_object(envelope_shape(), root))
    return fail(ErrorCode::kMalformedPayload, std::move(*problem));

  MessageView view;
  view.root = root;
  view.type = spec ? spec->type : MessageType::kCustom;
  view.type_name = type_name;
  view.message_id = message_id;
  view.timestamp = string_member(root, "timestamp");
  // The envelope shape has checked these members (each present once, of the right kind).
  object from = object_member(root, "from");
  view.from_user_id = string_member(from, "user_id");
  view.from_device_id = string_member(from, "device_id");
  object to = object_member(root, "to");
  view.to_user_id = string_member(to, "user_id");
  view.to_group_id = string_member(to, "group_id");
  view.to_channel_id = string_member(to, "channel_id");
  view.to_call_center_id = string_member(to, "call_center_id");
  view.to_server_id = string_member(to, "server_id");
  view.to_device_id = string_member(to, "device_id");
  view.session_id = session_id;
  view.payload = object_member(root, "payload");
  if (!spec) return view;  // custom types: any payload object

  if (spec->session_id_required && view.session_id.empty())
    return fail(ErrorCode::kMalformedPayload, prefixed(path, "session_id") + ": required for " + spec->name);

  if (!spec->target_any.empty()) {
    bool has_target = false;
    std::string names;
    for (const auto& target : spec->target_any) {
      object scope = target[0] == "to" ? to : view.payload;
      if (!string_member(scope, target[1]).empty()) has_target = true;
      if (!names.empty()) names += ", ";
      names += target[0] + "." + target[1];
    }
    if (!has_target) return fail(ErrorCode::kMalformedPayload, prefixed(path, "to") + ": needs one of " + names);
  }

  PathScope payload_scope(json_path, std::string_view("payload"));
  if (auto problem = checker.check_object(spec->payload, view.payload))
    return fail(ErrorCode::kMalformedPayload, std::move(*problem));
  return view;
}

}  // namespace qsip::core
