#pragma once
// One chat completion through OpenAiClient, retried the way rate-limited APIs want: on 429 and
// 5xx answers and on broken connections, after the server's Retry-After when it sends one, else
// after an exponential backoff with jitter. Other errors (a 400, a 404 for an unknown model) are
// not retried: they would fail again.

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "client/openai_client.h"

namespace fastchat::judge {

struct RetryPolicy {
  int max_attempts = 8;  ///< tries in all, the first included
  std::chrono::milliseconds initial_backoff{std::chrono::seconds(1)};
  std::chrono::milliseconds max_backoff{std::chrono::seconds(60)};
};

class ChatCaller {
 public:
  ChatCaller(client::OpenAiClientOptions options, std::string model, RetryPolicy retry);

  /// The assistant's text for `messages` ([{role, content}]). Throws ErrorException naming the
  /// model and the last failure when every attempt failed or the error is not retryable.
  std::string complete(const nlohmann::json& messages, double temperature, int max_tokens) const;

  const std::string& model() const { return model_; }

 private:
  client::OpenAiClient client_;
  std::string model_;
  RetryPolicy retry_;
};

/// Seconds of a Retry-After header ("3", "0.5"); nullopt for an HTTP date or garbage, which
/// fall back to the backoff.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value);

/// The text of choices[0].message.content of a chat completion; throws UpstreamFailed when the
/// answer does not have one.
std::string completion_text(const nlohmann::json& answer);

}  // namespace fastchat::judge
