#pragma once
// The channel from the engine thread to one request's consumer (CLI, HTTP session): the engine
// pushes sampled tokens and the finish; the consumer takes everything pending at once, so a
// slow consumer costs the engine nothing but a queue append. Thread-safe.

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "worker/sampling/sampled_token.h"

namespace fastchat::engine {

enum class FinishReason { Stop, Length, Abort, Error, Timeout };

/// "stop", "length", "abort", "error", "timeout" (the first two are FastChat's and OpenAI's).
const char* to_string(FinishReason reason);

struct TokenEvent {
  int32_t token = 0;
  float logprob = 0.0f;  // NaN unless logprobs were requested
  std::vector<sampling::TopLogprob> top_logprobs;
  /// An EOS or stop_token_ids token: counted, but not part of the text.
  bool is_stop_token = false;
};

struct StreamUpdate {
  std::vector<TokenEvent> tokens;
  std::optional<FinishReason> finish;
  std::string error;  // set with FinishReason::Error
  /// An embedding request's vector, with its Stop finish.
  std::vector<float> embedding;
};

class RequestStream {
 public:
  explicit RequestStream(uint64_t id) : id_(id) {}
  uint64_t id() const { return id_; }

  // Engine side.
  void push(TokenEvent token, std::optional<FinishReason> finish);
  void finish(FinishReason reason, std::string error = {});
  /// Ends an embedding request with its vector.
  void finish_with_embedding(std::vector<float> embedding);

  // Consumer side: blocks until something is pending.
  StreamUpdate next();
  bool finished() const;

 private:
  StreamUpdate take_locked();

  const uint64_t id_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  StreamUpdate pending_;
  bool finished_ = false;
};

}  // namespace fastchat::engine
