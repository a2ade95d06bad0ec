#include "protocol/openai/chat_request.h"

#include "common/json/json_fields.h"
#include "protocol/openai/request_body.h"
#include "protocol/template_inputs.h"

namespace fastchat::openai {
namespace {

using nlohmann::json;

// The legacy function-calling fields: answering them would need the old response shape
// (message.function_call), which this server does not write.
void reject_legacy_functions(const json& body) {
  for (const char* name : {"functions", "function_call"}) {
    const json* value = find_field(body, name);
    if (!value) continue;
    const bool asks_nothing =
        (value->is_array() && value->empty()) ||
        (value->is_string() && value->get_ref<const std::string&>() == "none");
    if (!asks_nothing) {
      reject_field(name, "is not supported (OpenAI's deprecated function calling); use 'tools'");
    }
  }
}

// tool_choice: "auto" (the default with tools) and "none" are honoured; "required" and a named
// function would have to force a call from a model that would not make one, which needs
// constrained decoding, so they are refused rather than answered with a possible text reply.
// Returns false for "none".
bool read_tool_choice(const json& body, const nlohmann::ordered_json& tools) {
  const json* choice = find_field(body, "tool_choice");
  if (!choice) return true;
  if (choice->is_string()) {
    const auto& mode = choice->get_ref<const std::string&>();
    if (mode == "none") return false;
    if (mode == "auto") return true;
    if (mode != "required") {
      reject_field("tool_choice",
                   "must be \"none\", \"auto\", \"required\" or a named function, got \"" +
                       mode.substr(0, 40) + "\"");
    }
  } else if (!choice->is_object()) {
    reject_field("tool_choice",
                 "must be a string or {\"type\": \"function\", \"function\": {\"name\"}}");
  } else {
    const json* function = find_field(*choice, "function");
    const json* name = function && function->is_object() ? find_field(*function, "name") : nullptr;
    if (!name || !name->is_string()) reject_field("tool_choice.function.name", "is required");
    if (tools.is_null() || !protocol::offers_function(tools, name->get<std::string>())) {
      reject_field("tool_choice.function.name",
                   "names a function that 'tools' does not offer: " + name->dump());
    }
  }
  reject_field("tool_choice",
               "is not supported yet for \"required\" or a named function: forcing a tool call "
               "needs constrained decoding; use \"auto\" (the model decides) or \"none\"");
}

// Tools and template variables keep the client's key order (protocol/template_inputs.h), so they
// are read from an order-keeping parse of the body, made only when a request has them.
void read_template_inputs(std::string_view text, const json& body, ChatCompletionRequest& request) {
  const json* tools = find_field(body, "tools");
  const bool has_tools = tools && !(tools->is_array() && tools->empty());
  const bool has_kwargs = find_field(body, "chat_template_kwargs") != nullptr;
  nlohmann::ordered_json ordered;
  if (has_tools || has_kwargs) ordered = nlohmann::ordered_json::parse(text);
  if (has_tools) request.tools = protocol::validate_tools(ordered["tools"]);
  if (has_kwargs) {
    request.chat_template_kwargs =
        protocol::validate_template_kwargs(ordered["chat_template_kwargs"]);
  }
  if (const json* parallel = find_field(body, "parallel_tool_calls")) {
    request.parallel_tool_calls = read_bool(*parallel, "parallel_tool_calls");
  }
  if (!read_tool_choice(body, request.tools)) request.tools = nullptr;
  if (request.raw_prompt && (has_tools || has_kwargs)) {
    reject_field(has_tools ? "tools" : "chat_template_kwargs",
                 "needs 'messages' as a list: a string prompt is sent untemplated");
  }
}

// FastChat's APIChatCompletionRequest default.
constexpr float kFastChatApiTemperature = 0.7f;

// FastChat's own chat API takes messages whose content is a string.
void require_string_contents(const json& body) {
  const json* messages = find_field(body, "messages");
  if (!messages || !messages->is_array()) return;  // read_messages names the problem
  for (size_t i = 0; i < messages->size(); ++i) {
    const json& message = (*messages)[i];
    if (!message.is_object()) continue;
    const json* content = find_field(message, "content");
    if (content && !content->is_string()) {
      reject_field(
          "messages[" + std::to_string(i) + "].content",
          "must be a string in FastChat's /api/v1 chat API, got " + describe_value(*content));
    }
  }
}

void read_messages(const json& body, ChatCompletionRequest& request) {
  const json* messages = find_field(body, "messages");
  if (!messages) reject_field("messages", "is required");
  if (messages->is_string()) {
    request.raw_prompt = messages->get<std::string>();
    return;
  }
  if (!messages->is_array()) {
    reject_field("messages", std::string("must be an array of messages or a string, got ") +
                                 messages->type_name());
  }
  request.messages = protocol::parse_chat_messages(*messages);
}

void read_logprobs(const json& body, ChatCompletionRequest& request) {
  if (const json* logprobs = find_field(body, "logprobs")) {
    request.logprobs = read_bool(*logprobs, "logprobs");
  }
  if (const json* top = find_field(body, "top_logprobs")) {
    request.top_logprobs =
        static_cast<int>(read_integer_in(*top, "top_logprobs", 0, protocol::kMaxLogprobs));
    // OpenAI's rule; 0 without logprobs asks for nothing and is let through (some clients send it
    // by default).
    if (request.top_logprobs > 0 && !request.logprobs) {
      reject_field("top_logprobs", "requires 'logprobs' to be true");
    }
  }
  request.options.sampling.logprobs = request.logprobs ? request.top_logprobs : -1;
}

}  // namespace

ChatCompletionRequest parse_chat_completion_request(std::string_view body, ChatDialect dialect) {
  const json parsed = parse_request_body(body);
  ChatCompletionRequest request;
  request.model = parse_model_name(parsed);
  if (dialect == ChatDialect::FastChat) require_string_contents(parsed);
  read_messages(parsed, request);
  request.options = parse_generation_options(parsed, kUnboundedMaxTokens);
  if (dialect == ChatDialect::FastChat && !find_field(parsed, "temperature")) {
    request.options.sampling.temperature = kFastChatApiTemperature;
  }
  read_logprobs(parsed, request);
  reject_legacy_functions(parsed);
  read_template_inputs(body, parsed, request);
  return request;
}

}  // namespace fastchat::openai
