// WORKSPACE (draft 5.34; docs/groups.md "Workspaces"): get, list and
// list_members read on the worker's own connection and are answered with a
// WORKSPACE carrying the data; every other action runs as one check-and-write
// task on the store's writer (with the workspace's groups and channels and
// the audit rows) and is answered RECEIPT once committed. Then WORKSPACE and
// GROUP notices go to every device of the users concerned.
#pragma once

#include "server/dispatch/handler.hpp"

namespace qsip::server {

class WorkspaceHandler final : public Handler {
 public:
  void handle(Request& request) override;
};

}  // namespace qsip::server
