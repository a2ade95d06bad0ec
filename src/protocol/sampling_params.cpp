#include "protocol/sampling_params.h"

#include <sstream>

#include "common/error/error.h"

namespace fastchat::protocol {
namespace {

template <typename T>
[[noreturn]] void reject(const std::string& field, const std::string& rule, const T& value) {
  std::ostringstream message;
  message << field << " must be " << rule << ", got " << value;
  throw_error(ErrorCode::InvalidRequest, message.str(), field);
}

// Comparisons are written so that NaN fails them: `!(x >= lo && x <= hi)`.
void check_range(const std::string& field, float value, float lo, float hi) {
  if (!(value >= lo && value <= hi)) {
    std::ostringstream rule;
    rule << "between " << lo << " and " << hi;
    reject(field, rule.str(), value);
  }
}

void check_token(const std::string& field, int32_t token, int32_t vocab_size) {
  if (token < 0 || token >= vocab_size) {
    reject(field, "a token id in [0, " + std::to_string(vocab_size) + ")", token);
  }
}

}  // namespace

void validate(const SamplingParams& params, int32_t vocab_size) {
  check_range("temperature", params.temperature, 0.0f, kMaxTemperature);
  if (!(params.top_p > 0.0f && params.top_p <= 1.0f)) {
    reject("top_p", "in (0, 1]", params.top_p);
  }
  if (params.top_k < -1) reject("top_k", "-1 (off), 0 (off) or >= 1", params.top_k);
  check_range("min_p", params.min_p, 0.0f, 1.0f);
  if (!(params.repetition_penalty > 0.0f) || params.repetition_penalty > 1e6f) {
    reject("repetition_penalty", "positive", params.repetition_penalty);
  }
  check_range("presence_penalty", params.presence_penalty, -kMaxAdditivePenalty,
              kMaxAdditivePenalty);
  check_range("frequency_penalty", params.frequency_penalty, -kMaxAdditivePenalty,
              kMaxAdditivePenalty);
  if (params.logit_bias.size() > kMaxLogitBiasEntries) {
    reject("logit_bias", "at most " + std::to_string(kMaxLogitBiasEntries) + " entries",
           params.logit_bias.size());
  }
  for (const auto& [token, bias] : params.logit_bias) {
    check_token("logit_bias", token, vocab_size);
    check_range("logit_bias", bias, -kMaxLogitBias, kMaxLogitBias);
  }
  if (params.logprobs < -1 || params.logprobs > kMaxLogprobs) {
    reject("logprobs", "-1 (none) or between 0 and " + std::to_string(kMaxLogprobs),
           params.logprobs);
  }
  if (params.max_tokens < 1) reject("max_tokens", "at least 1", params.max_tokens);
  if (params.min_tokens < 0 || params.min_tokens > params.max_tokens) {
    reject("min_tokens", "between 0 and max_tokens (" + std::to_string(params.max_tokens) + ")",
           params.min_tokens);
  }
  if (params.stop.size() > kMaxStopStrings) {
    reject("stop", "at most " + std::to_string(kMaxStopStrings) + " strings", params.stop.size());
  }
  for (const auto& stop : params.stop) {
    if (stop.empty()) reject("stop", "non-empty strings", "\"\"");
  }
  for (int32_t token : params.stop_token_ids) check_token("stop_token_ids", token, vocab_size);
}

}  // namespace fastchat::protocol
