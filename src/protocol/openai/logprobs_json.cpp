#include "protocol/openai/logprobs_json.h"

#include <cmath>

namespace fastchat::openai {
namespace {

using nlohmann::json;

double finite_logprob(float logprob) {
  return std::isfinite(logprob) ? static_cast<double>(logprob) : kMinLogprob;
}

json utf8_bytes(std::string_view token) {
  json bytes = json::array();
  for (const char c : token) bytes.push_back(static_cast<unsigned char>(c));
  return bytes;
}

json chat_token(std::string_view token, float logprob) {
  return json{{"token", token}, {"logprob", finite_logprob(logprob)}, {"bytes", utf8_bytes(token)}};
}

}  // namespace

json chat_logprobs(const std::vector<TokenLogprob>& tokens) {
  json content = json::array();
  for (const TokenLogprob& token : tokens) {
    json entry = chat_token(token.token, token.logprob);
    json top = json::array();
    for (const auto& [text, logprob] : token.top) top.push_back(chat_token(text, logprob));
    entry["top_logprobs"] = std::move(top);
    content.push_back(std::move(entry));
  }
  return json{{"content", std::move(content)}};
}

json completion_logprobs(const std::vector<TokenLogprob>& tokens, std::size_t text_offset) {
  json texts = json::array();
  json logprobs = json::array();
  json tops = json::array();
  json offsets = json::array();
  for (const TokenLogprob& token : tokens) {
    texts.push_back(token.token);
    logprobs.push_back(finite_logprob(token.logprob));
    // An object keyed by token text, as OpenAI sends it; alternatives that decode to the same
    // text collapse into one key (the first, most likely, wins).
    json top = json::object();
    for (const auto& [text, logprob] : token.top) {
      if (!top.contains(text)) top[text] = finite_logprob(logprob);
    }
    tops.push_back(std::move(top));
    offsets.push_back(text_offset);
    text_offset += utf8_length(token.token);
  }
  return json{{"tokens", std::move(texts)},
              {"token_logprobs", std::move(logprobs)},
              {"top_logprobs", std::move(tops)},
              {"text_offset", std::move(offsets)}};
}

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace fastchat::openai
