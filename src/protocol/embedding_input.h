#pragma once
// What is to be embedded: OpenAI's `input` (a string, an array of strings, an array of token
// ids, or an array of such arrays), which FastChat's /worker_get_embeddings also takes as
// `input`. Read once here for the API server and the worker alike.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace fastchat::protocol {

/// Most inputs one request may embed (OpenAI's limit).
inline constexpr size_t kMaxEmbeddingInputs = 2048;

/// A text (tokenized by the worker with the model's tokenizer) or token ids as they are.
using EmbeddingInput = std::variant<std::string, std::vector<int32_t>>;

/// Throws InvalidRequest naming the path, e.g. "input", "input[3]", "input[1][0]": an empty
/// list, an empty string or token list, a mixed list, ids outside [0, 2^31).
std::vector<EmbeddingInput> parse_embedding_inputs(const nlohmann::json& input);

/// The inputs as the worker's `input` field.
nlohmann::json to_json(const std::vector<EmbeddingInput>& inputs);

}  // namespace fastchat::protocol
