#include "protocol/openai/generation_options.h"

#include <charconv>
#include <optional>
#include <utility>

#include "common/json/json_fields.h"

namespace fastchat::openai {
namespace {

using nlohmann::json;
using protocol::SamplingParams;

// OpenAI's ranges. SamplingParams allows temperature up to 100; the API keeps OpenAI's contract.
const Interval kTemperatureRange{0.0, 2.0};
const Interval kTopPRange{0.0, 1.0, /*lo_open=*/true};
const Interval kMinPRange{0.0, 1.0};
const Interval kPenaltyRange{-protocol::kMaxAdditivePenalty, protocol::kMaxAdditivePenalty};
const Interval kLogitBiasRange{-protocol::kMaxLogitBias, protocol::kMaxLogitBias};
// repetition_penalty (an extension) divides logits, so 0 is excluded; the cap matches
// protocol::validate.
const Interval kRepetitionPenaltyRange{0.0, 1e6, /*lo_open=*/true};

constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

// Reads `name` as a float in `range` into `target`, when given.
void read_float_field(const json& body, const char* name, const Interval& range, float& target) {
  if (const json* value = find_field(body, name)) {
    target = static_cast<float>(read_number_in(*value, name, range));
  }
}

void read_stop(const json& value, SamplingParams& sampling) {
  if (value.is_string()) {
    if (value.get_ref<const std::string&>().empty()) reject_field("stop", "must not be empty");
    sampling.stop = {value.get<std::string>()};
    return;
  }
  if (!value.is_array()) {
    reject_field("stop",
                 std::string("must be a string or an array of strings, got ") + value.type_name());
  }
  if (value.size() > protocol::kMaxStopStrings) {
    reject_field("stop", "must have at most " + std::to_string(protocol::kMaxStopStrings) +
                             " strings, got " + std::to_string(value.size()));
  }
  sampling.stop.clear();
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string path = "stop[" + std::to_string(i) + "]";
    const std::string& stop = read_string(value[i], path);
    if (stop.empty()) reject_field(path, "must not be empty");
    sampling.stop.push_back(stop);
  }
}

// Token ids come as object keys ("50256"), so they are parsed from strings: plain decimal digits
// only (no sign, spaces or exponent), within int32. The id's upper bound (vocab size) is checked
// by the worker, which knows it.
int32_t parse_token_id(const std::string& key) {
  int32_t id = -1;
  const char* end = key.data() + key.size();
  const auto [ptr, ec] = std::from_chars(key.data(), end, id);
  const bool digits_only = !key.empty() && key.front() != '-' && key.front() != '+';
  if (!digits_only || ec != std::errc() || ptr != end || id < 0) {
    reject_field("logit_bias", "keys must be token ids (non-negative integers as strings), got \"" +
                                   key.substr(0, 40) + "\"");
  }
  return id;
}

void read_logit_bias(const json& value, SamplingParams& sampling) {
  if (!value.is_object()) {
    reject_field("logit_bias", std::string("must be an object mapping token ids to biases, got ") +
                                   value.type_name());
  }
  if (value.size() > protocol::kMaxLogitBiasEntries) {
    reject_field("logit_bias", "must have at most " +
                                   std::to_string(protocol::kMaxLogitBiasEntries) +
                                   " entries, got " + std::to_string(value.size()));
  }
  sampling.logit_bias.clear();
  for (const auto& [key, bias] : value.items()) {
    const int32_t id = parse_token_id(key);
    const double number = read_number_in(bias, "logit_bias." + key, kLogitBiasRange);
    sampling.logit_bias.emplace_back(id, static_cast<float>(number));
  }
}

// seed: OpenAI documents an integer; negatives are kept distinct by the two's complement cast.
uint64_t read_seed(const json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  return static_cast<uint64_t>(read_integer(value, "seed"));
}

void read_max_tokens(const json& body, GenerationOptions& options) {
  const json* max_tokens = find_field(body, "max_tokens");
  const json* max_completion_tokens = find_field(body, "max_completion_tokens");
  std::optional<int64_t> legacy;
  std::optional<int64_t> current;
  if (max_tokens) legacy = read_integer_in(*max_tokens, "max_tokens", 1, kInt32Max);
  if (max_completion_tokens) {
    current = read_integer_in(*max_completion_tokens, "max_completion_tokens", 1, kInt32Max);
  }
  if (legacy && current && *legacy != *current) {
    reject_field("max_completion_tokens", "(" + std::to_string(*current) + ") and 'max_tokens' (" +
                                              std::to_string(*legacy) +
                                              ") disagree; give one of them");
  }
  if (legacy || current) {
    options.sampling.max_tokens = static_cast<int32_t>(current ? *current : *legacy);
    options.max_tokens_set = true;
  }
}

void read_stream(const json& body, GenerationOptions& options) {
  if (const json* stream = find_field(body, "stream")) {
    options.stream = read_bool(*stream, "stream");
  }
  const json* stream_options = find_field(body, "stream_options");
  if (!stream_options) return;
  if (!options.stream) {
    reject_field("stream_options", "is only allowed when 'stream' is true");
  }
  if (!stream_options->is_object()) {
    reject_field("stream_options",
                 std::string("must be an object, got ") + stream_options->type_name());
  }
  if (const json* include_usage = find_field(*stream_options, "include_usage")) {
    options.include_usage = read_bool(*include_usage, "stream_options.include_usage");
  }
}

void reject_unsupported_response_format(const json& body) {
  const json* format = find_field(body, "response_format");
  if (!format) return;
  const json* type = format->is_object() ? find_field(*format, "type") : nullptr;
  if (type && type->is_string() && type->get_ref<const std::string&>() == "text") return;
  // describe_value quotes short strings; longer ones and non-strings are named by type.
  const std::string what = describe_value(type && type->is_string() ? *type : *format);
  reject_field("response_format", "of type " + what +
                                      " is not supported: structured output (JSON mode) is not "
                                      "implemented; only {\"type\": \"text\"} is accepted");
}

}  // namespace

GenerationOptions parse_generation_options(const json& body, int32_t default_max_tokens) {
  GenerationOptions options;
  SamplingParams& sampling = options.sampling;
  sampling.max_tokens = default_max_tokens;

  read_float_field(body, "temperature", kTemperatureRange, sampling.temperature);
  read_float_field(body, "top_p", kTopPRange, sampling.top_p);
  if (const json* top_k = find_field(body, "top_k")) {
    const int64_t k = read_integer(*top_k, "top_k");
    if (k < -1 || k > kInt32Max) {
      reject_field("top_k", "must be -1 or 0 (off), or in [1, " + std::to_string(kInt32Max) +
                                "], got " + describe_value(*top_k));
    }
    sampling.top_k = k == 0 ? -1 : static_cast<int32_t>(k);
  }
  read_float_field(body, "min_p", kMinPRange, sampling.min_p);
  read_float_field(body, "presence_penalty", kPenaltyRange, sampling.presence_penalty);
  read_float_field(body, "frequency_penalty", kPenaltyRange, sampling.frequency_penalty);
  read_float_field(body, "repetition_penalty", kRepetitionPenaltyRange,
                   sampling.repetition_penalty);
  if (const json* n = find_field(body, "n")) {
    options.n = static_cast<int>(read_integer_in(*n, "n", 1, kMaxChoices));
  }
  read_max_tokens(body, options);
  if (const json* min_tokens = find_field(body, "min_tokens")) {
    // Bounded by max_tokens when that is known here. With chat's unbounded default, whoever
    // lowers max_tokens to the remaining context must lower min_tokens with it.
    sampling.min_tokens =
        static_cast<int32_t>(read_integer_in(*min_tokens, "min_tokens", 0, sampling.max_tokens));
  }
  if (const json* ignore_eos = find_field(body, "ignore_eos")) {
    sampling.ignore_eos = read_bool(*ignore_eos, "ignore_eos");
  }
  if (const json* stop = find_field(body, "stop")) read_stop(*stop, sampling);
  if (const json* seed = find_field(body, "seed")) sampling.seed = read_seed(*seed);
  if (const json* bias = find_field(body, "logit_bias")) read_logit_bias(*bias, sampling);
  read_stream(body, options);
  if (const json* user = find_field(body, "user")) options.user = read_string(*user, "user");
  reject_unsupported_response_format(body);
  return options;
}

}  // namespace fastchat::openai
