#pragma once
// Reading the JSON files of a model folder with errors that name the file.

#include <filesystem>

#include <nlohmann/json.hpp>

namespace fastchat::tokenizer {

/// Parses file; throws ErrorException (InvalidModel) naming it when unreadable or not JSON.
nlohmann::json read_json_file(const std::filesystem::path& file);

}  // namespace fastchat::tokenizer
