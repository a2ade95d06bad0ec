#pragma once
// What the engine reports about each request as it ends, for metrics. The observer is called
// on the engine thread, so implementations must be cheap and must not call back into the
// engine (an atomic increment or a histogram observation, nothing that blocks).

#include <cstdint>
#include <optional>

#include "worker/engine/request_stream.h"

namespace fastchat::engine {

struct RequestRecord {
  FinishReason reason = FinishReason::Stop;
  int32_t prompt_tokens = 0;
  int32_t output_tokens = 0;
  /// Prompt tokens whose keys and values came from the prefix cache at admission.
  int32_t cached_prompt_tokens = 0;
  /// Submit to first scheduling; unset when the request never started.
  std::optional<double> queue_seconds;
  /// Submit to the first sampled token; unset when no token was produced.
  std::optional<double> first_token_seconds;
  /// Submit to finish.
  double total_seconds = 0.0;
};

class EngineObserver {
 public:
  virtual ~EngineObserver() = default;
  virtual void on_request_finished(const RequestRecord& record) = 0;
};

}  // namespace fastchat::engine
