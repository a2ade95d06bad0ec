#include "text/tokenizer/tokenizer_config.h"

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/json/json_file.h"

namespace fastchat::tokenizer {
namespace {

[[noreturn]] void invalid(const std::string& origin, const std::string& what) {
  throw_error(ErrorCode::InvalidModel, origin + ": " + what, origin);
}

std::optional<bool> optional_bool(const nlohmann::json& json, const char* key,
                                  const std::string& origin) {
  if (!json.contains(key) || json[key].is_null()) return std::nullopt;
  if (!json[key].is_boolean())
    invalid(origin, std::string("\"") + key + "\" must be true or false");
  return json[key].get<bool>();
}

// Special tokens are written either as a string or as an AddedToken object.
std::optional<std::string> token_string(const nlohmann::json& json, const char* key,
                                        const std::string& origin) {
  if (!json.contains(key)) return std::nullopt;
  const auto& value = json[key];
  if (value.is_null()) return std::string();
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.contains("content") && value["content"].is_string()) {
    return value["content"].get<std::string>();
  }
  invalid(origin, std::string("\"") + key + "\" must be a string or a token object");
}

}  // namespace

AddedToken parse_added_token(const nlohmann::json& json, int32_t id, const std::string& origin) {
  if (!json.is_object() || !json.contains("content") || !json["content"].is_string()) {
    invalid(origin, "added token " + std::to_string(id) + " has no \"content\" string");
  }
  AddedToken token;
  token.id = id;
  token.content = json["content"].get<std::string>();
  token.special = json.value("special", false);
  token.lstrip = json.value("lstrip", false);
  token.rstrip = json.value("rstrip", false);
  token.single_word = json.value("single_word", false);
  token.normalized = json.value("normalized", !token.special);
  return token;
}

TokenizerConfig TokenizerConfig::load(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return {};
  return from_json(read_json_file(file), file.string());
}

TokenizerConfig TokenizerConfig::from_json(const nlohmann::json& json, const std::string& origin) {
  if (!json.is_object()) invalid(origin, "top level must be a JSON object");
  TokenizerConfig config;
  try {
    config.add_bos_token = optional_bool(json, "add_bos_token", origin);
    config.add_eos_token = optional_bool(json, "add_eos_token", origin);
    config.bos_token = token_string(json, "bos_token", origin);
    config.eos_token = token_string(json, "eos_token", origin);
    config.unk_token = token_string(json, "unk_token", origin);
    if (json.contains("tokenizer_class") && json["tokenizer_class"].is_string()) {
      config.tokenizer_class = json["tokenizer_class"].get<std::string>();
    }
    if (json.contains("added_tokens_decoder")) {
      const auto& decoder = json["added_tokens_decoder"];
      if (!decoder.is_object()) invalid(origin, "\"added_tokens_decoder\" must be an object");
      for (const auto& [key, value] : decoder.items()) {
        std::size_t used = 0;
        int32_t id = -1;
        try {
          id = static_cast<int32_t>(std::stol(key, &used));
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != key.size() || id < 0) {
          invalid(origin, "added_tokens_decoder key \"" + key + "\" is not a token id");
        }
        config.added_tokens.push_back(parse_added_token(value, id, origin));
      }
    }
  } catch (const nlohmann::json::exception& e) {
    invalid(origin, std::string("unexpected value: ") + e.what());
  }
  return config;
}

}  // namespace fastchat::tokenizer
