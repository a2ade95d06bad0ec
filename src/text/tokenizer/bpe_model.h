#pragma once
// The "model" section of a tokenizer.json of type BPE: vocabulary, ranked merges and the merge
// loop that turns one pre-token into ids. Results for short words are kept in a bounded cache.
// Thread-safety: encode_word is const and safe to call concurrently (the cache is guarded by a
// shared mutex); everything else is immutable after construction.

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace fastchat::tokenizer {

class BpeModel {
 public:
  /// Parses the model JSON object (type BPE); `origin` names the file for errors.
  BpeModel(const nlohmann::json& model, const std::string& origin);

  /// Appends the ids of one pre-token, spelled in the model's alphabet (byte-level characters
  /// for GPT-2 style vocabularies).
  void encode_word(std::string_view word, std::vector<int32_t>& out) const;

  std::optional<int32_t> token_to_id(std::string_view token) const;
  /// Token text per id ("" for ids the vocabulary skips).
  const std::vector<std::string>& tokens() const { return tokens_; }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Merge {
    int32_t rank;
    int32_t merged_id;
  };
  static uint64_t pair_key(int32_t left, int32_t right) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) |
           static_cast<uint32_t>(right);
  }

  /// Initial symbols of word: one per character (byte fallback / unk for unknown ones).
  void initial_symbols(std::string_view word, std::vector<int32_t>& ids) const;
  /// Applies merges by rank (leftmost first on ties) to ids in place.
  void merge(std::vector<int32_t>& ids) const;

  std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> vocab_;
  std::vector<std::string> tokens_;
  std::unordered_map<uint64_t, Merge> merges_;
  /// Ids of single-character tokens below U+0800 (-1: none): byte-level alphabets live there,
  /// and a table lookup is much cheaper than hashing each character.
  std::vector<int32_t> small_char_ids_;
  std::optional<int32_t> unk_id_;
  bool byte_fallback_ = false;
  bool fuse_unk_ = false;
  bool ignore_merges_ = false;

  mutable std::shared_mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<int32_t>, StringHash, std::equal_to<>> cache_;
};

}  // namespace fastchat::tokenizer
