#pragma once
// Splits streamed output into reasoning (inside <think> ... </think>) and the answer after it.

#include <string>
#include <string_view>

#include "text/reply/marker_scanner.h"
#include "text/reply/reply_format.h"

namespace fastchat::reply {

struct ReasoningSplit {
  std::string reasoning;
  std::string content;
};

/// With ReasoningFormat::Think the output is reasoning while it is inside a thinking block: from
/// the start when the prompt opened one (starts_in_reasoning), or when the output itself begins,
/// after optional whitespace, with "<think>"; a "<think>" anywhere later is plain content. The
/// first "</think>" ends the reasoning; the rest is content. If the output ends inside the
/// block, everything said was reasoning.
///
/// Newlines around the tags are layout, not text: Qwen3 writes "<think>\nR\n</think>\n\nA" and
/// its template re-renders a past turn as reasoning.strip('\n') and content.lstrip('\n') the
/// same way, so the splitter drops newlines at both ends of the reasoning and at the start of
/// the content after "</think>". Trailing newlines of reasoning are held until more reasoning
/// text or the closing tag decides whether they were trailing.
///
/// The markers themselves are never emitted, not even partly: a tail that may be the start of
/// one is held until the next push() or finish(). ReasoningFormat::None makes all text content.
class ReasoningSplitter {
 public:
  ReasoningSplitter(ReasoningFormat format, bool starts_in_reasoning);

  ReasoningSplit push(std::string_view text);
  /// End of output: releases what was held back.
  ReasoningSplit finish();

 private:
  enum class State { Opening, Reasoning, Content };

  // Opening: whether the output opens with "<think>"; false while it cannot tell yet.
  bool decide_opening(std::string& rest);
  void add_reasoning(std::string_view text, ReasoningSplit& out);
  void add_content(std::string_view text, ReasoningSplit& out);

  State state_;
  std::string opening_;  // output so far while in State::Opening
  MarkerScanner closing_{"</think>"};
  std::string held_newlines_;  // trailing newlines of the reasoning so far
  bool reasoning_started_ = false;
  bool strip_content_newlines_ = false;  // right after "</think>", until other text arrives
};

}  // namespace fastchat::reply
