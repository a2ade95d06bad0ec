#pragma once
// SentencePiece tokenizer (tokenizer.model, Llama 1/2 style) as Hugging Face's slow
// LlamaTokenizer with legacy=true uses it: added/special tokens are matched in the text first,
// each text run is encoded by SentencePiece (dummy prefix space included), BOS is added unless
// tokenizer_config.json says add_bos_token=false. Thread-safety: immutable after construction;
// SentencePieceModel's methods are const, so encode/decode are safe concurrently.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "text/tokenizer/added_token_matcher.h"
#include "text/tokenizer/sentencepiece_model.h"
#include "text/tokenizer/tokenizer.h"
#include "text/tokenizer/tokenizer_config.h"

namespace fastchat::tokenizer {

class SentencePieceTokenizer final : public Tokenizer {
 public:
  SentencePieceTokenizer(const std::filesystem::path& model_file, const TokenizerConfig& config);
  ~SentencePieceTokenizer() override;

  std::vector<int32_t> encode(std::string_view text, bool add_special_tokens) const override;
  std::string decode(std::span<const int32_t> ids, bool skip_special_tokens) const override;
  int32_t vocab_size() const override { return vocab_size_; }
  std::optional<int32_t> bos_id() const override { return bos_id_; }
  std::optional<int32_t> eos_id() const override { return eos_id_; }
  std::optional<int32_t> token_to_id(std::string_view token) const override;
  bool is_special(int32_t id) const override;

 private:
  std::unique_ptr<SentencePieceModel> processor_;
  AddedTokenMatcher added_;
  int32_t piece_count_ = 0;  ///< ids below this are SentencePiece pieces
  int32_t vocab_size_ = 0;
  std::vector<bool> special_;  ///< per id
  std::optional<int32_t> bos_id_;
  std::optional<int32_t> eos_id_;
  bool add_bos_ = true;
  bool add_eos_ = false;
};

}  // namespace fastchat::tokenizer
