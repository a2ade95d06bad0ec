#pragma once
// The settings of tokenizer_config.json that change tokenization: whether BOS/EOS are added,
// which tokens they are, and the added tokens it declares. Plain data, parsed once at load.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "text/tokenizer/added_token_matcher.h"

namespace fastchat::tokenizer {

struct TokenizerConfig {
  std::optional<bool> add_bos_token;  ///< unset when the file does not say
  std::optional<bool> add_eos_token;
  std::optional<std::string> bos_token;  ///< unset: not mentioned; "" : explicitly null
  std::optional<std::string> eos_token;
  std::optional<std::string> unk_token;
  std::vector<AddedToken> added_tokens;  ///< from added_tokens_decoder
  std::string tokenizer_class;

  /// Reads file; a missing file gives the defaults, a broken one throws InvalidModel.
  static TokenizerConfig load(const std::filesystem::path& file);
  static TokenizerConfig from_json(const nlohmann::json& json, const std::string& origin);
};

/// One added-token object ({"content": ..., "special": ...}); id is passed separately because
/// the two files store it differently.
AddedToken parse_added_token(const nlohmann::json& json, int32_t id, const std::string& origin);

}  // namespace fastchat::tokenizer
