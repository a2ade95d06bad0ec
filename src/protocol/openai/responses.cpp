#include "protocol/openai/responses.h"

#include <random>
#include <utility>

#include "protocol/openai/logprobs_json.h"

namespace fastchat::openai {
namespace {

using nlohmann::json;

// Fields every response and chunk starts with; clients read them from every chunk.
json envelope(std::string_view id, std::string_view object, int64_t created,
              std::string_view model) {
  return json{{"id", id}, {"object", object}, {"created", created}, {"model", model}};
}

// OpenAI answers a turn that only calls tools with content null.
json assistant_message(const ChoiceResult& choice) {
  json message = {{"role", "assistant"}};
  message["content"] =
      choice.text.empty() && !choice.tool_calls.empty() ? json(nullptr) : json(choice.text);
  if (!choice.reasoning.empty()) message["reasoning_content"] = choice.reasoning;
  if (!choice.tool_calls.empty()) {
    json calls = json::array();
    for (const auto& call : choice.tool_calls) calls.push_back(tool_call_json(call, true));
    message["tool_calls"] = std::move(calls);
  }
  return message;
}

}  // namespace

json tool_call_json(const ToolCallDelta& call, bool whole) {
  json function = json::object();
  if (whole || !call.name.empty()) function["name"] = call.name;
  function["arguments"] = call.arguments;
  json out = json::object();
  if (!whole) out["index"] = call.index;
  if (whole || !call.id.empty()) {
    out["id"] = call.id;
    out["type"] = "function";
  }
  out["function"] = std::move(function);
  return out;
}

json usage_json(const Usage& usage) {
  return json{{"prompt_tokens", usage.prompt_tokens},
              {"completion_tokens", usage.completion_tokens},
              {"total_tokens", usage.total_tokens()}};
}

json chat_completion(std::string_view id, int64_t created, std::string_view model,
                     const std::vector<ChoiceResult>& choices, const Usage& usage) {
  json body = envelope(id, kChatCompletionObject, created, model);
  json out = json::array();
  for (const ChoiceResult& choice : choices) {
    out.push_back(
        json{{"index", choice.index},
             {"message", assistant_message(choice)},
             {"logprobs", choice.logprobs ? chat_logprobs(*choice.logprobs) : json(nullptr)},
             {"finish_reason", choice.finish_reason}});
  }
  body["choices"] = std::move(out);
  body["usage"] = usage_json(usage);
  return body;
}

json completion(std::string_view id, int64_t created, std::string_view model,
                const std::vector<ChoiceResult>& choices, const Usage& usage) {
  json body = envelope(id, kTextCompletionObject, created, model);
  json out = json::array();
  for (const ChoiceResult& choice : choices) {
    out.push_back(
        json{{"index", choice.index},
             {"text", choice.text},
             {"logprobs", choice.logprobs ? completion_logprobs(*choice.logprobs) : json(nullptr)},
             {"finish_reason", choice.finish_reason}});
  }
  body["choices"] = std::move(out);
  body["usage"] = usage_json(usage);
  return body;
}

json usage_chunk(std::string_view id, int64_t created, std::string_view model,
                 std::string_view object_name, const Usage& usage) {
  json body = envelope(id, object_name, created, model);
  body["choices"] = json::array();
  body["usage"] = usage_json(usage);
  return body;
}

json model_list(const std::vector<std::string>& names, int64_t created) {
  json data = json::array();
  for (const std::string& name : names) {
    data.push_back(
        json{{"id", name}, {"object", "model"}, {"created", created}, {"owned_by", "fastchat"}});
  }
  return json{{"object", "list"}, {"data", std::move(data)}};
}

json error_body(const Error& error) {
  std::string_view type = error_type(error.code);
  std::string_view code = type;
  switch (error.code) {
    case ErrorCode::ContextLengthExceeded:
      type = error_type(ErrorCode::InvalidRequest);
      break;
    case ErrorCode::NotFound:
      if (error.param == "model") code = "model_not_found";
      break;
    case ErrorCode::Unauthorized:
      code = "invalid_api_key";
      break;
    default:
      break;
  }
  return json{{"error", json{{"message", error.message},
                             {"type", type},
                             {"param", error.param.empty() ? json(nullptr) : json(error.param)},
                             {"code", code}}}};
}

std::string make_id(std::string_view prefix) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  constexpr std::size_t kLength = 24;
  // One generator per thread: no lock, and seeding from random_device keeps threads apart.
  thread_local std::mt19937_64 rng{(static_cast<uint64_t>(std::random_device{}()) << 32) ^
                                   std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string id(prefix);
  id.reserve(prefix.size() + kLength);
  for (std::size_t i = 0; i < kLength; ++i) id += kAlphabet[pick(rng)];
  return id;
}

}  // namespace fastchat::openai
