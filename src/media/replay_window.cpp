#include "media/replay_window.hpp"

namespace qsip::media {

ReplayCheck ReplayWindow::check(std::uint64_t counter) const {
  if (!any_ || counter > highest_) return ReplayCheck::fresh;
  const std::uint64_t behind = highest_ - counter;
  if (behind >= replay_window_size) return ReplayCheck::too_old;
  return seen_.test(static_cast<std::size_t>(behind)) ? ReplayCheck::replayed : ReplayCheck::fresh;
}

void ReplayWindow::record(std::uint64_t counter) {
  if (!any_) {
    any_ = true;
    highest_ = counter;
    seen_.reset();
    seen_.set(0);
    return;
  }
  if (counter > highest_) {
    const std::uint64_t advance = counter - highest_;
    if (advance >= replay_window_size) {
      seen_.reset();
    } else {
      seen_ <<= static_cast<std::size_t>(advance);
    }
    seen_.set(0);
    highest_ = counter;
    return;
  }
  const std::uint64_t behind = highest_ - counter;
  if (behind < replay_window_size) seen_.set(static_cast<std::size_t>(behind));
}

}  // namespace qsip::media
