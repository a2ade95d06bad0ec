#pragma once
// A model's own prompt format: the Jinja2 `chat_template` its folder ships (chat_template.jinja,
// or tokenizer_config.json's "chat_template"), with the special tokens the template refers to,
// rendered as Hugging Face's apply_chat_template renders it. Parsed once at load; render() may
// be called from any number of threads at once.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

#include "protocol/chat_message.h"
#include "text/jinja/template.h"

namespace fastchat::conversation {

/// What a render takes besides the messages.
struct ChatTemplateInputs {
  /// Append the opening of an assistant turn (apply_chat_template's add_generation_prompt).
  bool add_generation_prompt = true;
  /// OpenAI tool definitions, passed to the template as `tools` when not null.
  nlohmann::ordered_json tools = nullptr;
  /// More variables (chat_template_kwargs such as enable_thinking); they never replace
  /// messages, tools, add_generation_prompt, bos_token or eos_token.
  nlohmann::ordered_json variables = nlohmann::ordered_json::object();
};

class ChatTemplate {
 public:
  /// The folder's template: chat_template.jinja when present, else tokenizer_config.json's
  /// "chat_template" (a string, or a list of {name, template} of which "default" is used).
  /// nullopt when the folder has none. Throws ErrorException{InvalidModel} naming the file and
  /// the template line for a template that does not parse.
  static std::optional<ChatTemplate> load(const std::filesystem::path& folder);

  /// From a tokenizer_config.json object; `origin` names it in errors. nullopt without a
  /// "chat_template".
  static std::optional<ChatTemplate> from_tokenizer_config(const nlohmann::json& config,
                                                           const std::string& origin);

  /// Renders `messages` (OpenAI-shaped objects, passed through as they are). Throws
  /// ErrorException: InvalidRequest for what the conversation causes (raise_exception in the
  /// template, a missing field it needs), InvalidModel for a template feature the interpreter
  /// lacks; the message names the template line.
  std::string render(const nlohmann::ordered_json& messages,
                     const ChatTemplateInputs& inputs = {}) const;
  /// The same for parsed chat messages (protocol::to_json's objects).
  std::string render(std::span<const protocol::ChatMessage> messages,
                     const ChatTemplateInputs& inputs = {}) const;

  /// Where the template came from, e.g. "tokenizer_config.json" or "chat_template.jinja".
  const std::string& origin() const { return origin_; }
  const std::string& bos_token() const { return bos_token_; }
  const std::string& eos_token() const { return eos_token_; }
  /// What the template writes after an assistant message's content, to the end of the
  /// rendering (for example "<|im_end|>\n" or "<|eot_id|>"), found by rendering a probe
  /// conversation at load time; empty when the template writes nothing there or refuses the
  /// probe. Its first token, when special, is the turn's end (ModelInstance stops on it).
  const std::string& after_assistant() const { return after_assistant_; }
  const jinja::Template& source() const { return template_; }

 private:
  ChatTemplate(jinja::Template tpl, std::string origin, std::string bos, std::string eos);
  std::string find_after_assistant() const;

  jinja::Template template_;
  std::string origin_;
  std::string bos_token_;
  std::string eos_token_;
  std::string after_assistant_;
};

}  // namespace fastchat::conversation
