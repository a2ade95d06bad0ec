#include "worker/tokenizer/json_file.h"

#include <fstream>
#include <sstream>

#include "common/error/error.h"

namespace fastchat::tokenizer {

nlohmann::json read_json_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw_error(ErrorCode::InvalidModel, "cannot open " + file.string(), file.string());
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  try {
    return nlohmann::json::parse(buffer.str());
  } catch (const nlohmann::json::exception& e) {
    throw_error(ErrorCode::InvalidModel, file.string() + " is not valid JSON: " + e.what(),
                file.string());
  }
}

}  // namespace fastchat::tokenizer
