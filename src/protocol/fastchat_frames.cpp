#include "protocol/fastchat_frames.h"

namespace fastchat::protocol {

using nlohmann::json;

int fastchat_error_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidRequest:
      return 40302;
    case ErrorCode::ContextLengthExceeded:
      return 40303;
    case ErrorCode::Unauthorized:
      return 40101;
    case ErrorCode::Forbidden:
      return 40103;
    case ErrorCode::NotFound:
      return 40301;
    case ErrorCode::Overloaded:
      return 42903;
    case ErrorCode::Unavailable:
      return 50005;
    case ErrorCode::UpstreamTimeout:
      return 50006;
    default:
      return 50001;
  }
}

json FastChatFrames::add(const protocol::GenerateDelta& delta) {
  if (delta.error) return error(*delta.error);
  text_ += delta.text;
  if (!delta.logprobs.empty()) {
    if (logprobs_.is_null()) {
      logprobs_ = {{"text_offset", json::array()},
                   {"tokens", json::array()},
                   {"token_logprobs", json::array()},
                   {"top_logprobs", json::array()}};
    }
    size_t offset = 0;
    if (!logprobs_["text_offset"].empty()) {
      offset = logprobs_["text_offset"].back().get<size_t>() +
               logprobs_["tokens"].back().get_ref<const std::string&>().size();
    }
    for (const auto& entry : delta.logprobs) {
      json top = json::object();
      for (const auto& [token, logprob] : entry.top) top[token] = logprob;
      logprobs_["text_offset"].push_back(offset);
      logprobs_["tokens"].push_back(entry.token);
      logprobs_["token_logprobs"].push_back(entry.logprob);
      logprobs_["top_logprobs"].push_back(std::move(top));
      offset += entry.token.size();
    }
  }
  return {{"text", text_},
          {"error_code", 0},
          {"usage",
           {{"prompt_tokens", delta.prompt_tokens},
            {"completion_tokens", delta.completion_tokens},
            {"total_tokens", delta.prompt_tokens + delta.completion_tokens}}},
          {"finish_reason", delta.finish_reason ? json(*delta.finish_reason) : json(nullptr)},
          {"logprobs", logprobs_}};
}

json FastChatFrames::error(const Error& error) {
  return {{"text", error.message}, {"error_code", fastchat_error_code(error.code)}};
}

std::string FastChatFrames::encode(const json& frame) {
  std::string out = frame.dump(-1, ' ', false, json::error_handler_t::replace);
  out.push_back('\0');
  return out;
}

}  // namespace fastchat::protocol
