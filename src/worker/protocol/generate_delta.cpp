#include "worker/protocol/generate_delta.h"

#include <nlohmann/json.hpp>

namespace fastchat::protocol {

using nlohmann::json;

std::string to_line(const GenerateDelta& delta) {
  json line = {{"text", delta.text},
               {"token_ids", delta.token_ids},
               {"prompt_tokens", delta.prompt_tokens},
               {"completion_tokens", delta.completion_tokens}};
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
  throw_error(ErrorCode::UpstreamFailed,
              "the worker sent a malformed stream line (" + why + "): " +
                  std::string(line.substr(0, 120)));
}

}  // namespace

GenerateDelta parse_delta_line(std::string_view line) {
  json value = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) bad_line(line, "not a JSON object");
  GenerateDelta delta;
  try {
    delta.text = value.value("text", std::string());
    delta.token_ids = value.value("token_ids", std::vector<int32_t>());
    delta.prompt_tokens = value.value("prompt_tokens", 0);
    delta.completion_tokens = value.value("completion_tokens", 0);
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
