#include "common/json/json_file.h"

#include <fstream>
#include <sstream>

namespace fastchat {

nlohmann::json read_json_file(const std::filesystem::path& file, ErrorCode code) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw_error(code, file.string() + ": cannot be read", file.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  try {
    return nlohmann::json::parse(buffer.str());
  } catch (const nlohmann::json::exception& e) {
    throw_error(code, file.string() + ": not valid JSON (" + e.what() + ")", file.string());
  }
}

}  // namespace fastchat
