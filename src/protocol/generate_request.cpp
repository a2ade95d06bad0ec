#include "protocol/generate_request.h"

#include <limits>

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/json/json_fields.h"
#include "protocol/template_inputs.h"

namespace fastchat::protocol {

using nlohmann::json;

namespace {

constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
// Ranges as protocol::validate states them; checked there once more with the same words.
const Interval kAnyReal{-1e30, 1e30};

void read_float(const json& body, const char* name, float& target) {
  if (const json* value = find_field(body, name)) {
    target = static_cast<float>(read_number_in(*value, name, kAnyReal));
  }
}

void read_int(const json& body, const char* name, int64_t lo, int64_t hi, int32_t& target) {
  if (const json* value = find_field(body, name)) {
    target = static_cast<int32_t>(read_integer_in(*value, name, lo, hi));
  }
}

void read_flag(const json& body, const char* name, bool& target) {
  if (const json* value = find_field(body, name)) target = read_bool(*value, name);
}

std::vector<std::string> read_stop(const json& value) {
  if (value.is_string()) return {value.get<std::string>()};
  if (!value.is_array())
    reject_field("stop", "must be a string or an array of strings, got " + describe_value(value));
  std::vector<std::string> stop;
  for (size_t i = 0; i < value.size(); ++i) {
    stop.push_back(read_string(value[i], "stop[" + std::to_string(i) + "]"));
  }
  return stop;
}

std::vector<int32_t> read_token_ids(const json& value, const std::string& name) {
  if (!value.is_array())
    reject_field(name, "must be an array of token ids, got " + describe_value(value));
  std::vector<int32_t> ids;
  for (size_t i = 0; i < value.size(); ++i) {
    ids.push_back(static_cast<int32_t>(
        read_integer_in(value[i], name + "[" + std::to_string(i) + "]", 0, kInt32Max)));
  }
  return ids;
}

uint64_t read_seed(const json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  return static_cast<uint64_t>(read_integer(value, "seed"));
}

// The fields both protocols spell the same way.
void read_common(const json& body, GenerateRequest& request) {
  auto& sampling = request.sampling;
  read_float(body, "temperature", sampling.temperature);
  read_float(body, "top_p", sampling.top_p);
  read_int(body, "top_k", std::numeric_limits<int32_t>::min(), kInt32Max, sampling.top_k);
  if (sampling.top_k == 0) sampling.top_k = -1;
  read_float(body, "repetition_penalty", sampling.repetition_penalty);
  read_float(body, "presence_penalty", sampling.presence_penalty);
  read_float(body, "frequency_penalty", sampling.frequency_penalty);
  if (const json* stop = find_field(body, "stop")) sampling.stop = read_stop(*stop);
  if (const json* ids = find_field(body, "stop_token_ids")) {
    sampling.stop_token_ids = read_token_ids(*ids, "stop_token_ids");
  }
  if (const json* seed = find_field(body, "seed")) sampling.seed = read_seed(*seed);
  read_flag(body, "echo", request.echo);
}

// A field the native protocol carries as JSON text (see parse_native_request).
nlohmann::ordered_json read_json_text(const json& value, const std::string& name) {
  const std::string& text = read_string(value, name);
  auto parsed = nlohmann::ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) reject_field(name, "must be a JSON text");
  return parsed;
}

void read_chat_inputs(const json& body, GenerateRequest& request) {
  const json* tools = find_field(body, "tools");
  const json* kwargs = find_field(body, "chat_template_kwargs");
  if (!request.messages && (tools || kwargs)) {
    reject_field(tools ? "tools" : "chat_template_kwargs", "needs 'messages', not 'prompt'");
  }
  if (tools) request.tools = validate_tools(read_json_text(*tools, "tools"));
  if (kwargs) {
    request.chat_template_kwargs =
        validate_template_kwargs(read_json_text(*kwargs, "chat_template_kwargs"));
  }
  read_flag(body, "parallel_tool_calls", request.parallel_tool_calls);
}

}  // namespace

GenerateRequest parse_fastchat_request(const json& body) {
  if (!body.is_object()) reject_field("body", "must be a JSON object");
  GenerateRequest request;
  request.echo = true;  // FastChat's worker default
  request.sampling.max_tokens = 256;
  const json* prompt = find_field(body, "prompt");
  if (!prompt) reject_field("prompt", "is required");
  request.prompt = read_string(*prompt, "prompt");
  read_common(body, request);
  read_int(body, "max_new_tokens", 1, kInt32Max, request.sampling.max_tokens);
  // FastChat: greedy when temperature < 1e-5 or top_p < 1e-8.
  if (request.sampling.top_p < 1e-8f && request.sampling.top_p >= 0.0f) {
    request.sampling.temperature = 0.0f;
    request.sampling.top_p = 1.0f;
  }
  // Any non-null logprobs turns on the chosen token's logprob (FastChat's only mode).
  if (const json* logprobs = find_field(body, "logprobs")) {
    request.sampling.logprobs = logprobs->is_number_integer()
                                    ? static_cast<int32_t>(read_integer_in(*logprobs, "logprobs", 0,
                                                                           protocol::kMaxLogprobs))
                                    : 0;
  }
  protocol::validate(request.sampling, std::numeric_limits<int32_t>::max());
  return request;
}

GenerateRequest parse_native_request(const json& body) {
  if (!body.is_object()) reject_field("body", "must be a JSON object");
  GenerateRequest request;
  const json* prompt = find_field(body, "prompt");
  const json* messages = find_field(body, "messages");
  if ((prompt != nullptr) == (messages != nullptr)) {
    reject_field("prompt", "or 'messages' is required (exactly one of them)");
  }
  if (prompt) request.prompt = read_string(*prompt, "prompt");
  if (messages) {
    request.messages = protocol::parse_chat_messages(*messages);
  }
  read_chat_inputs(body, request);
  read_common(body, request);
  auto& sampling = request.sampling;
  read_float(body, "min_p", sampling.min_p);
  if (const json* max_tokens = find_field(body, "max_tokens")) {
    sampling.max_tokens =
        static_cast<int32_t>(read_integer_in(*max_tokens, "max_tokens", 1, kInt32Max));
    request.max_tokens_set = true;
  } else {
    sampling.max_tokens = static_cast<int32_t>(kInt32Max);
  }
  // A default such as completions' 16 travels with max_tokens_set false: clamped, not an error.
  read_flag(body, "max_tokens_set", request.max_tokens_set);
  read_int(body, "min_tokens", 0, kInt32Max, sampling.min_tokens);
  read_flag(body, "ignore_eos", sampling.ignore_eos);
  read_int(body, "logprobs", -1, protocol::kMaxLogprobs, sampling.logprobs);
  if (const json* bias = find_field(body, "logit_bias")) {
    if (!bias->is_array()) reject_field("logit_bias", "must be an array of [token id, bias] pairs");
    for (size_t i = 0; i < bias->size(); ++i) {
      const json& pair = (*bias)[i];
      const std::string path = "logit_bias[" + std::to_string(i) + "]";
      if (!pair.is_array() || pair.size() != 2)
        reject_field(path, "must be a [token id, bias] pair");
      sampling.logit_bias.emplace_back(
          static_cast<int32_t>(read_integer_in(pair[0], path, 0, kInt32Max)),
          static_cast<float>(read_number_in(pair[1], path, kAnyReal)));
    }
  }
  protocol::validate(sampling, std::numeric_limits<int32_t>::max());
  return request;
}

json to_native_json(const GenerateRequest& request) {
  const auto& s = request.sampling;
  json body = {{"temperature", s.temperature},
               {"top_p", s.top_p},
               {"top_k", s.top_k},
               {"min_p", s.min_p},
               {"repetition_penalty", s.repetition_penalty},
               {"presence_penalty", s.presence_penalty},
               {"frequency_penalty", s.frequency_penalty},
               {"min_tokens", s.min_tokens},
               {"ignore_eos", s.ignore_eos},
               {"logprobs", s.logprobs},
               {"stop", s.stop},
               {"stop_token_ids", s.stop_token_ids},
               {"echo", request.echo}};
  if (s.max_tokens < std::numeric_limits<int32_t>::max()) body["max_tokens"] = s.max_tokens;
  body["max_tokens_set"] = request.max_tokens_set;
  if (s.seed) body["seed"] = *s.seed;
  if (!s.logit_bias.empty()) {
    json bias = json::array();
    for (const auto& [id, value] : s.logit_bias) bias.push_back({id, value});
    body["logit_bias"] = std::move(bias);
  }
  if (request.prompt) body["prompt"] = *request.prompt;
  if (request.messages) {
    json messages = json::array();
    for (const auto& m : *request.messages) messages.push_back(json(to_json(m)));
    body["messages"] = std::move(messages);
    if (!request.tools.is_null()) body["tools"] = request.tools.dump();
    if (!request.chat_template_kwargs.empty()) {
      body["chat_template_kwargs"] = request.chat_template_kwargs.dump();
    }
    body["parallel_tool_calls"] = request.parallel_tool_calls;
  }
  return body;
}

}  // namespace fastchat::protocol
