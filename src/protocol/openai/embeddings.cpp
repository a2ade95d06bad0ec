#include "protocol/openai/embeddings.h"

#include <bit>
#include <limits>

#include "common/json/json_fields.h"
#include "protocol/openai/request_body.h"

namespace fastchat::openai {

using nlohmann::json;

EmbeddingsRequest parse_embeddings_request(std::string_view body, std::string_view path_model) {
  const json parsed = parse_request_body(body);
  EmbeddingsRequest request;
  if (!path_model.empty() && !find_field(parsed, "model")) {
    request.model = path_model;
  } else {
    request.model = parse_model_name(parsed);
  }
  const json* input = find_field(parsed, "input");
  if (!input) reject_field("input", "is required");
  request.inputs = protocol::parse_embedding_inputs(*input);
  if (const json* format = find_field(parsed, "encoding_format")) {
    const std::string& name = read_string(*format, "encoding_format");
    if (name != "float" && name != "base64") {
      reject_field("encoding_format",
                   "must be \"float\" or \"base64\", got \"" + name.substr(0, 40) + "\"");
    }
    request.base64 = name == "base64";
  }
  if (const json* dimensions = find_field(parsed, "dimensions")) {
    request.dimensions =
        read_integer_in(*dimensions, "dimensions", 1, std::numeric_limits<int32_t>::max());
  }
  if (const json* user = find_field(parsed, "user")) read_string(*user, "user");
  return request;
}

std::string float32_base64(const std::vector<float>& vector) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes(vector.size() * sizeof(float), '\0');
  for (size_t i = 0; i < vector.size(); ++i) {
    uint32_t bits = std::bit_cast<uint32_t>(vector[i]);
    for (int b = 0; b < 4; ++b) bytes[i * 4 + b] = static_cast<char>((bits >> (8 * b)) & 0xFF);
  }
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t chunk = 0;
    for (size_t k = 0; k < 3; ++k) {
      chunk = (chunk << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    }
    for (size_t k = 0; k < 4; ++k) {
      out += k <= n ? kAlphabet[(chunk >> (18 - 6 * k)) & 0x3F] : '=';
    }
  }
  return out;
}

json embeddings_response(const std::vector<std::vector<float>>& vectors, std::string_view model,
                         int64_t prompt_tokens, bool base64) {
  json data = json::array();
  for (size_t i = 0; i < vectors.size(); ++i) {
    data.push_back({{"object", "embedding"},
                    {"index", i},
                    {"embedding", base64 ? json(float32_base64(vectors[i])) : json(vectors[i])}});
  }
  return {{"object", "list"},
          {"data", std::move(data)},
          {"model", model},
          {"usage", {{"prompt_tokens", prompt_tokens}, {"total_tokens", prompt_tokens}}}};
}

}  // namespace fastchat::openai
