#pragma once
// The normalizer section of tokenizer.json: Unicode normalization forms (NFC for Qwen) and
// Sequences of them, via ICU. Thread-safety: immutable; normalize is const and safe to call
// concurrently (ICU's Normalizer2 instances are thread-safe).

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace fastchat::tokenizer {

class UnicodeNormalizer {
 public:
  /// Parses the normalizer JSON value (null: no normalization); `origin` names the file.
  UnicodeNormalizer(const nlohmann::json& spec, const std::string& origin);

  /// Returns text normalized; the result views text itself or storage.
  std::string_view normalize(std::string_view text, std::string& storage) const;

 private:
  enum class Form { NFC, NFD, NFKC, NFKD };
  void parse(const nlohmann::json& spec, const std::string& origin);

  std::vector<Form> forms_;
};

}  // namespace fastchat::tokenizer
