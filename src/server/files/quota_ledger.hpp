// Per-user quota across workers: what the store already holds plus the
// uploads under way. An upload reserves its declared size when its header
// arrives and keeps the reservation until its record is committed (or it
// fails), so two concurrent uploads cannot both squeeze under the quota.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace qsip::server {

class QuotaLedger {
 public:
  // Released (by destruction) when the upload is recorded or abandoned.
  class Reservation {
   public:
    Reservation(QuotaLedger& ledger, std::string user, std::uint64_t bytes)
        : ledger_(ledger), user_(std::move(user)), bytes_(bytes) {}
    ~Reservation() { ledger_.release(user_, bytes_); }
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;

   private:
    QuotaLedger& ledger_;
    std::string user_;
    std::uint64_t bytes_;
  };

  struct Refusal {
    std::uint64_t used = 0;  // stored plus reserved, before this upload
  };

  // Reserves `bytes` for `user` when stored + reserved + bytes <= quota.
  // `stored_bytes` reads the store; it runs under the ledger's lock, so a
  // reservation released after its commit is never missed by both.
  // Returns the reservation, or nullptr and the usage in `refusal`.
  std::shared_ptr<Reservation> reserve(const std::string& user, std::uint64_t bytes, std::uint64_t quota,
                                       const std::function<std::uint64_t()>& stored_bytes, Refusal& refusal);
  std::uint64_t reserved(const std::string& user) const;

 private:
  void release(const std::string& user, std::uint64_t bytes);

  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> reserved_;
};

}  // namespace qsip::server
