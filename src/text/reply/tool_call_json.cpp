#include "text/reply/tool_call_json.h"

#include <string>

namespace fastchat::reply {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

}  // namespace

std::size_t json_value_end(std::string_view text, std::size_t start) {
  if (start >= text.size() || (text[start] != '{' && text[start] != '[')) {
    return std::string_view::npos;
  }
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

std::optional<nlohmann::ordered_json> parse_json(std::string_view text) {
  nlohmann::ordered_json value =
      nlohmann::ordered_json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

std::optional<std::string> arguments_text(const nlohmann::ordered_json& arguments) {
  if (arguments.is_null()) return "{}";
  if (arguments.is_string()) return arguments.get<std::string>();
  if (!arguments.is_object()) return std::nullopt;
  // Non-ASCII stays as the model wrote it (ensure_ascii off), as OpenAI's arguments do.
  return arguments.dump(-1, ' ', /*ensure_ascii=*/false,
                        nlohmann::ordered_json::error_handler_t::replace);
}

std::optional<ToolCall> tool_call_from_json(const nlohmann::ordered_json& object) {
  if (!object.is_object()) return std::nullopt;
  const auto name = object.find("name");
  if (name == object.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  auto arguments = object.find("arguments");
  if (arguments == object.end()) arguments = object.find("parameters");
  const std::optional<std::string> text =
      arguments == object.end() ? std::optional<std::string>("{}") : arguments_text(*arguments);
  if (!text) return std::nullopt;
  return ToolCall{name->get<std::string>(), *text};
}

std::string_view trim_whitespace(std::string_view text) {
  const std::size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

}  // namespace fastchat::reply
