// Flow ids per receiver (wire profile 7: a relay may rewrite flow ids per
// receiver). Senders choose their own flow ids, so two senders in a group
// call may both use 0; each receiver needs one flow id per (sender, track)
// it hears. The sender's own id is kept when it is still free at that
// receiver (a 1:1 call needs no rewriting at all), else the lowest free one
// is taken. An assignment is stable until the sender removes the track or
// the receiver leaves: what the receiver was told stays true.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace qsip::server::media {

class FlowAssignments {
 public:
  // The flow id `receiver` sees for `sender`'s `track`, assigned at first use.
  std::uint64_t assign(const std::string& receiver, const std::string& sender, const std::string& track,
                       std::uint64_t preferred);
  std::optional<std::uint64_t> find(const std::string& receiver, const std::string& sender,
                                    const std::string& track) const;
  // The sender no longer sends `track`: every receiver forgets it.
  void release_track(const std::string& sender, const std::string& track);
  // A participant left: its assignments as a receiver, and its tracks at others.
  void release_user(const std::string& user);
  std::size_t size() const;

 private:
  struct Receiver {
    std::map<std::pair<std::string, std::string>, std::uint64_t> by_track;  // (sender, track) -> flow
    std::set<std::uint64_t> used;
  };
  std::map<std::string, Receiver> receivers_;
};

}  // namespace qsip::server::media
