#include "protocol/embedding_input.h"

#include <limits>

#include "common/json/json_fields.h"

namespace fastchat::protocol {
namespace {

using nlohmann::json;

std::string text_of(const json& value, const std::string& path) {
  const std::string& text = read_string(value, path);
  if (text.empty()) reject_field(path, "must not be empty");
  return text;
}

std::vector<int32_t> ids_of(const json& value, const std::string& path) {
  if (value.empty()) reject_field(path, "must not be empty");
  std::vector<int32_t> ids;
  ids.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    ids.push_back(static_cast<int32_t>(read_integer_in(
        value[i], path + "[" + std::to_string(i) + "]", 0, std::numeric_limits<int32_t>::max())));
  }
  return ids;
}

}  // namespace

std::vector<EmbeddingInput> parse_embedding_inputs(const json& input) {
  if (input.is_string()) return {text_of(input, "input")};
  if (!input.is_array()) {
    reject_field("input",
                 "must be a string, an array of strings, an array of token ids or an "
                 "array of token-id arrays, got " +
                     describe_value(input));
  }
  if (input.empty()) reject_field("input", "must not be empty");
  if (input.size() > kMaxEmbeddingInputs) {
    reject_field("input", "has " + std::to_string(input.size()) + " entries; at most " +
                              std::to_string(kMaxEmbeddingInputs) + " are embedded at once");
  }
  if (input[0].is_number()) return {ids_of(input, "input")};  // one text as token ids
  std::vector<EmbeddingInput> inputs;
  inputs.reserve(input.size());
  const bool texts = input[0].is_string();
  for (size_t i = 0; i < input.size(); ++i) {
    const std::string path = "input[" + std::to_string(i) + "]";
    if (texts) {
      inputs.emplace_back(text_of(input[i], path));
    } else if (input[i].is_array()) {
      inputs.emplace_back(ids_of(input[i], path));
    } else {
      reject_field(path, "must be an array of token ids like the other entries, got " +
                             describe_value(input[i]));
    }
  }
  return inputs;
}

json to_json(const std::vector<EmbeddingInput>& inputs) {
  json out = json::array();
  for (const auto& input : inputs) {
    std::visit([&](const auto& value) { out.push_back(value); }, input);
  }
  return out;
}

}  // namespace fastchat::protocol
