#include "protocol/openai/json_text.h"

namespace fastchat::openai {

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace fastchat::openai
