#include "protocol/openai/request_body.h"

#include <string>

#include "common/error/error.h"
#include "common/json/json_fields.h"

namespace fastchat::openai {

std::string parse_model_name(const nlohmann::json& body) {
  const nlohmann::json* model = find_field(body, "model");
  if (!model) reject_field("model", "is required");
  const std::string& name = read_string(*model, "model");
  if (name.empty()) reject_field("model", "must not be empty");
  return name;
}

}  // namespace fastchat::openai
