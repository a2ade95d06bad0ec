#include "webserver/api/request_metrics.h"

namespace fastchat::api {

namespace {

double seconds(RequestMetrics::Clock::duration duration) {
  return std::chrono::duration<double>(duration).count();
}

}  // namespace

RequestMetrics::RequestMetrics(ServerMetrics& metrics, std::string model, Clock::time_point started)
    : metrics_(metrics), model_(std::move(model)), started_(started) {}

ServerMetrics::ModelSeries& RequestMetrics::series() {
  if (!series_) series_.emplace(metrics_.model(model_));
  return *series_;
}

void RequestMetrics::on_event(const ChoiceEvent& event, Clock::time_point now) {
  if (event.failure) return;  // from the pool, not from a worker: maybe no such model
  auto& model = series();
  // completion_tokens is cumulative per choice; it grows when this delta brought tokens.
  auto& choice = choices_[event.index];
  if (event.delta.completion_tokens <= choice.tokens) return;
  choice.tokens = event.delta.completion_tokens;
  choice.last_token = now;
  if (!choice.first_token) choice.first_token = now;
  if (!first_token_seen_) {
    first_token_seen_ = true;
    model.time_to_first_token.observe(seconds(now - started_));
  }
}

void RequestMetrics::on_complete(const openai::Usage& usage, Clock::time_point now) {
  auto& model = series();
  model.e2e_latency.observe(seconds(now - started_));
  for (const auto& [index, choice] : choices_) {
    if (choice.first_token && choice.tokens > 1) {
      model.time_per_output_token.observe(seconds(choice.last_token - *choice.first_token) /
                                          (choice.tokens - 1));
    }
  }
  model.prompt_tokens.inc(usage.prompt_tokens);
  model.completion_tokens.inc(usage.completion_tokens);
}

void RequestMetrics::on_client_gone() { series().client_disconnects.inc(); }

}  // namespace fastchat::api
