// What the profile module asks of the roster: whether two users are
// approved contacts (for fields visible to "contacts"), and who the
// contacts of a user are (to tell them of a change they may see). The
// roster implements it; until it is plugged in, NoContacts says nobody is a
// contact, so "contacts" fields are seen by their owner only.
#pragma once

#include <string>
#include <vector>

#include "store/sqlite/sqlite_database.hpp"

namespace qsip::server {

class ContactCheck {
 public:
  virtual ~ContactCheck() = default;
  // Called from any worker thread and from the expiry thread, each with a
  // read connection of its own (`db`).
  virtual bool are_contacts(store::SqliteDatabase& db, const std::string& a, const std::string& b) = 0;
  // Users for whom are_contacts(user, them) holds.
  virtual std::vector<std::string> contacts_of(store::SqliteDatabase& db, const std::string& user) = 0;
};

class NoContacts final : public ContactCheck {
 public:
  bool are_contacts(store::SqliteDatabase&, const std::string&, const std::string&) override { return false; }
  std::vector<std::string> contacts_of(store::SqliteDatabase&, const std::string&) override { return {}; }
};

}  // namespace qsip::server
