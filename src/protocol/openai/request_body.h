#pragma once
// The first steps of every OpenAI request: the body as a JSON object (parse_request_body, from
// common/json) and the model it names.

#include <string>

#include <nlohmann/json.hpp>

#include "common/json/request_body.h"

namespace fastchat::openai {

/// The required, non-empty string `model` of a request object; InvalidRequest with param "model".
std::string parse_model_name(const nlohmann::json& body);

}  // namespace fastchat::openai
