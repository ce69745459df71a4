// GROUP (draft 5.14; docs/groups.md): get_info and list_members read on the
// worker's own connection and are answered with a GROUP carrying the data;
// every other action runs as one check-and-write task on the store's writer
// and is answered RECEIPT once committed. Then the notices go to every
// device of the users concerned (16.3), the requesting connection excepted
// (it has the answer).
#pragma once

#include "server/dispatch/handler.hpp"

namespace qsip::server {

class GroupHandler final : public Handler {
 public:
  void handle(Request& request) override;
};

}  // namespace qsip::server
