#include "text/reply/marker_scanner.h"

#include <algorithm>

namespace fastchat::reply {

MarkerSearch find_marker(std::string_view text, std::string_view marker) {
  if (marker.empty()) return {};
  const std::size_t whole = text.find(marker);
  if (whole != std::string_view::npos) return {whole, true};
  // Only the last marker.size() - 1 positions can start a prefix that runs to the end.
  const std::size_t first = text.size() - std::min(text.size(), marker.size() - 1);
  for (std::size_t pos = first; pos < text.size(); ++pos) {
    if (marker.starts_with(text.substr(pos))) return {pos, false};
  }
  return {};
}

MarkerScanner::Scan MarkerScanner::push(std::string_view text) {
  std::string buffer = std::move(held_);
  held_.clear();
  buffer.append(text);
  const MarkerSearch search = find_marker(buffer, marker_);
  Scan scan;
  if (search.complete) {
    scan.found = true;
    scan.after = buffer.substr(search.pos + marker_.size());
    buffer.resize(search.pos);
  } else if (search.pos != std::string_view::npos) {
    held_ = buffer.substr(search.pos);
    buffer.resize(search.pos);
  }
  scan.before = std::move(buffer);
  return scan;
}

std::string MarkerScanner::finish() {
  std::string held = std::move(held_);
  held_.clear();
  return held;
}

}  // namespace fastchat::reply
