#include "tools/cli/render_template.h"

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/json/json_file.h"
#include "text/conversation/chat_template.h"

namespace fastchat::cli {
namespace {

using nlohmann::ordered_json;

// JSON given inline or as @FILE, parsed keeping key order (tojson writes it).
ordered_json read_json_option(const std::string& text, const std::string& option) {
  const std::string source =
      text.starts_with("@") ? read_text_file(text.substr(1), ErrorCode::InvalidConfig) : text;
  auto value = ordered_json::parse(source, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded())
    throw_error(ErrorCode::InvalidConfig, option + ": not valid JSON", option);
  return value;
}

}  // namespace

std::string render_template(const RenderTemplateOptions& options) {
  const auto config = read_json_file(options.tokenizer_config, ErrorCode::InvalidConfig);
  const auto tpl =
      conversation::ChatTemplate::from_tokenizer_config(config, options.tokenizer_config);
  if (!tpl) {
    throw_error(ErrorCode::InvalidConfig, options.tokenizer_config + " has no chat_template",
                "--tokenizer-config");
  }
  const auto messages = read_json_option(options.messages, "--messages");
  if (!messages.is_array()) {
    throw_error(ErrorCode::InvalidConfig, "--messages must be a JSON array", "--messages");
  }
  conversation::ChatTemplateInputs inputs;
  inputs.add_generation_prompt = options.add_generation_prompt;
  if (!options.tools.empty()) inputs.tools = read_json_option(options.tools, "--tools");
  for (const auto& variable : options.variables) {
    const auto equals = variable.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw_error(ErrorCode::InvalidConfig, "--var " + variable + ": expected NAME=JSON", "--var");
    }
    inputs.variables[variable.substr(0, equals)] =
        read_json_option(variable.substr(equals + 1), "--var " + variable.substr(0, equals));
  }
  return tpl->render(messages, inputs);
}

}  // namespace fastchat::cli
