#pragma once
// `fastchat-cli render-template`: a chat template's rendering of a conversation, printed exactly
// (no newline added), for people debugging a prompt and for tests.

#include <string>
#include <vector>

namespace fastchat::cli {

struct RenderTemplateOptions {
  std::string tokenizer_config;  ///< a tokenizer_config.json holding "chat_template"
  std::string messages;          ///< JSON array of messages, or @FILE
  std::string tools;             ///< JSON array of tool definitions, or @FILE; empty: none
  bool add_generation_prompt = true;
  std::vector<std::string> variables;  ///< NAME=JSON, passed to the template as NAME
};

/// The rendering. Throws ErrorException naming the option or the template line at fault.
std::string render_template(const RenderTemplateOptions& options);

}  // namespace fastchat::cli
