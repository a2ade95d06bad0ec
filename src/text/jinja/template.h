#pragma once
// A Jinja2 chat template (the `chat_template` of a model's tokenizer_config.json), parsed once
// and rendered for any number of conversations, from any number of threads at once.
//
//   const auto tpl = fastchat::jinja::Template::parse(config["chat_template"].get<std::string>());
//   std::string prompt = tpl.render({{"messages", messages}, {"add_generation_prompt", true},
//                                    {"bos_token", "<s>"}, {"eos_token", "</s>"}});
//
// Renders as Hugging Face renders chat templates (trim_blocks and lstrip_blocks on), and byte
// for byte as @huggingface/jinja 0.5.11 does on the templates and conversations of the tests
// (tests/unit/text/jinja, references made by tests/clients/jinja/make_references.mjs). What the
// language covers, and where it follows Python's Jinja2 instead of that reference:
// src/text/jinja/README.md.
//
// Errors are ErrorException whose message names the template line and column:
//  - a syntax error, from parse(): ErrorCode::InvalidModel (param "chat_template");
//  - a filter, test, function or method the interpreter does not have: InvalidModel, from the
//    render that reaches it;
//  - anything the conversation causes: raise_exception("...") in the template, a wrong type
//    (message content that is a list where the template wants a string), an undefined value
//    used, a RenderLimits bound exceeded: ErrorCode::InvalidRequest.

#include <concepts>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "text/jinja/render_limits.h"

namespace fastchat::jinja {

struct Program;

class Template {
 public:
  /// Throws ErrorException (InvalidModel) on a syntax error. `limits` bound every render.
  static Template parse(std::string_view source, const RenderLimits& limits = {});

  /// Renders with the context's top-level keys as variables (typically messages, tools,
  /// add_generation_prompt, bos_token, eos_token, plus extra keys such as enable_thinking).
  /// Keys keep their JSON order, which `tojson` writes: pass an ordered_json to keep the order
  /// of the request (nlohmann::json sorts keys). Throws ErrorException.
  std::string render(const nlohmann::ordered_json& context) const;
  /// The same for a nlohmann::json (a template only so that a braced list `render({{...}})`
  /// picks the ordered_json overload).
  template <typename Json>
  requires std::same_as<Json, nlohmann::json> std::string render(const Json& context)
  const { return render_sorted(context); }

  const std::string& source() const;
  const RenderLimits& limits() const { return limits_; }

 private:
  struct Parsed;
  Template(std::shared_ptr<const Parsed> parsed, const RenderLimits& limits);
  std::string render_sorted(const nlohmann::json& context) const;
  template <typename Json>
  std::string render_json(const Json& context) const;

  std::shared_ptr<const Parsed> parsed_;
  RenderLimits limits_;
};

}  // namespace fastchat::jinja
