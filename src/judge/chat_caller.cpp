#include "judge/chat_caller.h"

#include <algorithm>
#include <charconv>
#include <random>
#include <thread>

#include <spdlog/spdlog.h>

#include "common/error/error.h"
#include "common/error/error_envelope.h"
#include "common/http/http_client.h"

namespace fastchat::judge {

namespace {

bool retryable_status(int status) { return status == 429 || status >= 500; }

// Exponential backoff with "equal jitter": half fixed, half random, so parallel workers that
// failed together do not retry together.
std::chrono::milliseconds backoff(const RetryPolicy& policy, int attempt) {
  const auto doubled = policy.initial_backoff * (int64_t{1} << std::min(attempt, 20));
  const auto capped = std::min<std::chrono::milliseconds>(doubled, policy.max_backoff);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<int64_t> jitter(0, capped.count() / 2);
  return std::chrono::milliseconds(capped.count() - capped.count() / 2 + jitter(rng));
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  double seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || seconds < 0 || value.empty()) {
    return std::nullopt;
  }
  // A server asking for more than an hour is not one to wait for blindly.
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(seconds, 3600.0) * 1000));
}

std::string completion_text(const nlohmann::json& answer) {
  const auto* choices =
      answer.is_object() && answer.contains("choices") ? &answer["choices"] : nullptr;
  if (choices != nullptr && choices->is_array() && !choices->empty()) {
    const auto& message = (*choices)[0].value("message", nlohmann::json::object());
    if (message.is_object() && message.contains("content") && message["content"].is_string()) {
      return message["content"].get<std::string>();
    }
  }
  throw_error(ErrorCode::UpstreamFailed,
              "the answer has no choices[0].message.content: " + answer.dump().substr(0, 200));
}

ChatCaller::ChatCaller(client::OpenAiClientOptions options, std::string model, RetryPolicy retry)
    : client_(std::move(options)), model_(std::move(model)), retry_(retry) {}

std::string ChatCaller::complete(const nlohmann::json& messages, double temperature,
                                 int max_tokens) const {
  const nlohmann::json request = {{"model", model_},
                                  {"messages", messages},
                                  {"temperature", temperature},
                                  {"max_tokens", max_tokens}};
  const std::string body = request.dump();
  std::string last_failure;
  for (int attempt = 0; attempt < retry_.max_attempts; ++attempt) {
    std::optional<std::chrono::milliseconds> wait;
    try {
      const auto response = client_.post_response("/chat/completions", body);
      if (response.status == 200) {
        auto answer = nlohmann::json::parse(response.body, nullptr, false);
        return completion_text(answer);
      }
      last_failure = describe_error_response(response.status, response.body);
      if (!retryable_status(response.status)) break;
      if (auto header = http::find_header(response.headers, "Retry-After")) {
        wait = parse_retry_after(*header);
      }
    } catch (const http::ClientError& e) {
      last_failure = e.what();
    }
    if (attempt + 1 == retry_.max_attempts) break;
    const auto delay = wait.value_or(backoff(retry_, attempt));
    spdlog::warn("{}: {}; retrying in {} ms", model_, last_failure, delay.count());
    std::this_thread::sleep_for(delay);
  }
  throw_error(ErrorCode::UpstreamFailed, "model '" + model_ + "': " + last_failure);
}

}  // namespace fastchat::judge
