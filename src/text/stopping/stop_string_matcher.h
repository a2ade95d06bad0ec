#pragma once
// Stop-string detection on streamed text: decides, delta by delta, which text is safe to send to
// the client and where generation must stop.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fastchat::stopping {

/// Finds stop strings in streamed text. Feed each text delta to push(); it returns the text that
/// is safe to emit now. Text that cannot be the beginning of any stop string is released; a tail
/// that is a proper prefix of some stop string is held back until disambiguated. When a stop
/// string is found (possibly spanning many deltas) push() returns the text before it and reports
/// stopped; the stop string itself is never emitted, not even partly. finish() releases any held
/// tail at the end of generation.
///
/// Which match wins: the one that starts earliest in the whole text, so the emitted text is
/// always `text.substr(0, min over stops of text.find(stop))`, however the text was split. A
/// complete match is therefore not acted on while an earlier-starting longer stop string could
/// still complete (stops "abcd" and "bc", text "abc": all of it is held; a following "d" stops at
/// "abcd" with nothing emitted, anything else stops at "bc" after emitting "a"). Among matches
/// starting at the same place, the longest complete one wins and is reported in `matched`.
///
/// UTF-8: text is released only in whole characters; an incomplete multi-byte sequence at the end
/// of the text seen so far is held back (finish() releases it as is).
///
/// Work per push() is O((held + delta) x total stop length), where held < the longest stop
/// string: independent of the length of the text already emitted.
class StopStringMatcher {
 public:
  /// Empty strings are ignored; with no stop strings the matcher only does the UTF-8 holding.
  explicit StopStringMatcher(std::vector<std::string> stop_strings);

  struct Result {
    std::string text;      ///< text to emit now (possibly empty)
    bool stopped = false;  ///< a stop string was found; generation should end
    std::string matched;   ///< the stop string found, when stopped
  };

  /// Adds a delta. Once stopped, further deltas are ignored (empty text, stopped = true).
  Result push(std::string_view delta);

  /// Ends the text: returns the held tail. A stop string found only now (one whose
  /// earlier-starting rival never completed) cuts the tail and makes stopped() true.
  std::string finish();

  bool stopped() const { return stopped_; }
  /// The stop string found, or "" while not stopped.
  const std::string& matched() const { return matched_; }

 private:
  // The earliest position in `buffer` where a stop string starts; `complete` tells whether it is
  // complete there (else it is a proper prefix running to the end of the buffer). With
  // `at_end`, prefixes no longer count: the text will not grow.
  struct Hit {
    std::size_t pos = std::string::npos;
    bool complete = false;
    std::size_t stop_index = 0;
  };
  Hit earliest_hit(std::string_view buffer, bool at_end) const;
  Result stop_at(std::string& buffer, const Hit& hit);

  std::vector<std::string> stops_;
  std::size_t max_stop_len_ = 0;
  std::string held_;
  bool stopped_ = false;
  std::string matched_;
};

}  // namespace fastchat::stopping
