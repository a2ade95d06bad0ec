#pragma once
// Byte-level BPE from a Hugging Face tokenizer.json (Llama 3, Qwen, GPT-2 style): added tokens,
// normalizer, pre-tokenizer, BPE model, post-processor (BOS/EOS) and ByteLevel decoder.
// Thread-safety: immutable after construction; encode/decode are safe to call concurrently.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "text/tokenizer/added_token_matcher.h"
#include "text/tokenizer/bpe_model.h"
#include "text/tokenizer/pre_tokenizer.h"
#include "text/tokenizer/tokenizer.h"
#include "text/tokenizer/tokenizer_config.h"
#include "text/tokenizer/unicode_normalizer.h"

namespace fastchat::tokenizer {

class BpeTokenizer final : public Tokenizer {
 public:
  /// tokenizer_json: the parsed tokenizer.json, read from `origin` (named in errors).
  BpeTokenizer(const nlohmann::json& tokenizer_json, const TokenizerConfig& config,
               const std::string& origin);

  /// Whether tokenizer_json describes a BPE model with a ByteLevel pre-tokenizer or decoder,
  /// i.e. something this class handles (as opposed to a SentencePiece-style BPE).
  static bool is_byte_level_bpe(const nlohmann::json& tokenizer_json);

  std::vector<int32_t> encode(std::string_view text, bool add_special_tokens) const override;
  std::string decode(std::span<const int32_t> ids, bool skip_special_tokens) const override;
  int32_t vocab_size() const override { return static_cast<int32_t>(token_bytes_.size()); }
  std::optional<int32_t> bos_id() const override { return bos_id_; }
  std::optional<int32_t> eos_id() const override { return eos_id_; }
  std::optional<int32_t> token_to_id(std::string_view token) const override;
  bool is_special(int32_t id) const override;

 private:
  static const nlohmann::json& model_section(const nlohmann::json& tokenizer_json,
                                             const std::string& origin);
  void setup_added_tokens(const nlohmann::json& tokenizer_json, const TokenizerConfig& config,
                          const std::string& origin);
  void setup_special_ids(const nlohmann::json& tokenizer_json, const TokenizerConfig& config,
                         const std::string& origin);
  /// Encodes plain text (no added tokens in it) and appends the ids.
  void encode_plain(std::string_view text, std::vector<int32_t>& out) const;

  BpeModel model_;
  UnicodeNormalizer normalizer_;
  PreTokenizer pre_tokenizer_;
  AddedTokenMatcher added_;
  std::vector<std::string> token_bytes_;  ///< decoded bytes per id
  std::vector<bool> special_;             ///< per id
  std::optional<int32_t> bos_id_;
  std::optional<int32_t> eos_id_;
  std::vector<int32_t> prefix_ids_;  ///< added before the text when add_special_tokens
  std::vector<int32_t> suffix_ids_;
};

}  // namespace fastchat::tokenizer
