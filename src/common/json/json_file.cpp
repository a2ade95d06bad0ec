#include "common/json/json_file.h"

#include <fstream>
#include <sstream>

namespace fastchat {

std::string read_text_file(const std::filesystem::path& file, ErrorCode code) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw_error(code, file.string() + ": cannot be read", file.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

nlohmann::json read_json_file(const std::filesystem::path& file, ErrorCode code) {
  const std::string text = read_text_file(file, code);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw_error(code, file.string() + ": not valid JSON (" + e.what() + ")", file.string());
  }
}

}  // namespace fastchat
