#include "text/jinja/template_error.h"

#include <algorithm>

#include "text/jinja/unicode_text.h"

namespace fastchat::jinja {

std::string describe_position(std::string_view source, std::uint32_t offset) {
  std::size_t line = 1;
  std::size_t line_start = 0;
  const std::size_t end = std::min<std::size_t>(offset, source.size());
  for (std::size_t i = 0; i < end; ++i) {
    if (source[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  const std::size_t column = count_code_points(source.substr(line_start, end - line_start)) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

void throw_template_error(std::string_view source, std::uint32_t offset, ErrorCode code,
                          const std::string& message) {
  throw_error(code, "chat template " + describe_position(source, offset) + ": " + message,
              code == ErrorCode::InvalidModel ? "chat_template" : "");
}

void throw_syntax_error(std::string_view source, std::uint32_t offset, const std::string& message) {
  throw_template_error(source, offset, ErrorCode::InvalidModel, "syntax error: " + message);
}

}  // namespace fastchat::jinja
