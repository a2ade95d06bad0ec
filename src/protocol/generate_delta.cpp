#include "protocol/generate_delta.h"

#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

namespace fastchat::protocol {

using nlohmann::json;

std::string to_line(const GenerateDelta& delta) {
  json line = {{"text", delta.text},
               {"token_ids", delta.token_ids},
               {"prompt_tokens", delta.prompt_tokens},
               {"completion_tokens", delta.completion_tokens}};
  if (!delta.reasoning.empty()) line["reasoning"] = delta.reasoning;
  if (!delta.tool_calls.empty()) {
    json calls = json::array();
    for (const auto& call : delta.tool_calls) {
      json entry = {{"index", call.index}, {"arguments", call.arguments}};
      if (!call.id.empty()) entry["id"] = call.id;
      if (!call.name.empty()) entry["name"] = call.name;
      calls.push_back(std::move(entry));
    }
    line["tool_calls"] = std::move(calls);
  }
  if (!delta.logprobs.empty()) {
    json logprobs = json::array();
    for (const auto& entry : delta.logprobs) {
      json top = json::array();
      for (const auto& [token, logprob] : entry.top) top.push_back({token, logprob});
      logprobs.push_back({{"token", entry.token}, {"logprob", entry.logprob}, {"top", top}});
    }
    line["logprobs"] = std::move(logprobs);
  }
  line["finish_reason"] = delta.finish_reason ? json(*delta.finish_reason) : json(nullptr);
  if (delta.error) {
    line["error"] = {{"code", std::string(error_type(delta.error->code))},
                     {"message", delta.error->message},
                     {"param", delta.error->param}};
  }
  return line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {

[[noreturn]] void bad_line(std::string_view line, const std::string& why) {
  throw_error(ErrorCode::UpstreamFailed, "the worker sent a malformed stream line (" + why +
                                             "): " + std::string(line.substr(0, 120)));
}

// An int32 field. nlohmann's get<int32_t>() converts any number unchecked, and a float outside
// the range (1e10) is undefined behaviour; found by tests/fuzz/fuzz_stream_parsers.
int32_t read_int32(std::string_view line, const json& value, const char* field) {
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() <= static_cast<uint64_t>(kMax)) return value.get<int32_t>();
  } else if (value.is_number_integer()) {
    const auto v = value.get<int64_t>();
    if (v >= kMin && v <= kMax) return static_cast<int32_t>(v);
  }
  bad_line(line, std::string(field) + " is not a 32-bit integer");
}

int32_t read_int32_field(std::string_view line, const json& object, const char* field) {
  auto it = object.find(field);
  return it == object.end() ? 0 : read_int32(line, *it, field);
}

std::vector<ToolCallDelta> read_tool_calls(std::string_view line, const json& calls) {
  if (!calls.is_array()) bad_line(line, "tool_calls is not an array");
  std::vector<ToolCallDelta> out;
  for (const auto& call : calls) {
    if (!call.is_object()) bad_line(line, "a tool call is not an object");
    ToolCallDelta delta;
    delta.index = read_int32_field(line, call, "index");
    if (delta.index < 0) bad_line(line, "a tool call's index is negative");
    delta.id = call.value("id", std::string());
    delta.name = call.value("name", std::string());
    delta.arguments = call.value("arguments", std::string());
    out.push_back(std::move(delta));
  }
  return out;
}

}  // namespace

GenerateDelta parse_delta_line(std::string_view line) {
  json value = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) bad_line(line, "not a JSON object");
  GenerateDelta delta;
  try {
    delta.text = value.value("text", std::string());
    delta.reasoning = value.value("reasoning", std::string());
    if (auto it = value.find("tool_calls"); it != value.end()) {
      delta.tool_calls = read_tool_calls(line, *it);
    }
    if (auto it = value.find("token_ids"); it != value.end()) {
      if (!it->is_array()) bad_line(line, "token_ids is not an array");
      for (const auto& id : *it) delta.token_ids.push_back(read_int32(line, id, "token_ids"));
    }
    delta.prompt_tokens = read_int32_field(line, value, "prompt_tokens");
    delta.completion_tokens = read_int32_field(line, value, "completion_tokens");
    if (auto it = value.find("logprobs"); it != value.end() && it->is_array()) {
      for (const auto& entry : *it) {
        TokenLogprob logprob;
        logprob.token = entry.at("token").get<std::string>();
        logprob.logprob = entry.at("logprob").get<float>();
        for (const auto& top : entry.at("top")) {
          logprob.top.emplace_back(top.at(0).get<std::string>(), top.at(1).get<float>());
        }
        delta.logprobs.push_back(std::move(logprob));
      }
    }
    if (auto it = value.find("finish_reason"); it != value.end() && it->is_string()) {
      delta.finish_reason = it->get<std::string>();
    }
    if (auto it = value.find("error"); it != value.end() && it->is_object()) {
      delta.error = Error{error_code_from_type(it->value("code", std::string())),
                          it->value("message", std::string("worker error")),
                          it->value("param", std::string())};
    }
  } catch (const json::exception& e) {
    bad_line(line, e.what());
  }
  return delta;
}

std::vector<std::string> FrameSplitter::push(std::string_view data) {
  std::vector<std::string> frames;
  buffer_.append(data);
  size_t start = 0;
  for (size_t end; (end = buffer_.find(delimiter_, start)) != std::string::npos; start = end + 1) {
    if (end > start) frames.emplace_back(buffer_, start, end - start);
  }
  buffer_.erase(0, start);
  return frames;
}

}  // namespace fastchat::protocol
