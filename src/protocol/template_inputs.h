#pragma once
// What a chat request gives the model's chat template besides the messages, validated once: the
// tools it offers (OpenAI's `tools`: [{type: "function", function: {name, description?,
// parameters?, strict?}}]) and more template variables (`chat_template_kwargs`, as vLLM calls
// them, e.g. Qwen3's enable_thinking). Both reach the template as the client wrote them, key order
// included: templates print tools with `tojson`, so the order is part of the prompt, as it is
// with Hugging Face's apply_chat_template.

#include <string>

#include <nlohmann/json.hpp>

namespace fastchat::protocol {

/// Checks `tools` and returns it unchanged. Throws InvalidRequest naming the path, e.g.
/// "tools[1].function.name". Function names follow OpenAI's rule: 1 to 64 of a-z, A-Z, 0-9, '_'
/// and '-'; `parameters`, when given, is a JSON Schema object; names are unique.
const nlohmann::ordered_json& validate_tools(const nlohmann::ordered_json& tools);

/// Whether `tools` offers a function of that name (tools already validated).
bool offers_function(const nlohmann::ordered_json& tools, const std::string& name);

/// Checks that `kwargs` is an object that does not set what the server itself gives the template
/// (messages, tools, add_generation_prompt, bos_token, eos_token); returns it unchanged. Throws
/// InvalidRequest naming "chat_template_kwargs" or "chat_template_kwargs.<key>".
const nlohmann::ordered_json& validate_template_kwargs(const nlohmann::ordered_json& kwargs);

}  // namespace fastchat::protocol
