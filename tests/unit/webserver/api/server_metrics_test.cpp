// fastchat-server's metrics without any network: instrument() counting statuses the way the
// router answers them, and RequestMetrics turning a request's events into latencies and tokens.

#include "webserver/api/server_metrics.h"

#include <gtest/gtest.h>

#include "metrics_checks.h"
#include "server_series.h"
#include "webserver/api/request_metrics.h"

namespace fastchat::api {
namespace {

using fastchat::testing::sample_value;
using namespace std::chrono_literals;

using namespace fastchat::api::testing;

struct NullResponder : http::Responder {
  std::optional<http::Response> response;
  void send(http::Response r) override { response = std::move(r); }
  std::shared_ptr<http::ResponseStream> stream(int, std::string, http::Headers) override {
    return nullptr;
  }
  bool responded() const override { return response.has_value(); }
};

void call(const http::Handler& handler) {
  NullResponder out;
  http::Request request;
  try {
    handler(request, out);
  } catch (...) {  // the router would render it; only the counting matters here
  }
}

TEST(ServerMetrics, InstrumentCountsEachRequestUnderTheStatusTheClientGets) {
  ServerMetrics metrics;
  double in_flight_inside = -1;
  call(metrics.instrument("/v1/models", [&](const http::Request&, http::Responder& out) {
    in_flight_inside =
        sample_value(metrics.render(), "fastchat_server_requests_in_flight").value_or(-1);
    out.send(http::Response::text(200, "ok"));
  }));
  auto overloaded = metrics.instrument(
      "/v1/completions",
      [](const http::Request&, http::Responder&) { throw_error(ErrorCode::Overloaded, "busy"); });
  call(overloaded);
  call(overloaded);
  call(metrics.instrument("/v1/completions", [](const http::Request&, http::Responder&) {
    throw std::runtime_error("bug");
  }));
  call(metrics.instrument("/v1/completions", [](const http::Request&, http::Responder&) {}));
  call(metrics.instrument("/v1/chat/completions", [](const http::Request&, http::Responder&) {
    throw_error(ErrorCode::NotFound, "no such model", "model");
  }));

  const auto text = metrics.render();
  EXPECT_EQ(in_flight_inside, 1);
  EXPECT_EQ(sample_value(text, "fastchat_server_requests_in_flight"), 0);
  EXPECT_EQ(sample_value(text, requests("/v1/models", 200)), 1);
  EXPECT_EQ(sample_value(text, requests("/v1/completions", 429)), 2);
  EXPECT_EQ(sample_value(text, requests("/v1/completions", 500)), 2)
      << "an escaping exception and a handler that answered nothing are both 500s";
  EXPECT_EQ(sample_value(text, requests("/v1/chat/completions", 404)), 1);
  EXPECT_EQ(sample_value(text, rejected("/v1/completions")), 2);
  EXPECT_FALSE(sample_value(text, rejected("/v1/models")));
}

ChoiceEvent tokens(int index, int completion_tokens, int prompt_tokens = 5) {
  ChoiceEvent event;
  event.index = index;
  event.delta.prompt_tokens = prompt_tokens;
  event.delta.completion_tokens = completion_tokens;
  return event;
}

TEST(RequestMetrics, FirstTokenPerRequestTimePerTokenPerChoiceAndUsageOnCompletion) {
  ServerMetrics metrics;
  const auto t0 = RequestMetrics::Clock::now();
  RequestMetrics request(metrics, "m", t0);
  request.on_event(tokens(0, 0), t0 + 50ms);   // role-only delta: no token yet
  request.on_event(tokens(0, 1), t0 + 200ms);  // first token of the request
  request.on_event(tokens(1, 1), t0 + 300ms);  // first token of choice 1
  request.on_event(tokens(0, 3), t0 + 400ms);  // two more: (400 - 200) / 2 per token
  request.on_event(tokens(1, 2), t0 + 700ms);  // (700 - 300) / 1
  request.on_event(tokens(1, 2), t0 + 900ms);  // finish delta, no new token: not a token time
  request.on_complete({5, 5}, t0 + 1000ms);

  const auto text = metrics.render();
  EXPECT_EQ(sample_value(text, of_m("time_to_first_token_seconds_count")), 1);
  EXPECT_NEAR(*sample_value(text, of_m("time_to_first_token_seconds_sum")), 0.2, 1e-9);
  EXPECT_EQ(sample_value(text, of_m("time_to_first_token_seconds_bucket", "0.1")), 0);
  EXPECT_EQ(sample_value(text, of_m("time_to_first_token_seconds_bucket", "0.25")), 1);
  EXPECT_EQ(sample_value(text, of_m("time_per_output_token_seconds_count")), 2);
  EXPECT_NEAR(*sample_value(text, of_m("time_per_output_token_seconds_sum")), 0.5, 1e-9);
  EXPECT_EQ(sample_value(text, of_m("e2e_request_latency_seconds_count")), 1);
  EXPECT_NEAR(*sample_value(text, of_m("e2e_request_latency_seconds_sum")), 1.0, 1e-9);
  EXPECT_EQ(sample_value(text, of_m("prompt_tokens_total")), 5);
  EXPECT_EQ(sample_value(text, of_m("completion_tokens_total")), 5);
  EXPECT_EQ(sample_value(text, of_m("client_disconnects_total")), 0);
}

TEST(RequestMetrics, ADisconnectIsCountedAndNothingIsObservedAsComplete) {
  ServerMetrics metrics;
  RequestMetrics request(metrics, "m");
  request.on_event(tokens(0, 1));
  request.on_client_gone();
  const auto text = metrics.render();
  EXPECT_EQ(sample_value(text, of_m("client_disconnects_total")), 1);
  EXPECT_EQ(sample_value(text, of_m("time_to_first_token_seconds_count")), 1);
  EXPECT_EQ(sample_value(text, of_m("e2e_request_latency_seconds_count")), 0);
}

TEST(RequestMetrics, AFailureBeforeAnyWorkerAnsweredCreatesNoSeriesForTheModel) {
  ServerMetrics metrics;
  RequestMetrics request(metrics, "made-up-model");
  ChoiceEvent failure;
  failure.failure = Error{ErrorCode::NotFound, "The model 'made-up-model' does not exist", "model"};
  request.on_event(failure);
  EXPECT_EQ(metrics.render().find("made-up-model"), std::string::npos) << metrics.render();
}

}  // namespace
}  // namespace fastchat::api
