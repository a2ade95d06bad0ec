#include "text/stopping/stop_string_matcher.h"

#include <algorithm>

namespace fastchat::stopping {
namespace {

// Number of bytes at the end of `text` that form an incomplete UTF-8 sequence (0 when the text
// ends on a character boundary). Invalid sequences count as complete: they are passed through
// rather than held forever.
std::size_t incomplete_utf8_tail(std::string_view text) {
  const std::size_t n = text.size();
  for (std::size_t k = 1; k <= 3 && k <= n; ++k) {
    const auto c = static_cast<unsigned char>(text[n - k]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking for the lead byte
    std::size_t expected = 1;
    if (c >= 0xF0) {
      expected = 4;
    } else if (c >= 0xE0) {
      expected = 3;
    } else if (c >= 0xC0) {
      expected = 2;
    }
    return expected > k ? k : 0;
  }
  return 0;
}

}  // namespace

StopStringMatcher::StopStringMatcher(std::vector<std::string> stop_strings) {
  for (std::string& stop : stop_strings) {
    if (stop.empty()) continue;
    max_stop_len_ = std::max(max_stop_len_, stop.size());
    stops_.push_back(std::move(stop));
  }
}

StopStringMatcher::Hit StopStringMatcher::earliest_hit(std::string_view buffer, bool at_end) const {
  for (std::size_t pos = 0; pos < buffer.size(); ++pos) {
    const std::string_view rest = buffer.substr(pos);
    Hit hit;
    for (std::size_t i = 0; i < stops_.size(); ++i) {
      const std::string& stop = stops_[i];
      if (rest.size() >= stop.size()) {
        // Complete here; prefer the longest complete stop at one position.
        if (rest.compare(0, stop.size(), stop) == 0 &&
            (!hit.complete || stop.size() > stops_[hit.stop_index].size())) {
          hit = Hit{pos, true, i};
        }
      } else if (!at_end && !hit.complete && stop.compare(0, rest.size(), rest) == 0) {
        hit = Hit{pos, false, i};
      }
    }
    if (hit.pos != std::string::npos) return hit;
  }
  return Hit{};
}

StopStringMatcher::Result StopStringMatcher::stop_at(std::string& buffer, const Hit& hit) {
  stopped_ = true;
  matched_ = stops_[hit.stop_index];
  buffer.resize(hit.pos);
  held_.clear();
  return Result{std::move(buffer), true, matched_};
}

StopStringMatcher::Result StopStringMatcher::push(std::string_view delta) {
  if (stopped_) return Result{{}, true, matched_};
  std::string buffer = std::move(held_);
  held_.clear();
  buffer.append(delta);

  const Hit hit = earliest_hit(buffer, /*at_end=*/false);
  if (hit.complete) return stop_at(buffer, hit);

  // Release everything before the earliest possible stop start, and never half a character.
  // A stop string starts on a character boundary, so hit.pos already is one.
  std::size_t release = buffer.size() - incomplete_utf8_tail(buffer);
  if (hit.pos != std::string::npos) release = std::min(release, hit.pos);
  held_.assign(buffer, release, std::string::npos);
  buffer.resize(release);
  return Result{std::move(buffer), false, {}};
}

std::string StopStringMatcher::finish() {
  if (stopped_) return {};
  std::string buffer = std::move(held_);
  held_.clear();
  // A held prefix can no longer complete, but a later, complete stop may sit behind it.
  const Hit hit = earliest_hit(buffer, /*at_end=*/true);
  if (hit.complete) return stop_at(buffer, hit).text;
  return buffer;
}

}  // namespace fastchat::stopping
