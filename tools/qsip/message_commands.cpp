// `qsip send`, `history`, `search`, `react`, `edit`, `delete` and `read`
// (docs/client.md "CLI: messaging", docs/messaging.md, docs/search.md):
// each connects, REGISTERs with --token (or QSIP_TOKEN) and sends one
// request. The answer goes to stdout as one JSON line (history and search:
// one line per message or result). Exit 0 on success, 1 on an ERROR
// (printed as JSON on stdout) or when the server cannot be reached, 2 on a
// usage mistake.
#include <simdjson.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <iostream>
#include <memory>
#include <string>

#include "json_line.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "connection_options.hpp"
#include "core/envelope_builder.hpp"
#include "core/payload_builders.hpp"

namespace qsip::cli {
namespace {

namespace builders = core::builders;

std::string now_timestamp() { return core::format_timestamp(std::chrono::system_clock::now()); }

// ---- send ------------------------------------------------------------------

struct SendArgs {
  std::string to, group, channel, text, file, mime, thread, reply_to, priority, schedule;
  std::int64_t ttl = 0;
  CLI::Option* ttl_option = nullptr;
};

// make_envelope addresses users; a group's envelope has to.group_id instead
// (a channel's to.channel_id).
std::string message_envelope(const ConnectionOptions& options, const SendArgs& a, const std::string& payload) {
  if (a.group.empty() && a.channel.empty()) return make_envelope(options, "MESSAGE", payload, a.to);
  std::string id = new_message_id(), now = now_timestamp(), user = options.effective_user();
  core::EnvelopeFields f{.message_id = id, .timestamp = now, .type = "MESSAGE", .from_user_id = user,
                         .from_device_id = options.device_id};
  f.to_group_id = a.group;
  f.to_channel_id = a.channel;
  return core::build_envelope(f, payload);
}

// A guess from the extension when --mime is not given (file_commands.cpp
// has the same table for `qsip upload`).
// The MESSAGE's message_type for a file of this media type.
std::string_view message_type_for(std::string_view mime) {
  if (mime.starts_with("image/")) return "image";
  if (mime.starts_with("audio/")) return "audio_clip";
  if (mime.starts_with("video/")) return "video_clip";
  return "file";
}

// Uploads a.file; on success sets the payload's message_type and content
// (file_name, file_size, mime_type, url, file_hash "sha256:<hex>"). On
// failure prints why and returns the exit status.
int upload_into(Client& client, const SendArgs& a, builders::MessagePayload& payload) {
  std::string mime = a.mime.empty() ? mime_type_for(a.file) : a.mime;
  ProgressBar bar("upload");
  FileTransferResult result;
  try {
    result = client.upload_file(a.file, mime, bar.callback());
  } catch (const ClientError& e) {
    bar.finish();
    std::cerr << "qsip send: " << e.what() << '\n';
    return 1;
  }
  bar.finish();
  if (!result.ok()) {
    if (result.answer) std::cout << one_line(result.answer->json()) << std::endl;
    std::cerr << "qsip send: the upload failed\n";
    return 1;
  }
  // The content of a file message has the fields of an attachment. Sizes
  // are written as integers (the builder's double would print 3e+06).
  builders::MessagePayloadAttachmentsItem content;
  content.file_name(result.file_name).set("file_size", static_cast<std::int64_t>(result.file_size));
  content.mime_type(result.mime_type).url(result.url).file_hash("sha256:" + result.sha256);
  payload.message_type(message_type_for(result.mime_type)).content(content);
  return 0;
}

void run_send(const ConnectionOptions& options, const SendArgs& a, int& exit_code) {
  auto client = registered_client(options, "send", exit_code);
  if (!client) return;
  builders::MessagePayload payload;
  if (!a.file.empty()) {
    exit_code = upload_into(*client, a, payload);
    if (exit_code != 0) {
      client->close();
      return;
    }
  } else {
    payload.message_type("text").content(a.text);
  }
  if (!a.thread.empty()) payload.thread_id(a.thread);
  if (!a.reply_to.empty()) payload.reply_to_message_id(a.reply_to);
  if (!a.priority.empty()) payload.priority(a.priority);
  if (!a.schedule.empty()) payload.schedule_time(a.schedule);
  if (a.ttl_option->count() > 0) payload.set("ephemeral_ttl", a.ttl);  // an integer, as file_size
  exit_code = print_answer(client->request(message_envelope(options, a, payload.json())).get());
  client->close();
}

void add_send_command(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* cmd = app.add_subcommand("send", "send a MESSAGE (text, or a file uploaded first); print the answer");
  auto a = std::make_shared<SendArgs>();
  auto* recipient = cmd->add_option_group("recipient", "whom to send to");
  recipient->add_option("--to", a->to, "the user to send to");
  recipient->add_option("--group", a->group, "the group to send to");
  recipient->add_option("--channel", a->channel, "the channel to send to");
  recipient->require_option(1);
  auto* content = cmd->add_option_group("content", "what to send");
  content->add_option("--text", a->text, "a text message");
  auto* file = content->add_option("--file", a->file, "upload this file (progress on stderr), then send it")
                   ->check(CLI::ExistingFile);
  content->require_option(1);
  cmd->add_option("--mime", a->mime, "the file's media type (default: guessed from its extension)")->needs(file);
  cmd->add_option("--thread", a->thread, "thread_id: the thread's root message id");
  cmd->add_option("--reply-to", a->reply_to, "reply_to_message_id");
  cmd->add_option("--priority", a->priority, "priority")->check(CLI::IsMember({"urgent", "normal", "low"}));
  cmd->add_option("--schedule", a->schedule, "schedule_time, ISO 8601 UTC (2025-06-01T09:00:00Z)");
  a->ttl_option = cmd->add_option("--ttl", a->ttl, "ephemeral_ttl, seconds")->check(CLI::NonNegativeNumber);
  cmd->callback([&options, a, &exit_code] { run_send(options, *a, exit_code); });
}

// ---- history ---------------------------------------------------------------

struct HistoryArgs {
  std::string with, thread;
  int limit = 0;
  std::int64_t before = 0, after = 0;
  bool pretty = false;
  CLI::Option *limit_option = nullptr, *before_option = nullptr, *after_option = nullptr;
};

// A member of a history entry, or `fallback` when absent or of another kind.
template <typename T>
T member_or(simdjson::simdjson_result<simdjson::dom::element> member, T fallback) {
  T value;
  return member.get(value) ? fallback : value;
}

// "2025-06-01T00:43:25.123Z u-alice: hello [edited] (👍 u-bob; 🎉 u-alice, u-bob)"
std::string pretty_line(simdjson::dom::element m) {
  std::string_view text, file_name;
  auto stored_at = std::chrono::milliseconds(member_or<std::int64_t>(m["stored_at_ms"], 0));
  std::string line = core::format_timestamp(std::chrono::system_clock::time_point(stored_at));
  line.append(" ").append(member_or<std::string_view>(m["from"]["user_id"], "?")).append(": ");
  const bool deleted = member_or(m["deleted"], false);
  auto payload = m["payload"];
  if (deleted) {
    line += "[deleted]";
  } else if (!payload["content"].get(text)) {
    line += text;
  } else {
    line.append("[").append(member_or<std::string_view>(payload["message_type"], "?"));
    if (!payload["content"]["file_name"].get(file_name)) line.append(" ").append(file_name);
    line += "]";
  }
  if (member_or<std::int64_t>(m["edit_count"], 0) > 0) line += " [edited]";
  simdjson::dom::object reactions;
  if (!m["reactions"].get(reactions) && reactions.size() > 0) {
    std::string separator = " (";
    for (auto [emoji, users] : reactions) {
      line.append(separator).append(emoji).append(" ");
      std::string_view comma;
      simdjson::dom::array ids;
      if (users.get(ids)) continue;
      for (auto user : ids) {
        std::string_view id;
        if (user.get(id)) continue;
        line.append(comma).append(id);
        comma = ", ";
      }
      separator = "; ";
    }
    line += ")";
  }
  return line;
}

void run_history(const ConnectionOptions& options, const HistoryArgs& a, int& exit_code) {
  builders::SyncPayloadData data;
  if (!a.with.empty()) data.set("user_id", a.with);
  if (!a.thread.empty()) data.set("thread_id", a.thread);
  if (a.limit_option->count() > 0) data.set("limit", a.limit);
  if (a.before_option->count() > 0) data.set("before_seq", a.before);
  if (a.after_option->count() > 0) data.set("after_seq", a.after);
  auto payload = builders::SyncPayload().action("request").device_id(options.device_id).timestamp(now_timestamp()).data(data);
  auto client = registered_client(options, "history", exit_code);
  if (!client) return;
  auto answer = client->request(make_envelope(options, "SYNC", payload.json())).get();
  client->close();
  auto data_json = answer.payload_json("data");
  simdjson::dom::parser parser;
  simdjson::dom::object page;
  simdjson::dom::array messages;
  if (answer.type() != "SYNC" || !data_json || parser.parse(*data_json).get(page) || page["messages"].get(messages)) {
    print_answer(answer);  // an ERROR, or an answer that is not a history page
    exit_code = 1;
    return;
  }
  for (auto m : messages) std::cout << (a.pretty ? pretty_line(m) : simdjson::to_string(m)) << '\n';
  std::cout.flush();
  bool has_more = false;
  std::int64_t first_seq = 0, last_seq = 0;
  if (!page["has_more"].get(has_more) && has_more && !page["first_seq"].get(first_seq) && !page["last_seq"].get(last_seq)) {
    if (a.after_option->count() > 0)
      std::cerr << "qsip history: more after these: --after " << last_seq << '\n';
    else
      std::cerr << "qsip history: more before these: --before " << first_seq << '\n';
  }
  exit_code = 0;
}

void add_history_command(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* cmd = app.add_subcommand("history", "SYNC: print stored messages as they are now, one JSON line each");
  auto a = std::make_shared<HistoryArgs>();
  cmd->add_option("--with", a->with, "only the direct conversation with this user");
  cmd->add_option("--thread", a->thread, "only this thread (its root message id)");
  a->limit_option = cmd->add_option("--limit", a->limit, "messages (the server's default: 50)")->check(CLI::Range(1, 500));
  a->before_option = cmd->add_option("--before", a->before, "the newest messages before this seq")->check(CLI::NonNegativeNumber);
  a->after_option = cmd->add_option("--after", a->after, "the messages after this seq, oldest first")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--pretty", a->pretty, "one readable line per message: time, sender, text, [edited], [deleted], reactions");
  cmd->callback([&options, a, &exit_code] { run_history(options, *a, exit_code); });
}

// ---- search ----------------------------------------------------------------

struct SearchArgs {
  std::string query;
  std::int64_t limit = 0, offset = 0;
  bool users = false;
  CLI::Option *limit_option = nullptr, *offset_option = nullptr;
};

void run_search(const ConnectionOptions& options, const SearchArgs& a, int& exit_code) {
  auto payload = builders::SearchPayload().action(a.users ? "user" : "message").query(a.query);
  if (a.limit_option->count() > 0) payload.limit(a.limit);
  if (a.offset_option->count() > 0) payload.offset(a.offset);
  auto client = registered_client(options, "search", exit_code);
  if (!client) return;
  auto answer = client->request(make_envelope(options, "SEARCH", payload.json())).get();
  client->close();
  auto results_json = answer.payload_json("results");
  simdjson::dom::parser parser;
  simdjson::dom::array results;
  if (answer.type() != "SEARCH" || !results_json || parser.parse(*results_json).get(results)) {
    print_answer(answer);
    exit_code = 1;
    return;
  }
  for (auto r : results) std::cout << simdjson::to_string(r) << '\n';
  std::cout.flush();
  if (auto next = answer.payload_int("next_offset"))
    std::cerr << "qsip search: " << answer.payload_int("total").value_or(0) << " results; more: --offset " << *next << '\n';
  exit_code = 0;
}

void add_search_command(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* cmd = app.add_subcommand("search", "SEARCH your messages (or users): one JSON line per result, best first");
  auto a = std::make_shared<SearchArgs>();
  cmd->add_option("QUERY", a->query, "the words to find (all of them)")->required();
  a->limit_option = cmd->add_option("--limit", a->limit, "results (the server's default: 20)")->check(CLI::Range(1, 100));
  a->offset_option = cmd->add_option("--offset", a->offset, "results to skip")->check(CLI::Range(0, 10000));
  cmd->add_flag("--users", a->users, "search users (id or display name) instead of messages");
  cmd->callback([&options, a, &exit_code] { run_search(options, *a, exit_code); });
}

// ---- react, edit, delete ---------------------------------------------------

struct ActionArgs {
  std::string message_id, peer, emoji, text;
  bool remove = false;
};

void add_action_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* react = app.add_subcommand("react", "REACTION: add (or --remove) an emoji on a message; print the answer");
  auto r = std::make_shared<ActionArgs>();
  react->add_option("MESSAGE_ID", r->message_id, "the message")->required();
  react->add_option("EMOJI", r->emoji, "the reaction (1 to 64 bytes)")->required();
  react->add_option("--to", r->peer, "the other party of the conversation")->required();
  react->add_flag("--remove", r->remove, "take the reaction back");
  react->callback([&options, r, &exit_code] {
    auto payload = builders::ReactionPayload().target_message_id(r->message_id).reaction(r->emoji).action(r->remove ? "remove" : "add");
    request_and_print(options, "react", "REACTION", payload.json(), r->peer, exit_code);
  });

  auto* edit = app.add_subcommand("edit", "MESSAGE_ACTION edit: replace the text of your message; print the answer");
  auto e = std::make_shared<ActionArgs>();
  edit->add_option("MESSAGE_ID", e->message_id, "your message")->required();
  edit->add_option("--to", e->peer, "the other party of the conversation")->required();
  edit->add_option("--text", e->text, "the new text")->required();
  edit->callback([&options, e, &exit_code] {
    auto payload = builders::MessageActionPayload().action("edit").target_message_id(e->message_id).new_content(e->text);
    request_and_print(options, "edit", "MESSAGE_ACTION", payload.json(), e->peer, exit_code);
  });

  auto* del = app.add_subcommand("delete", "MESSAGE_ACTION delete: delete your message; print the answer");
  auto d = std::make_shared<ActionArgs>();
  del->add_option("MESSAGE_ID", d->message_id, "your message")->required();
  del->add_option("--to", d->peer, "the other party of the conversation")->required();
  del->callback([&options, d, &exit_code] {
    auto payload = builders::MessageActionPayload().action("delete").target_message_id(d->message_id);
    request_and_print(options, "delete", "MESSAGE_ACTION", payload.json(), d->peer, exit_code);
  });
}

// ---- read ------------------------------------------------------------------

// A read receipt is answered only when refused. It is sent as a request,
// then a one-message SYNC: the server handles a connection's requests in
// order, so once the SYNC is answered a refusal would already be in.
void run_read(const ConnectionOptions& options, const ActionArgs& a, int& exit_code) {
  auto client = registered_client(options, "read", exit_code);
  if (!client) return;
  auto receipt = builders::ReceiptPayload().target_message_id(a.message_id).status("read");
  auto refusal = client->request(make_envelope(options, "RECEIPT", receipt.json(), a.peer));
  auto barrier = builders::SyncPayload().action("request").device_id(options.device_id).timestamp(now_timestamp())
                     .data(builders::SyncPayloadData().set("limit", 1));
  auto confirmation = client->request(make_envelope(options, "SYNC", barrier.json())).get();
  if (refusal.wait_for(std::chrono::milliseconds(50)) == std::future_status::ready) {
    exit_code = print_answer(refusal.get());  // a receipt is answered only by an ERROR
  } else if (confirmation.is_error()) {
    exit_code = print_answer(confirmation);  // the connection went: the receipt may not have arrived
  } else {
    exit_code = 0;
  }
  client->close();
}

void add_read_command(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* cmd = app.add_subcommand("read", "RECEIPT read: tell the sender you read a message (prints only an ERROR)");
  auto a = std::make_shared<ActionArgs>();
  cmd->add_option("MESSAGE_ID", a->message_id, "the message")->required();
  cmd->add_option("--from", a->peer, "its sender")->required();
  cmd->callback([&options, a, &exit_code] { run_read(options, *a, exit_code); });
}

}  // namespace

void add_message_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  add_send_command(app, options, exit_code);
  add_history_command(app, options, exit_code);
  add_search_command(app, options, exit_code);
  add_action_commands(app, options, exit_code);
  add_read_command(app, options, exit_code);
}

}  // namespace qsip::cli
