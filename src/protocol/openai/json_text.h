#pragma once
// The one way this API serializes JSON. Generated text can hold invalid UTF-8 (a token that ends
// mid-character), and nlohmann's default dump throws on it; replacing bad bytes with U+FFFD keeps
// every answer valid JSON instead of failing the request.

#include <nlohmann/json.hpp>
#include <string>

namespace fastchat::openai {

/// Compact JSON text of `value`, invalid UTF-8 replaced by U+FFFD.
std::string dump_json(const nlohmann::json& value);

}  // namespace fastchat::openai
