// How the roster tells presence that a watcher gained or lost the right to
// see a user's presence, without the roster knowing about presence (the
// presence module implements it). Called on the worker thread that handled
// the ROSTER request, after the change is committed.
#pragma once

#include <string>

namespace qsip::server {

struct WorkerContext;

class SubscriptionListener {
 public:
  virtual ~SubscriptionListener() = default;
  virtual void subscription_approved(WorkerContext& context, const std::string& watcher, const std::string& watched) = 0;
  virtual void subscription_ended(WorkerContext& context, const std::string& watcher, const std::string& watched) = 0;
};

}  // namespace qsip::server
