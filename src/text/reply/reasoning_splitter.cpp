#include "text/reply/reasoning_splitter.h"

#include <algorithm>

namespace fastchat::reply {
namespace {

constexpr std::string_view kOpenTag = "<think>";
constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view skip_newlines(std::string_view text) {
  const std::size_t first = text.find_first_not_of('\n');
  return first == std::string_view::npos ? std::string_view() : text.substr(first);
}

}  // namespace

ReasoningSplitter::ReasoningSplitter(ReasoningFormat format, bool starts_in_reasoning) {
  if (format == ReasoningFormat::None) {
    state_ = State::Content;
  } else {
    state_ = starts_in_reasoning ? State::Reasoning : State::Opening;
  }
}

bool ReasoningSplitter::decide_opening(std::string& rest) {
  std::string_view start = opening_;
  start.remove_prefix(std::min(start.size(), start.find_first_not_of(kWhitespace)));
  if (start.starts_with(kOpenTag)) {
    rest = start.substr(kOpenTag.size());
    state_ = State::Reasoning;
  } else if (kOpenTag.starts_with(start)) {
    return false;  // only whitespace, or part of the tag, so far
  } else {
    rest = std::move(opening_);
    state_ = State::Content;
  }
  opening_.clear();
  return true;
}

ReasoningSplit ReasoningSplitter::push(std::string_view text) {
  ReasoningSplit out;
  std::string pending(text);
  if (state_ == State::Opening) {
    opening_ += pending;
    pending.clear();
    if (!decide_opening(pending)) return out;
  }
  if (state_ == State::Reasoning) {
    MarkerScanner::Scan scan = closing_.push(pending);
    add_reasoning(scan.before, out);
    if (!scan.found) return out;
    held_newlines_.clear();
    state_ = State::Content;
    strip_content_newlines_ = true;
    pending = std::move(scan.after);
  }
  add_content(pending, out);
  return out;
}

ReasoningSplit ReasoningSplitter::finish() {
  ReasoningSplit out;
  if (state_ == State::Opening) {
    out.content = std::move(opening_);
    opening_.clear();
  } else if (state_ == State::Reasoning) {
    add_reasoning(closing_.finish(), out);
  }
  // Newlines still held trailed the reasoning: dropped, as before a closing tag.
  held_newlines_.clear();
  return out;
}

void ReasoningSplitter::add_reasoning(std::string_view text, ReasoningSplit& out) {
  if (!reasoning_started_) text = skip_newlines(text);
  const std::size_t last = text.find_last_not_of('\n');
  if (last == std::string_view::npos) {
    held_newlines_.append(text);
    return;
  }
  out.reasoning += held_newlines_;
  out.reasoning.append(text.substr(0, last + 1));
  held_newlines_ = text.substr(last + 1);
  reasoning_started_ = true;
}

void ReasoningSplitter::add_content(std::string_view text, ReasoningSplit& out) {
  if (strip_content_newlines_) {
    text = skip_newlines(text);
    if (!text.empty()) strip_content_newlines_ = false;
  }
  out.content.append(text);
}

}  // namespace fastchat::reply
