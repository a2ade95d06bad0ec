// POST /v1/chat/completions and /v1/completions bodies: parse_chat_completion_request and
// parse_completion_request must accept or refuse any bytes with ErrorException, nothing else.
// What the server accepts it forwards to a worker as the native protocol's JSON
// (openai_service.cpp builds the GenerateRequest this way); the worker's parse_native_request
// must accept it too, or a valid OpenAI request would fail upstream.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "protocol/generate_request.h"
#include "protocol/openai/chat_request.h"
#include "protocol/openai/completion_request.h"

using namespace fastchat;

namespace {

void check_forwardable(const protocol::GenerateRequest& request, const char* endpoint) {
  std::string body;
  try {
    // As WorkerPool::generate serializes it (a plain dump, which throws on invalid UTF-8).
    body = protocol::to_native_json(request).dump();
    (void)protocol::parse_native_request(nlohmann::json::parse(body));
  } catch (const std::exception& e) {
    fuzz::fail(std::string(endpoint) + " accepted a request the worker refuses: " + e.what() +
               "\nforwarded: " + body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  fuzz::expect_ok_or_error("parse_chat_completion_request", [&] {
    auto parsed = openai::parse_chat_completion_request(body);
    fuzz::check(!parsed.raw_prompt || parsed.messages.empty(),
                "chat request has both raw_prompt and messages");
    fuzz::check(parsed.top_logprobs >= 0 && parsed.top_logprobs <= 20,
                "top_logprobs out of [0, 20]");
    fuzz::check(parsed.options.n >= 1, "n < 1 accepted");
    protocol::GenerateRequest request;
    if (parsed.raw_prompt) {
      request.prompt = parsed.raw_prompt;
    } else {
      request.messages = parsed.messages;
    }
    request.sampling = parsed.options.sampling;
    request.max_tokens_set = parsed.options.max_tokens_set;
    check_forwardable(request, "/v1/chat/completions");
  });
  fuzz::expect_ok_or_error("parse_completion_request", [&] {
    auto parsed = openai::parse_completion_request(body);
    fuzz::check(!parsed.prompts.empty(), "completion request without prompts");
    fuzz::check(parsed.prompts.size() <= openai::kMaxPrompts, "more than kMaxPrompts prompts");
    fuzz::check(parsed.logprobs >= -1 && parsed.logprobs <= 20, "logprobs out of [-1, 20]");
    protocol::GenerateRequest request;
    request.prompt = parsed.prompts.front();
    request.echo = parsed.echo;
    request.sampling = parsed.options.sampling;
    request.max_tokens_set = parsed.options.max_tokens_set;
    check_forwardable(request, "/v1/completions");
  });
  return 0;
}
