// The common end of every durable event's handling: append it (with its
// change to a target message) to the stream; once durable, answer the
// sender with `answer_status` on the request's stream and hand the event to
// every device of `users` but the sending connection. `conversation` is
// where it is stored: the other party of a direct conversation, or a group. A repeated event is
// answered the same and delivered once; a change that changed nothing
// (a reaction already there) is answered and not delivered.
#pragma once

#include <string>
#include <vector>

#include "server/dispatch/handler.hpp"
#include "server/messaging/message_delivery.hpp"

namespace qsip::server {

struct Conversation {
  std::string to_user;   // a direct conversation's other party
  std::string to_group;  // or a group
};

void commit_event(MessageDelivery& delivery, Request& request, Conversation conversation, store::MessageChange change,
                  std::vector<std::string> users, std::string answer_status);

}  // namespace qsip::server
