#pragma once
// Finding a marker (a tag such as "</think>") in streamed text, where a delta may end in the
// middle of the marker: the shared hold-back rule of every reply format.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace fastchat::reply {

/// Where `marker` first occurs whole in `text` (complete), or else where a proper prefix of it
/// runs to the end of `text` (not complete: the text from there may still become the marker).
/// pos is npos when neither.
struct MarkerSearch {
  std::size_t pos = std::string_view::npos;
  bool complete = false;
};
MarkerSearch find_marker(std::string_view text, std::string_view marker);

/// Finds one marker in streamed text. push() releases the text that cannot be part of the marker
/// and holds back a tail that could be its beginning, so a caller never emits half a marker.
/// Once the marker completes, the text after it is handed back unscanned (the caller usually
/// switches to another marker) and the scanner starts afresh.
class MarkerScanner {
 public:
  explicit MarkerScanner(std::string marker) : marker_(std::move(marker)) {}

  struct Scan {
    std::string before;  ///< text that is not (part of) the marker
    bool found = false;  ///< the marker completed right after `before`
    std::string after;   ///< when found: the text that followed the marker, not yet scanned
  };
  Scan push(std::string_view text);

  /// The text ended: a held partial marker is plain text after all. Returns it.
  std::string finish();

  const std::string& marker() const { return marker_; }

 private:
  std::string marker_;
  std::string held_;
};

}  // namespace fastchat::reply
