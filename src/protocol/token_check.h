#pragma once
// FastChat's token check (POST /api/v1/token_check on its OpenAI server): does a prompt, with
// the tokens asked for, fit a model's context? Counted with the model's own tokenizer by one of
// its workers, as FastChat does.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace fastchat::protocol {

/// Most prompts one token check may ask about: each costs a worker call.
inline constexpr size_t kMaxTokenCheckPrompts = 256;

struct TokenCheckItem {
  std::string model;
  std::string prompt;
  int64_t max_tokens = 0;
};

struct TokenCheckResult {
  bool fits = false;  ///< token_count + max_tokens <= context_length
  int64_t token_count = 0;
  int64_t context_length = 0;
};

/// {"prompts": [{"model", "prompt", "max_tokens"}]}. Throws InvalidRequest naming the field,
/// e.g. "prompts[1].max_tokens".
std::vector<TokenCheckItem> parse_token_check_request(std::string_view body);

/// {"prompts": [{"fits", "tokenCount", "contextLength"}]}, FastChat's field names.
nlohmann::json token_check_response(const std::vector<TokenCheckResult>& results);

}  // namespace fastchat::protocol
