#pragma once
// The tokenizer interface the engine, server and detokenizer code against. Implementations are
// immutable after loading: encode/decode are const and safe to call from many threads at once.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fastchat::tokenizer {

/// Text <-> token ids for one model. Thread-safety: all methods are const and may be called
/// concurrently from any number of threads.
class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  /// Text -> ids. add_special_tokens: prepend BOS (and append EOS) as tokenizer_config.json /
  /// the post-processor says.
  virtual std::vector<int32_t> encode(std::string_view text, bool add_special_tokens) const = 0;
  /// ids -> text (UTF-8; invalid byte sequences become U+FFFD as HF does). skip_special_tokens
  /// drops special/control tokens. Ids outside the vocabulary decode to nothing.
  virtual std::string decode(std::span<const int32_t> ids, bool skip_special_tokens) const = 0;
  /// Number of ids, including added tokens (largest id + 1).
  virtual int32_t vocab_size() const = 0;
  virtual std::optional<int32_t> bos_id() const = 0;
  virtual std::optional<int32_t> eos_id() const = 0;
  /// Exact vocabulary / added-token lookup (no normalization).
  virtual std::optional<int32_t> token_to_id(std::string_view token) const = 0;
  virtual bool is_special(int32_t id) const = 0;
};

/// Loads from a Hugging Face model folder: tokenizer.json (byte-level BPE) if present, else
/// tokenizer.model (SentencePiece), plus tokenizer_config.json (add_bos_token, add_eos_token,
/// bos/eos tokens, added_tokens_decoder). Throws ErrorException (ErrorCode::InvalidModel) naming
/// the file on any problem.
std::unique_ptr<Tokenizer> load_tokenizer(const std::filesystem::path& folder);

}  // namespace fastchat::tokenizer
