#pragma once
// Reading a JSON file (model configs, tokenizer files, safetensors indexes) with errors that
// name the file: every loader of the platform reads its JSON through this one function.

#include <filesystem>

#include <nlohmann/json.hpp>

#include "common/error/error.h"

namespace fastchat {

/// Parses `file`. Throws ErrorException with `code` (default InvalidModel) and param = the
/// file's path when it cannot be read or is not JSON; the message says which and where.
nlohmann::json read_json_file(const std::filesystem::path& file,
                              ErrorCode code = ErrorCode::InvalidModel);

/// The whole of `file` as bytes (a template, or JSON to parse another way). Throws like
/// read_json_file when it cannot be read.
std::string read_text_file(const std::filesystem::path& file,
                           ErrorCode code = ErrorCode::InvalidModel);

}  // namespace fastchat
