// The full-text index of the message stream (module "search"): an FTS5
// table over messages.search_text, kept in step with `messages` by triggers
// so that every writer of the stream (the messaging module's group-commit
// tasks) updates it in the same transaction without knowing of search.
// Applied after the "messages" module, whose table it indexes.
#pragma once

#include <span>

#include "store/sqlite/migrations.hpp"

namespace qsip::server {

std::span<const store::Migration> search_migrations();

}  // namespace qsip::server
