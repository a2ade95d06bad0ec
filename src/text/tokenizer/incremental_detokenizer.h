#pragma once
// Streaming text for one generated sequence (the prefix_offset/read_offset technique of TGI and
// vLLM): each push() decodes a small window of recent ids twice, with and without the new token,
// and releases the difference once it is complete UTF-8. Decoding in the context of preceding
// tokens keeps SentencePiece's leading-space rules right, and holding back text that ends in
// U+FFFD keeps characters split over byte tokens whole. Thread-safety: one instance per
// sequence, not shared; the Tokenizer must outlive it.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "text/tokenizer/tokenizer.h"

namespace fastchat::tokenizer {

class IncrementalDetokenizer {
 public:
  IncrementalDetokenizer(const Tokenizer& tok, std::span<const int32_t> prompt_ids,
                         bool skip_special_tokens = true);

  /// Adds one generated id; returns the text it completes (often empty while a character or a
  /// word-initial space is still pending). An id outside the tokenizer's vocabulary (a model
  /// whose vocabulary is padded past its tokenizer's samples them) is text-less, as HF and
  /// vLLM decode it: it returns "" and leaves the pending text as it was.
  std::string push(int32_t id);
  /// Returns whatever is still held (at the end of generation; may hold U+FFFD when the model
  /// stopped mid-character).
  std::string flush();
  const std::vector<int32_t>& output_ids() const { return output_ids_; }

 private:
  std::string decode_window(std::size_t begin, std::size_t end) const;
  /// Emits text past prefix_text_ and moves the window forward.
  std::string release(const std::string& text);
  /// Drops released ids that are no longer context.
  void compact();

  const Tokenizer* tokenizer_;
  bool skip_special_tokens_;
  std::vector<int32_t> window_;    ///< recent ids: context, then not yet released ones
  std::size_t prefix_offset_ = 0;  ///< start of the decoding context in window_
  std::size_t read_offset_ = 0;    ///< ids before this are released
  std::string prefix_text_;        ///< decode of window_[prefix_offset_, read_offset_)
  std::vector<int32_t> output_ids_;
};

}  // namespace fastchat::tokenizer
