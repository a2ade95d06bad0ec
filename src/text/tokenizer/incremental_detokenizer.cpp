#include "text/tokenizer/incremental_detokenizer.h"

#include <algorithm>

#include "text/tokenizer/utf8.h"

namespace fastchat::tokenizer {
namespace {

// Prompt ids kept as context for the first generated token (vLLM uses 5).
constexpr std::size_t kPromptContext = 5;
// A character spans at most 4 byte tokens: past this many held ids the text is released anyway
// (the model is producing invalid bytes).
constexpr std::size_t kMaxHeldIds = 8;
// The window is compacted once this many released ids sit before the context.
constexpr std::size_t kCompactAfter = 32;

bool ends_incomplete(const std::string& text) {
  return text.size() >= utf8::kReplacement.size() &&
         std::string_view(text).substr(text.size() - utf8::kReplacement.size()) ==
             utf8::kReplacement;
}

// Byte length of the longest common prefix of a and b, cut back to a character boundary.
std::size_t common_prefix(const std::string& a, const std::string& b) {
  std::size_t n = 0;
  const std::size_t limit = std::min(a.size(), b.size());
  while (n < limit && a[n] == b[n]) ++n;
  while (n > 0 && n < b.size() && (static_cast<unsigned char>(b[n]) & 0xC0) == 0x80) --n;
  return n;
}

}  // namespace

IncrementalDetokenizer::IncrementalDetokenizer(const Tokenizer& tok,
                                               std::span<const int32_t> prompt_ids,
                                               bool skip_special_tokens)
    : tokenizer_(&tok), skip_special_tokens_(skip_special_tokens) {
  const std::size_t context = std::min(prompt_ids.size(), kPromptContext);
  window_.assign(prompt_ids.end() - static_cast<std::ptrdiff_t>(context), prompt_ids.end());
  prefix_offset_ = 0;
  read_offset_ = window_.size();
  prefix_text_ = decode_window(prefix_offset_, read_offset_);
}

std::string IncrementalDetokenizer::decode_window(std::size_t begin, std::size_t end) const {
  return tokenizer_->decode(std::span<const int32_t>(window_).subspan(begin, end - begin),
                            skip_special_tokens_);
}

std::string IncrementalDetokenizer::push(int32_t id) {
  output_ids_.push_back(id);
  // Unknown ids stay out of the window, so that a run of them between the byte tokens of one
  // character cannot count towards kMaxHeldIds and release it broken.
  if (id < 0 || id >= tokenizer_->vocab_size()) return {};
  window_.push_back(id);
  const std::string text = decode_window(prefix_offset_, window_.size());
  if (text == prefix_text_ && read_offset_ + 1 == window_.size()) {
    // The id adds no text in any context (a skipped special token): leave it out of the window
    // so a run of them cannot grow it.
    window_.pop_back();
    return {};
  }
  const bool held_too_long = window_.size() - read_offset_ > kMaxHeldIds;
  if ((ends_incomplete(text) && !held_too_long) || text.size() <= prefix_text_.size()) {
    return {};
  }
  return release(text);
}

void IncrementalDetokenizer::compact() {
  if (prefix_offset_ < kCompactAfter) return;
  window_.erase(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(prefix_offset_));
  read_offset_ -= prefix_offset_;
  prefix_offset_ = 0;
}

std::string IncrementalDetokenizer::flush() {
  if (read_offset_ == window_.size()) return {};
  const std::string text = decode_window(prefix_offset_, window_.size());
  return release(text);
}

std::string IncrementalDetokenizer::release(const std::string& text) {
  // text normally extends prefix_text_; if the context decodes differently now (a prompt that
  // ended mid-character), release from where the two agree.
  const std::size_t start = text.compare(0, prefix_text_.size(), prefix_text_) == 0
                                ? prefix_text_.size()
                                : common_prefix(prefix_text_, text);
  std::string released = text.substr(start);
  prefix_offset_ = read_offset_;
  read_offset_ = window_.size();
  prefix_text_ = decode_window(prefix_offset_, read_offset_);
  compact();
  return released;
}

}  // namespace fastchat::tokenizer
