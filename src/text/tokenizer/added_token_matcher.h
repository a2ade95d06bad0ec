#pragma once
// Added tokens (special tokens like <|im_start|> and user-added words) are found in the text
// before the model runs, as Hugging Face does: leftmost match, longest first, honoring lstrip,
// rstrip and single_word. Thread-safety: immutable after construction; const methods are safe
// to call concurrently.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fastchat::tokenizer {

/// One entry of tokenizer.json "added_tokens" / tokenizer_config.json "added_tokens_decoder".
struct AddedToken {
  int32_t id = -1;
  std::string content;
  bool special = false;
  bool lstrip = false;       ///< absorbs whitespace before the token
  bool rstrip = false;       ///< absorbs whitespace after the token
  bool single_word = false;  ///< matches only when not inside a word
  bool normalized = false;
};

/// A run of plain text (token_id < 0) or one matched added token.
struct TextSegment {
  std::string_view text;
  int32_t token_id = -1;
};

class AddedTokenMatcher {
 public:
  AddedTokenMatcher() = default;
  /// Later entries with an id or content already present are ignored.
  explicit AddedTokenMatcher(const std::vector<AddedToken>& tokens);

  /// Appends text's segments in order; empty plain runs are left out.
  void split(std::string_view text, std::vector<TextSegment>& out) const;

  const AddedToken* find(int32_t id) const;
  std::optional<int32_t> find(std::string_view content) const;
  const std::vector<AddedToken>& tokens() const { return tokens_; }

 private:
  /// Length of the match of token at text[pos], or 0.
  std::size_t match_at(const AddedToken& token, std::string_view text, std::size_t pos) const;

  std::vector<AddedToken> tokens_;
  std::unordered_map<int32_t, std::size_t> by_id_;
  std::unordered_map<std::string, std::size_t> by_content_;
  /// Candidate token indexes per first byte, longest content first.
  std::array<std::vector<std::size_t>, 256> by_first_byte_;
};

}  // namespace fastchat::tokenizer
