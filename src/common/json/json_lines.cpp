#include "common/json/json_lines.h"

#include "common/json/json_fields.h"

namespace fastchat {

void for_each_nonblank_line(
    std::string_view text,
    const std::function<bool(std::string_view line, size_t number)>& on_line) {
  size_t number = 0;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (!on_line(line, number)) return;
  }
}

void for_each_json_line(
    std::string_view text,
    const std::function<void(const nlohmann::json& record, const std::string& where)>& on_record) {
  for_each_nonblank_line(text, [&](std::string_view line, size_t number) {
    const std::string where = "line " + std::to_string(number);
    nlohmann::json record;
    try {
      record = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
      reject_field(where, std::string("is not valid JSON: ") + e.what());
    }
    on_record(record, where);
    return true;
  });
}

}  // namespace fastchat
