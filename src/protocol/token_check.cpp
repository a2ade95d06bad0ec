#include "protocol/token_check.h"

#include <limits>

#include "common/json/json_fields.h"
#include "common/json/request_body.h"

namespace fastchat::protocol {

using nlohmann::json;

std::vector<TokenCheckItem> parse_token_check_request(std::string_view body) {
  const json parsed = parse_request_body(body);
  const json* prompts = find_field(parsed, "prompts");
  if (!prompts) reject_field("prompts", "is required");
  if (!prompts->is_array())
    reject_field("prompts", "must be an array of {model, prompt, max_tokens}");
  if (prompts->size() > kMaxTokenCheckPrompts) {
    reject_field("prompts", "has " + std::to_string(prompts->size()) + " entries; at most " +
                                std::to_string(kMaxTokenCheckPrompts) + " are checked at once");
  }
  std::vector<TokenCheckItem> items;
  for (size_t i = 0; i < prompts->size(); ++i) {
    const json& entry = (*prompts)[i];
    const std::string path = "prompts[" + std::to_string(i) + "]";
    if (!entry.is_object()) reject_field(path, "must be an object with model, prompt, max_tokens");
    TokenCheckItem item;
    for (const char* name : {"model", "prompt", "max_tokens"}) {
      if (!find_field(entry, name)) reject_field(path + "." + name, "is required");
    }
    item.model = read_string(entry["model"], path + ".model");
    item.prompt = read_string(entry["prompt"], path + ".prompt");
    item.max_tokens = read_integer_in(entry["max_tokens"], path + ".max_tokens", 0,
                                      std::numeric_limits<int32_t>::max());
    items.push_back(std::move(item));
  }
  return items;
}

json token_check_response(const std::vector<TokenCheckResult>& results) {
  json prompts = json::array();
  for (const auto& result : results) {
    prompts.push_back({{"fits", result.fits},
                       {"tokenCount", result.token_count},
                       {"contextLength", result.context_length}});
  }
  return {{"prompts", std::move(prompts)}};
}

}  // namespace fastchat::protocol
