// QUEUE (draft 5.16; docs/call-centre.md): reads and checks the request,
// hands it to the QueueService, and answers: RECEIPT `enqueued` for
// enqueue, a QUEUE carrying status_info for get_status, RECEIPT `ok`
// otherwise, or ERROR with the code and the field.
#pragma once

#include "server/dispatch/handler.hpp"
#include "server/queue/queue_service.hpp"

namespace qsip::server {

class QueueHandler final : public Handler {
 public:
  explicit QueueHandler(QueueService& service) : service_(service) {}
  void handle(Request& request) override;

 private:
  QueueService& service_;
};

}  // namespace qsip::server
