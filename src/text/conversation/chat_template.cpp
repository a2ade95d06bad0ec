#include "text/conversation/chat_template.h"

#include "common/error/error.h"
#include "common/json/json_file.h"

namespace fastchat::conversation {
namespace {

using nlohmann::ordered_json;

constexpr const char* kTokenizerConfig = "tokenizer_config.json";
constexpr const char* kTemplateFile = "chat_template.jinja";
// Assistant text no template alters, to find what the template writes after a turn.
constexpr std::string_view kProbe = "fastchat-probe-7f3c";

// bos_token / eos_token: a string, or an AddedToken object {"content": ...}.
std::string token_text(const nlohmann::json& config, const char* key) {
  auto it = config.find(key);
  if (it == config.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) {
    auto content = it->find("content");
    if (content != it->end() && content->is_string()) return content->get<std::string>();
  }
  return "";
}

// The "chat_template" of a tokenizer config: a string, or a list of named templates of which
// transformers uses "default" when no other is asked for.
std::optional<std::string> template_source(const nlohmann::json& config,
                                           const std::string& origin) {
  auto it = config.find("chat_template");
  if (it == config.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array()) {
    for (const auto& named : *it) {
      if (named.is_object() && named.value("name", "") == "default" && named.contains("template") &&
          named["template"].is_string()) {
        return named["template"].get<std::string>();
      }
    }
    throw_error(ErrorCode::InvalidModel,
                origin + ": chat_template is a list without a template named \"default\"",
                "chat_template");
  }
  throw_error(ErrorCode::InvalidModel,
              origin + ": chat_template must be a string or a list of {name, template}",
              "chat_template");
}

jinja::Template parse(const std::string& source, const std::string& origin) {
  try {
    return jinja::Template::parse(source);
  } catch (const ErrorException& e) {
    throw_error(ErrorCode::InvalidModel, origin + ": " + e.error().message, "chat_template");
  }
}

}  // namespace

ChatTemplate::ChatTemplate(jinja::Template tpl, std::string origin, std::string bos,
                           std::string eos)
    : template_(std::move(tpl)),
      origin_(std::move(origin)),
      bos_token_(std::move(bos)),
      eos_token_(std::move(eos)) {
  after_assistant_ = find_after_assistant();
}

std::optional<ChatTemplate> ChatTemplate::load(const std::filesystem::path& folder) {
  nlohmann::json config = nlohmann::json::object();
  if (std::filesystem::exists(folder / kTokenizerConfig)) {
    config = read_json_file(folder / kTokenizerConfig);
  }
  if (std::filesystem::exists(folder / kTemplateFile)) {
    const std::string source = read_text_file(folder / kTemplateFile);
    return ChatTemplate(parse(source, kTemplateFile), kTemplateFile,
                        token_text(config, "bos_token"), token_text(config, "eos_token"));
  }
  return from_tokenizer_config(config, kTokenizerConfig);
}

std::optional<ChatTemplate> ChatTemplate::from_tokenizer_config(const nlohmann::json& config,
                                                                const std::string& origin) {
  if (!config.is_object()) {
    throw_error(ErrorCode::InvalidModel, origin + ": not a JSON object", origin);
  }
  auto source = template_source(config, origin);
  if (!source) return std::nullopt;
  return ChatTemplate(parse(*source, origin), origin, token_text(config, "bos_token"),
                      token_text(config, "eos_token"));
}

std::string ChatTemplate::render(const ordered_json& messages,
                                 const ChatTemplateInputs& inputs) const {
  ordered_json context = ordered_json::object();
  for (const auto& [key, value] : inputs.variables.items()) context[key] = value;
  context["messages"] = messages;
  if (!inputs.tools.is_null()) context["tools"] = inputs.tools;
  context["add_generation_prompt"] = inputs.add_generation_prompt;
  context["bos_token"] = bos_token_;
  context["eos_token"] = eos_token_;
  return template_.render(context);
}

std::string ChatTemplate::render(std::span<const protocol::ChatMessage> messages,
                                 const ChatTemplateInputs& inputs) const {
  ordered_json list = ordered_json::array();
  for (const auto& message : messages) list.push_back(protocol::to_json(message));
  return render(list, inputs);
}

std::string ChatTemplate::find_after_assistant() const {
  const ordered_json probe = ordered_json::array(
      {{{"role", "user"}, {"content", "Hi"}}, {{"role", "assistant"}, {"content", kProbe}}});
  std::string rendered;
  try {
    rendered = render(probe, {.add_generation_prompt = false});
  } catch (const ErrorException&) {
    return "";  // a template that refuses this conversation: no end-of-turn text to learn
  }
  const auto at = rendered.find(kProbe);
  return at == std::string::npos ? "" : rendered.substr(at + kProbe.size());
}

}  // namespace fastchat::conversation
