// The 47 message types of draft section 5, each described once.
//
// Reading rules (docs/validation.md explains each choice):
// - REQUIRED in the draft is .req(); "REQUIRED for X" is .req_when("action", {X}).
// - A value list is closed (.one_of) where the draft says MUST or where the
//   server acts on the value; open (.examples) otherwise.
// - A named field that is null counts as absent (wire profile 8): OPTIONAL
//   fields accept null, REQUIRED ones report "required".
// - Unknown fields are allowed everywhere (draft 10.2).
#include <algorithm>
#include <array>
#include <cstdint>

#include "core/message_type.hpp"

namespace qsip::core {
namespace {

using enum MessageType;

constexpr double kMaxFlowId = 4611686018427387903.0;  // 2^62 - 1

Field file_object(std::string name) {
  return obj(std::move(name), {
      str("file_name").req(),
      num("file_size").req().min(0),
      str("mime_type").req(),
      str("url").req(),
      str("file_hash"),
      str("thumbnail_url"),
      num("duration_ms").min(0),
  });
}

std::vector<Field> card_fields() {
  return {
      str("title"), str("subtitle"), str("body"), str("image_url"),
      arr("actions", item_obj({
          str("type").req().examples({"button", "link"}),
          str("label").req(),
          str("action_id").req(),
          str("url"),
          obj("payload"),
      })),
  };
}

Field codecs(std::string name) {
  return obj(std::move(name), {arr("audio", item(kString)), arr("video", item(kString))})
      .doc_("codec strings per media type, e.g. {\"audio\": [\"opus/48000/2\"]}");
}

Field ice_candidates() {
  return arr("ice_candidates", item_obj({
      str("candidate"), str("sdpMid"), integer("sdpMLineIndex").min(0),
  }));
}

std::vector<Field> track_fields(bool track_fields_required) {
  auto maybe_req = [&](Field f) { return track_fields_required ? std::move(f).req() : std::move(f); };
  return {
      str("track_id").req(),
      maybe_req(str("kind").examples({"audio", "video", "screenshare"})),
      maybe_req(str("codec")),
      str("label"),
      str("direction").one_of({"sendrecv", "sendonly", "recvonly", "inactive"}),
      integer("flow_id").min(0).max(kMaxFlowId)
          .doc_("the flow id this track's datagrams carry (wire profile 7)"),
      arr("layers", item_obj({str("rid").req(), integer("flow_id").min(0).max(kMaxFlowId),
                              integer("max_bitrate").min(0), integer("width").min(0),
                              integer("height").min(0)}))
          .doc_("simulcast layers of this track (draft 7.4)"),
  };
}

Field tracks() {
  auto fields = track_fields(true);
  for (auto& f : fields)
    if (f.name == "flow_id") f.required = true;
  return arr("tracks", item_obj(std::move(fields)))
      .doc_("tracks the sender will send, with their flow ids (wire profile 7)");
}

// "add" / "remove" / "get" management types of 5.31 to 5.40 share one shape.
TypeSpec managed(MessageType t, std::string name, std::string section, std::string purpose,
                 std::initializer_list<std::string_view> actions, std::string id_field,
                 std::string info_field) {
  return TypeSpec{t, std::move(name), std::move(section), false, std::move(purpose),
                  Shape{{str("action").req().one_of(actions), str(std::move(id_field)).req().id(),
                         obj(std::move(info_field)).req()},
                        {}},
                  {}};
}

std::vector<TypeSpec> build_table() {
  std::vector<TypeSpec> t;

  t.push_back({kRegister, "REGISTER", "5.1", false,
      "authenticate a device and declare its capabilities",
      Shape{{
          str("auth_token").req().doc_("a JWT (wire profile 5)"),
          obj("device_info", {str("os"), str("app"), str("device_model")}).req(),
          arr("capabilities", item(kString)),
          boolean("supports_datagrams"),
      }, {}}, {}});

  t.push_back({kPresence, "PRESENCE", "5.2", false, "publish availability",
      Shape{{
          str("status").req().one_of({"available", "away", "busy", "dnd", "offline"}),
          str("status_message"),
          str("activity").examples({"idle", "typing", "in_call", "in_meeting", "presenting"}),
          str("last_active_at").timestamp(),
      }, {}}, {}});

  t.push_back({kInvite, "INVITE", "5.3", true, "start a session (call, conference)",
      Shape{{
          arr("media_types", item(kString).examples({"audio", "video", "screenshare"})).req(),
          codecs("codecs"),
          str("sdp_offer"),
          ice_candidates(),
          arr("encryption", item(kString).examples({"sframe"})),
          str("target_group_id").id(),
          str("purpose"),
          tracks(),
      }, {}},
      {{"to", "user_id"}, {"to", "group_id"}, {"payload", "target_group_id"}}});

  t.push_back({kAccept, "ACCEPT", "5.4", true, "accept an INVITE",
      Shape{{codecs("codecs"), str("sdp_answer"), ice_candidates(),
             str("encryption").examples({"sframe"}), tracks()}, {}}, {}});

  t.push_back({kReject, "REJECT", "5.5", true, "decline an INVITE",
      Shape{{str("reason").req().examples({"busy", "decline", "unavailable", "unsupported", "error"}),
             str("detail")}, {}}, {}});

  t.push_back({kEnd, "END", "5.6", true, "terminate a session",
      Shape{{str("reason").req().examples({"hangup", "completed", "timeout", "error", "declined_media"}),
             str("detail")}, {}}, {}});

  t.push_back({kSession, "SESSION", "5.7", true, "mid-session control",
      Shape{{
          str("action").req().one_of({"hold", "resume", "mute", "unmute", "start_screenshare",
                                      "stop_screenshare", "start_recording", "stop_recording",
                                      "transfer", "agent_connecting", "listen", "whisper", "barge",
                                      "select_layer"}),
          str("state").examples({"on_hold", "recording", "screensharing"}),
          str("target_media_type").examples({"audio", "video", "screenshare"}),
          str("transfer_to_user_id").id().req_when("action", {"transfer"}),
          // select_layer (docs/calls.md "Simulcast"): the sender's track, the
          // layer wanted (no rid: back to the choice by bandwidth), and the
          // sender when several participants use the same track_id.
          str("track_id").req_when("action", {"select_layer"}),
          str("rid"),
          str("user_id").id(),
          str("stream_id"),
      }, {}}, {}});

  t.push_back({kChannelUpdate, "CHANNEL_UPDATE", "5.8", true, "media channel state changes",
      Shape{{map("channels", item_obj({boolean("enabled"), boolean("muted"), boolean("available"),
                                       boolean("active")})).req()}, {}}, {}});

  const auto file = file_object("");
  t.push_back({kMessage, "MESSAGE", "5.9", false, "chat messages, files and rich content",
      Shape{{
          str("message_type").req().one_of({"text", "file", "image", "audio_clip", "video_clip",
                                            "location", "card", "carousel", "canvas", "embed"}),
          kinds("content", kString | kObject).req().shaped_by("message_type", {
              {"text", item(kString)},
              {"file", file}, {"image", file}, {"audio_clip", file}, {"video_clip", file},
              {"location", item_obj({num("latitude").req().min(-90).max(90),
                                     num("longitude").req().min(-180).max(180),
                                     num("accuracy").min(0), str("address")})},
              {"card", item_obj(card_fields())},
              {"carousel", item_obj({arr("items", item(kObject)).req(),
                                     str("layout").examples({"horizontal", "vertical"})})},
              {"canvas", item_obj({str("canvas_id").req().id(), str("canvas_url"), str("preview_url"),
                                   boolean("collaborative")})},
              {"embed", item_obj({str("embed_type").req().examples({"iframe", "widget", "mini-app"}),
                                  str("embed_url").req(), num("height").min(0), num("width").min(0),
                                  arr("permissions", item(kString))})},
          }),
          str("thread_id").id(),
          str("reply_to_message_id").id(),
          arr("mentions", item_obj({str("user_id").req().id(), str("display_text").req()})),
          str("schedule_time").timestamp(),
          num("ephemeral_ttl").min(0),
          str("priority").one_of({"urgent", "normal", "low"}),
          arr("attachments", file_object("")),
      }, {}},
      {{"to", "user_id"}, {"to", "group_id"}, {"to", "channel_id"}}});

  t.push_back({kReaction, "REACTION", "5.10", false, "emoji reactions",
      Shape{{str("target_message_id").req().id(), str("reaction").req(),
             str("action").one_of({"add", "remove"})}, {}}, {}});

  t.push_back({kReceipt, "RECEIPT", "5.11", false, "delivery, read and other acknowledgments",
      Shape{{str("target_message_id").req().id(),
             str("status").req().examples({"sent", "delivered_to_server", "delivered_to_client",
                                           "read", "failed", "registered", "ok", "enqueued"}),
             str("detail")}, {}}, {}});

  t.push_back({kMessageAction, "MESSAGE_ACTION", "5.12", false, "edit or delete a message",
      Shape{{str("action").req().one_of({"edit", "delete"}),
             str("target_message_id").req().id(),
             kinds("new_content", kString | kObject),
             obj("new_payload")},
            {at_least_one_when({"new_content", "new_payload"}, "action", {"edit"})}}, {}});

  t.push_back({kInfo, "INFO", "5.13", false, "transient information such as typing",
      Shape{{str("info_type").req().examples({"typing_indicator"}), boolean("is_typing"),
             str("target_context_id").id()}, {}}, {}});

  t.push_back({kGroup, "GROUP", "5.14", false, "groups and their members",
      Shape{{
          str("action").req().one_of({"create", "update", "delete", "invite", "join", "leave", "kick",
                                      "set_role", "get_info", "list_members", "invited_to_group",
                                      "approve_join", "deny_join", "member_joined", "member_left",
                                      "role_changed", "group_deleted", "join_requested"}),
          str("group_id").id().req_unless("action", {"create"}),
          str("name"), str("topic"), str("avatar_url"),
          arr("members", item(kString)).req_when("action", {"invite"}),
          str("target_user_id").id().req_when("action", {"kick", "set_role", "approve_join", "deny_join"}),
          str("role").one_of({"owner", "admin", "moderator", "member"}).req_when("action", {"set_role"}),
          str("visibility").one_of({"private", "public"}),
          str("workspace_id").id(),
          integer("limit").min(0), integer("offset").min(0),
      }, {}}, {}});

  t.push_back({kPoll, "POLL", "5.15", false, "polls",
      Shape{{
          str("action").req().one_of({"create", "vote", "get_results", "close"}),
          str("poll_id").id().req_when("action", {"vote", "get_results", "close"}),
          str("question").req_when("action", {"create"}),
          arr("options", item(kString)).req_when("action", {"create"}),
          integer("selected_option_index").min(0).req_when("action", {"vote"}),
          str("expires_at").timestamp(),
          str("context_id").id().req_when("action", {"create"}),
          obj("results"),
      }, {}}, {}});

  t.push_back({kQueue, "QUEUE", "5.16", false, "call-centre queues",
      Shape{{
          str("action").req().one_of({"enqueue", "dequeue", "get_status", "assign_agent", "agent_accept",
                                      "agent_reject", "update_priority", "offer_item", "position_update",
                                      // extensions (docs/call-centre.md): statistics, run-time configuration
                                      "get_stats", "subscribe_stats", "unsubscribe_stats", "configure_queue",
                                      "remove_queue", "configure_agent", "remove_agent"}),
          str("queue_id").id().req_unless("action", {"configure_agent", "remove_agent"}),
          str("customer_id").id(),
          kinds("priority", kString | kNumber).req_when("action", {"update_priority"}),
          str("item_id").id().req_when("action", {"dequeue", "assign_agent", "agent_accept",
                                                  "agent_reject", "update_priority"}),
          str("agent_id").id().req_when("action", {"assign_agent", "configure_agent", "remove_agent"}),
          obj("details"),
          obj("status_info"),
          arr("required_skills", item(kString)),
      }, {}}, {}});

  t.push_back({kCalendar, "CALENDAR", "5.17", false, "calendar events",
      Shape{{
          str("action").req().one_of({"create_event", "update_event", "delete_event", "get_event",
                                      "list_events", "respond_to_invite"}),
          str("event_id").id().req_when("action", {"update_event", "delete_event", "get_event",
                                                   "respond_to_invite"}),
          str("title").req_when("action", {"create_event"}),
          str("description"),
          str("start_time").timestamp().req_when("action", {"create_event"}),
          str("end_time").timestamp(),
          num("duration_minutes").min(0),
          arr("participants", item_obj({
              str("user_id").req().id(),
              str("role").examples({"organizer", "attendee", "optional_attendee"}),
              str("response_status").examples({"accepted", "declined", "tentative", "needs_action"}),
          })),
          str("location"),
          str("recurrence_rule"),
          str("response").one_of({"accept", "decline", "tentative"}).req_when("action", {"respond_to_invite"}),
          str("query_start_time").timestamp(),
          str("query_end_time").timestamp(),
      }, {}}, {}});

  t.push_back({kSchedule, "SCHEDULE", "5.18", false, "server-side scheduled messages",
      Shape{{
          str("action").req().one_of({"create_schedule", "update_schedule", "delete_schedule", "get_schedule"}),
          str("schedule_id").id().req_when("action", {"update_schedule", "delete_schedule", "get_schedule"}),
          kinds("scheduled_message", kObject).envelope_not({"SCHEDULE"}).req_when("action", {"create_schedule"})
              .doc_("a whole QSIP message, itself valid, and not a SCHEDULE"),
          str("schedule_time").timestamp().req_when("action", {"create_schedule"}),
          str("recurrence_rule"),
      }, {}}, {}});

  // Extensions (draft 10.2, docs/analytics.md): "action": "query" lets a
  // server administrator read aggregates, answered with `aggregates`.
  t.push_back({kAnalytics, "ANALYTICS", "5.19", false, "usage metrics and aggregated analytics",
      Shape{{str("event_name").req_unless("action", {"query"}), str("metric"), any("value"), obj("dimensions"),
             obj("session_details"), str("action").one_of({"query"}), str("since").timestamp(),
             str("until").timestamp(), kinds("aggregates", kArray)}, {}}, {}});

  t.push_back({kModeration, "MODERATION", "5.20", false, "moderation actions",
      Shape{{
          str("action").req().one_of({"mute_user_in_group", "unmute_user_in_group", "kick_user_from_group",
                                      "ban_user_from_group", "unban_user_from_group", "delete_message",
                                      "warn_user", "suspend_user_account"}),
          str("target_user_id").id().req_unless("action", {"delete_message"}),
          str("target_group_id").id().req_when("action", {"mute_user_in_group", "unmute_user_in_group",
                                                          "kick_user_from_group", "ban_user_from_group",
                                                          "unban_user_from_group"}),
          str("target_message_id").id().req_when("action", {"delete_message"}),
          str("reason"),
          num("duration_seconds").min(0),
          str("expires_at").timestamp(),
      }, {}}, {}});

  // Extensions (draft 10.2, docs/audit.md): "action": "query" with filters
  // and a cursor lets a server administrator read the log, answered with
  // `events` and `next_cursor`; "record" (or no action) submits an event.
  t.push_back({kAuditEvent, "AUDIT_EVENT", "5.21", false, "audit records",
      Shape{{str("event_type").req_unless("action", {"query"}), str("actor_user_id").id(), str("actor_device_id").id(),
             str("target_resource_type"), str("target_resource_id"), str("ip_address"),
             str("user_agent"), obj("details"), str("status").one_of({"success", "failure"}),
             str("failure_reason"), str("action").one_of({"record", "query"}), str("since").timestamp(),
             str("until").timestamp(), num("limit").min(1), kinds("cursor", kString | kNull),
             kinds("events", kArray), kinds("next_cursor", kString | kNull)}, {}}, {}});

  t.push_back({kError, "ERROR", "5.22", false, "errors",
      Shape{{integer("code").req().min(1000).max(6999), str("reason").req(), str("detail"),
             str("target_message_id").id()}, {}}, {}});

  t.push_back({kKeyExchange, "KEY_EXCHANGE", "5.23", true, "end-to-end media keys",
      Shape{{
          str("mechanism").req().examples({"sframe"}),
          obj("sframe_params", {str("key_material"), kinds("key_id", kString | kNumber), str("cipher_suite"),
                                num("epoch").min(0)}),
          str("key_material").req().or_inside("sframe_params"),
          kinds("key_id", kString | kNumber).req().or_inside("sframe_params"),
          str("cipher_suite"),
          num("epoch").min(0),
          str("public_key"),
          str("signature"),
      }, {}}, {}});

  t.push_back({kMediaUpdate, "MEDIA_UPDATE", "5.24", true, "add, remove or change tracks mid-session",
      Shape{{arr("add_tracks", item_obj(track_fields(true))),
             arr("remove_tracks", item(kString)),
             arr("update_tracks", item_obj(track_fields(false)))}, {}}, {}});

  t.push_back({kUserProfile, "USER_PROFILE", "5.25", false, "profiles and devices",
      Shape{{
          str("action").req().one_of({"set", "get", "list_devices", "rename_device", "remove_device"}),
          str("target_user_id").id(),
          obj("profile_data", {str("display_name"), str("avatar_url"), str("custom_status_emoji"),
                               str("custom_status_text"), str("custom_status_expires_at").timestamp(),
                               str("pronouns"), str("department"), str("timezone")})
              .req_when("action", {"set"}),
          str("device_id").id().req_when("action", {"rename_device", "remove_device"}),
          str("device_name").req_when("action", {"rename_device"}),
      }, {}}, {}});

  t.push_back({kSync, "SYNC", "5.26", false, "multi-device synchronization",
      Shape{{str("action").req().one_of({"request", "response", "notify"}), str("device_id").req().id(),
             str("timestamp").req().timestamp(), obj("data")}, {}}, {}});

  t.push_back({kPush, "PUSH", "5.27", false, "push notifications",
      Shape{{str("action").req().one_of({"subscribe", "unsubscribe", "send"}), str("topic").req(),
             obj("data").req()}, {}}, {}});

  t.push_back({kSearch, "SEARCH", "5.28", false, "search users, groups, messages",
      Shape{{str("action").req().one_of({"user", "group", "message"}), str("query").req(),
             integer("limit").min(0), integer("offset").min(0)}, {}}, {}});

  t.push_back({kRoster, "ROSTER", "5.29", false, "contacts",
      Shape{{str("action").req().one_of({"add", "remove", "update", "list", "approve", "deny", "block", "unblock",
                                         "subscription_request", "subscription_approved"}),
             str("contact_id").req().id(), obj("contact_info").req()}, {}}, {}});

  // `list`, `visibility`, `limit` and `cursor` are extensions (draft 10.2;
  // docs/groups.md "Channels").
  t.push_back({kChannel, "CHANNEL", "5.30", false, "channels",
      Shape{{str("action").req().one_of({"create", "delete", "join", "leave", "list"}),
             str("channel_id").id().req_unless("action", {"list"}), str("name"), str("description"),
             str("workspace_id").id(), str("visibility").one_of({"private", "public"}),
             integer("limit").min(0), str("cursor")}, {}}, {}});

  t.push_back(managed(kBot, "BOT", "5.31", "bots", {"add", "remove", "update"}, "bot_id", "bot_info"));
  t.push_back(managed(kVoicemail, "VOICEMAIL", "5.32", "voicemail", {"add", "remove", "get"}, "voicemail_id",
                      "voicemail_info"));

  t.push_back({kFederation, "FEDERATION", "5.33", false, "federation between servers",
      Shape{{str("action").req().one_of({"add_server", "remove_server", "get_servers"}),
             str("server_id").req().id(), obj("server_info").req()}, {}}, {}});

  // Beyond the draft's create / delete / get: the extensions of
  // docs/groups.md "Workspaces" (draft 10.2) and the server-originated
  // notices; `workspace_info` is what `create` describes.
  t.push_back({kWorkspace, "WORKSPACE", "5.34", false, "workspaces",
      Shape{{str("action").req().one_of({"create", "delete", "get", "list", "invite", "join", "leave", "set_role",
                                         "kick", "list_members", "invited_to_workspace", "member_joined",
                                         "member_left", "role_changed", "workspace_deleted"}),
             str("workspace_id").id().req_unless("action", {"list"}),
             obj("workspace_info", {str("name"), str("description"), str("visibility").one_of({"private", "public"})})
                 .req_when("action", {"create"}),
             arr("members", item(kString)).req_when("action", {"invite"}),
             str("target_user_id").id().req_when("action", {"kick", "set_role"}),
             str("role").one_of({"owner", "admin", "member"}).req_when("action", {"set_role"}),
             integer("limit").min(0), str("cursor")}, {}}, {}});
  t.push_back(managed(kStory, "STORY", "5.35", "stories", {"add", "remove", "get"}, "story_id", "story_info"));
  t.push_back(managed(kForm, "FORM", "5.36", "forms", {"create", "delete", "get"}, "form_id", "form_info"));
  t.push_back(managed(kPayment, "PAYMENT", "5.37", "payment methods", {"add", "remove", "get"}, "payment_id",
                      "payment_info"));
  t.push_back(managed(kTranscript, "TRANSCRIPT", "5.38", "transcripts", {"add", "remove", "get"},
                      "transcript_id", "transcript_info"));
  t.push_back(managed(kBackup, "BACKUP", "5.39", "backups", {"add", "remove", "get"}, "backup_id", "backup_info"));
  t.push_back(managed(kMfa, "MFA", "5.40", "multi-factor authentication methods", {"add", "remove", "get"},
                      "mfa_id", "mfa_info"));

  t.push_back({kSubscription, "SUBSCRIPTION", "5.41", false, "content and event subscriptions",
      Shape{{
          str("action").req().one_of({"subscribe", "unsubscribe", "update", "list"}),
          str("subscription_type").req().one_of({"thread", "channel", "user", "bot", "event", "summary"}),
          str("target_id").id().req_when("action", {"subscribe", "unsubscribe"}),
          obj("filters", {arr("keywords", item(kString)), arr("users", item(kString)),
                          arr("event_types", item(kString))}),
          obj("delivery", {str("frequency").examples({"hourly", "daily", "weekly"}), str("time"),
                           str("format").examples({"full", "summary", "digest"}), integer("max_items").min(0)}),
      }, {}}, {}});

  t.push_back({kInteractive, "INTERACTIVE", "5.42", false, "interactions with rich content",
      Shape{{
          str("interaction_type").req().one_of({"button_click", "form_submit", "canvas_action", "embed_event"}),
          str("source_message_id").req().id(),
          str("action_id").req(),
          obj("payload"),
          str("response_type").one_of({"ephemeral", "in_channel", "update", "new_message"}),
      }, {}}, {}});

  t.push_back({kCommand, "COMMAND", "5.43", false, "slash commands and shortcuts",
      Shape{{
          str("command_type").req().one_of({"slash", "menu", "shortcut"}),
          str("command").req(),
          arr("arguments", item(kString)),
          str("raw_text"),
          obj("context", {str("channel_id").id(), str("message_id").id(), arr("user_ids", item(kString))}),
          str("response_url"),
          str("trigger_id"),
      }, {}}, {}});

  t.push_back({kWebhook, "WEBHOOK", "5.44", false, "webhooks",
      Shape{{
          str("webhook_type").req().one_of({"incoming", "outgoing", "configure"}),
          str("action").one_of({"create", "update", "delete", "list"}).req_when("webhook_type", {"configure"}),
          str("webhook_id").id(),
          str("url"),
          arr("events", item(kString)),
          str("secret"),
          map("headers", item(kString)),
          obj("data"),
          str("channel_id").id(),
      }, {}}, {}});

  t.push_back({kWorkflow, "WORKFLOW", "5.45", false, "automated workflows",
      Shape{{
          str("action").req().one_of({"create", "update", "delete", "execute", "pause", "resume", "get_status"}),
          str("workflow_id").id().req_unless("action", {"create"}),
          str("name"),
          obj("trigger", {str("type").req().examples({"schedule", "event", "webhook", "manual"}), obj("config")})
              .req_when("action", {"create"}),
          arr("steps", item_obj({str("id").req(),
                                 str("type").req().examples({"send_message", "wait", "condition", "http_request"}),
                                 obj("config").req(), kinds("next", kString | kObject)}))
              .req_when("action", {"create"}),
          obj("variables"),
          str("execution_id").id(),
      }, {}}, {}});

  t.push_back({kModal, "MODAL", "5.46", false, "modal dialogs",
      Shape{{
          str("action").req().one_of({"open", "update", "close", "push", "submit"}),
          str("trigger_id").req_when("action", {"open"}),
          str("view_id").id(),
          obj("view", {str("type").req().examples({"modal", "home"}), str("title").req(),
                       arr("blocks", item(kObject)).req(), obj("submit"), obj("cancel"), obj("close"),
                       str("private_metadata")})
              .req_when("action", {"open", "update"}),
          obj("values"),
          str("response_action").examples({"clear", "update", "push"}),
      }, {}}, {}});

  t.push_back({kClip, "CLIP", "5.47", false, "short video clips",
      Shape{{
          str("action").req().one_of({"record", "upload", "share", "delete", "transcribe"}),
          str("clip_id").id().req_unless("action", {"record"}),
          str("title"),
          num("duration_ms").min(0),
          obj("recording_data", {str("format").req().examples({"webm", "mp4"}), str("resolution"),
                                 num("file_size").req().min(0), str("url").req(), str("thumbnail_url")}),
          arr("share_targets", item_obj({str("type").req().one_of({"user", "channel", "group"}),
                                         str("id").req().id()})),
          obj("transcription", {str("text"), str("language"), arr("timestamps", item(kAnyKind))}),
      }, {}}, {}});

  return t;
}

const std::vector<TypeSpec>& table() {
  static const std::vector<TypeSpec> kTable = build_table();
  return kTable;
}

bool is_label_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }
bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::span<const TypeSpec> registered_types() { return table(); }

const TypeSpec* find_type(std::string_view name) {
  for (const auto& spec : table())
    if (spec.name == name) return &spec;
  return nullptr;
}

const TypeSpec& type_spec(MessageType type) { return table().at(static_cast<std::size_t>(type)); }

std::string_view type_name(MessageType type) {
  return type == MessageType::kCustom ? std::string_view{"custom"} : std::string_view{type_spec(type).name};
}

bool is_custom_type_name(std::string_view name) {
  // label(.label)+.name where the first label starts with a letter.
  std::size_t parts = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = name.find('.', start);
    std::string_view part = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty()) return false;
    bool last = dot == std::string_view::npos;
    if (last) {
      if (parts < 2) return false;
      if (part.front() >= '0' && part.front() <= '9') return false;
      return std::ranges::all_of(part, is_name_char);
    }
    if (!std::ranges::all_of(part, is_label_char) || part.front() == '-') return false;
    if (parts == 0 && !(part.front() >= 'a' && part.front() <= 'z')) return false;
    ++parts;
    start = dot + 1;
  }
}

const Shape& envelope_shape() {
  static const Shape kEnvelope = [] {
    auto to_target = [](std::string n) { return str(std::move(n)).id(); };
    return Shape{{
        str("qsip_version").req().doc_("\"1.0\"; anything else is ERROR 4003"),
        str("message_id").req().id(),
        str("timestamp").req().timestamp(),
        obj("from", {str("user_id").req().id(), str("device_id").req().id(), str("display_name")}).req(),
        obj("to", {to_target("user_id"), to_target("group_id"), to_target("call_center_id"),
                   to_target("server_id"), to_target("channel_id"), to_target("device_id")})
            .req(),
        str("type").req().doc_("a registered type name or a reverse-domain custom type"),
        str("session_id").id(),
        obj("payload").req(),
    }, {}};
  }();
  return kEnvelope;
}

}  // namespace qsip::core
