#include "protocol/openai/completion_request.h"

#include "common/json/json_fields.h"
#include "protocol/openai/request_body.h"

namespace fastchat::openai {
namespace {

using nlohmann::json;

[[noreturn]] void reject_token_ids(const std::string& param) {
  reject_field(param,
               "holds token ids, which are not supported: the API server has no tokenizer to "
               "decode them; send the prompt as text");
}

void read_prompts(const json& body, CompletionRequest& request) {
  const json* prompt = find_field(body, "prompt");
  if (!prompt) reject_field("prompt", "is required");
  if (prompt->is_string()) {
    request.prompts = {prompt->get<std::string>()};
    return;
  }
  if (!prompt->is_array()) {
    reject_field("prompt", std::string("must be a string or an array of strings, got ") +
                               prompt->type_name());
  }
  if (prompt->empty()) reject_field("prompt", "must not be an empty array");
  // [1, 2, 3] is one tokenized prompt and [[1, 2], [3]] a list of them: both name `prompt`.
  const json& first = prompt->front();
  if (first.is_number_integer() || first.is_array()) reject_token_ids("prompt");
  if (prompt->size() > kMaxPrompts) {
    reject_field("prompt", "must have at most " + std::to_string(kMaxPrompts) + " prompts, got " +
                               std::to_string(prompt->size()));
  }
  request.prompts.reserve(prompt->size());
  for (std::size_t i = 0; i < prompt->size(); ++i) {
    const std::string path = "prompt[" + std::to_string(i) + "]";
    const json& element = (*prompt)[i];
    if (element.is_number_integer() || element.is_array()) reject_token_ids(path);
    request.prompts.push_back(read_string(element, path));
  }
}

void reject_unsupported(const json& body, const CompletionRequest& request) {
  if (const json* suffix = find_field(body, "suffix")) {
    if (!(suffix->is_string() && suffix->get_ref<const std::string&>().empty())) {
      reject_field("suffix",
                   "is not supported: this server does not do insertion "
                   "(fill-in-the-middle) completions");
    }
  }
  if (const json* best_of = find_field(body, "best_of")) {
    const int64_t value = read_integer(*best_of, "best_of");
    if (value < 1) reject_field("best_of", "must be at least 1, got " + describe_value(*best_of));
    if (value > 1) {
      reject_field("best_of",
                   "> 1 is not supported: generate with 'n' and rank the choices "
                   "client-side");
    }
  }
  if (const json* beam = find_field(body, "use_beam_search")) {
    if (read_bool(*beam, "use_beam_search")) {
      reject_field("use_beam_search", "is not supported: this server only samples");
    }
  }
  if (request.echo && request.logprobs >= 0) {
    reject_field("echo",
                 "together with 'logprobs' is not supported: it needs the prompt tokens' "
                 "logprobs, which this server does not compute");
  }
}

}  // namespace

CompletionRequest parse_completion_request(std::string_view body) {
  const json parsed = parse_request_body(body);
  CompletionRequest request;
  request.model = parse_model_name(parsed);
  read_prompts(parsed, request);
  request.options = parse_generation_options(parsed, kCompletionDefaultMaxTokens);
  if (const json* echo = find_field(parsed, "echo")) request.echo = read_bool(*echo, "echo");
  if (const json* logprobs = find_field(parsed, "logprobs")) {
    request.logprobs =
        static_cast<int>(read_integer_in(*logprobs, "logprobs", 0, protocol::kMaxLogprobs));
  }
  request.options.sampling.logprobs = request.logprobs;
  reject_unsupported(parsed, request);
  return request;
}

}  // namespace fastchat::openai
