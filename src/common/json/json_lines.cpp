#include "common/json/json_lines.h"

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

}  // namespace fastchat
