#pragma once
// POST /v1/embeddings (and FastChat's legacy /v1/engines/{model}/embeddings): the request as a
// typed struct, and the answer in OpenAI's shape, with vectors as JSON floats or as base64 of
// their little-endian float32 bytes (what the openai SDKs ask for by default).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/embedding_input.h"

namespace fastchat::openai {

struct EmbeddingsRequest {
  std::string model;
  std::vector<protocol::EmbeddingInput> inputs;
  bool base64 = false;  ///< encoding_format "base64" (else "float")
  /// The vector length the client wants; checked against the model's once it is known.
  std::optional<int64_t> dimensions;
};

/// Throws InvalidRequest naming the field. `path_model`: the model named by the legacy route's
/// path, used when the body names none.
EmbeddingsRequest parse_embeddings_request(std::string_view body, std::string_view path_model = {});

/// {object: "list", data: [{object: "embedding", index, embedding}], model, usage:
/// {prompt_tokens, total_tokens}}.
nlohmann::json embeddings_response(const std::vector<std::vector<float>>& vectors,
                                   std::string_view model, int64_t prompt_tokens, bool base64);

/// Standard base64 (RFC 4648, with padding) of the vector's little-endian float32 bytes.
std::string float32_base64(const std::vector<float>& vector);

}  // namespace fastchat::openai
