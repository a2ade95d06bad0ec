#include "protocol/openai/chat_request.h"

#include "common/json/json_fields.h"
#include "protocol/openai/request_body.h"

namespace fastchat::openai {
namespace {

using nlohmann::json;

// Tool calling changes the response shape (tool_calls instead of content); a server that ignored
// the tools would answer with text the client never asked for, so these are refused up front.
// An empty tools list asks for nothing and is accepted.
void reject_tool_calling(const json& body) {
  static constexpr const char* kReason =
      "is not supported: this server does not implement tool or function calling";
  for (const char* name : {"tools", "functions"}) {
    const json* value = find_field(body, name);
    if (value && !(value->is_array() && value->empty())) reject_field(name, kReason);
  }
  const json* choice = find_field(body, "tool_choice");
  if (choice && !(choice->is_string() && choice->get_ref<const std::string&>() == "none")) {
    reject_field("tool_choice", std::string(kReason) + "; only \"none\" is accepted");
  }
  if (const json* call = find_field(body, "function_call")) {
    if (!(call->is_string() && call->get_ref<const std::string&>() == "none")) {
      reject_field("function_call", std::string(kReason) + "; only \"none\" is accepted");
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

ChatCompletionRequest parse_chat_completion_request(std::string_view body) {
  const json parsed = parse_request_body(body);
  ChatCompletionRequest request;
  request.model = parse_model_name(parsed);
  read_messages(parsed, request);
  request.options = parse_generation_options(parsed, kUnboundedMaxTokens);
  read_logprobs(parsed, request);
  reject_tool_calling(parsed);
  return request;
}

}  // namespace fastchat::openai
