#pragma once
// The metrics of one generation request (chat or completions), fed by the response writer as
// it forwards the workers' events: time to the first token, per-choice time per output token,
// end-to-end latency and usage once the answer is complete, or a client disconnect. Used by
// the request's handler thread only.

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "protocol/openai/stream_types.h"
#include "webserver/api/choice_runner.h"
#include "webserver/api/server_metrics.h"

namespace fastchat::api {

class RequestMetrics {
 public:
  using Clock = std::chrono::steady_clock;

  /// `started`: when the request arrived (the handler's start).
  RequestMetrics(ServerMetrics& metrics, std::string model,
                 Clock::time_point started = Clock::now());

  /// Each event as the handler takes it from the ChoiceRunner. The first token of the request
  /// is observed as its time to first token; failures before any worker answered leave no
  /// trace (the model may not exist).
  void on_event(const ChoiceEvent& event, Clock::time_point now = Clock::now());
  /// The whole answer went out: end-to-end latency, time per output token of each choice, and
  /// the usage's tokens.
  void on_complete(const openai::Usage& usage, Clock::time_point now = Clock::now());
  /// A streaming client went away before the end.
  void on_client_gone();

 private:
  struct ChoiceTimes {
    std::optional<Clock::time_point> first_token;
    Clock::time_point last_token;
    int tokens = 0;
  };

  /// The model's series, created on first use: only once a worker has answered for the model.
  ServerMetrics::ModelSeries& series();

  ServerMetrics& metrics_;
  const std::string model_;
  const Clock::time_point started_;
  std::optional<ServerMetrics::ModelSeries> series_;
  bool first_token_seen_ = false;
  std::map<int, ChoiceTimes> choices_;  // by choice index
};

}  // namespace fastchat::api
