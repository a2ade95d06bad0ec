#include "webserver/api/server_metrics.h"

#include <optional>

#include "common/metrics/latency_buckets.h"

namespace fastchat::api {

namespace {

// Passes everything through and remembers the status the handler answered with.
class StatusRecorder : public http::Responder {
 public:
  explicit StatusRecorder(http::Responder& inner) : inner_(inner) {}

  void send(http::Response response) override {
    status_ = response.status;
    inner_.send(std::move(response));
  }
  std::shared_ptr<http::ResponseStream> stream(int status, std::string content_type,
                                               http::Headers headers) override {
    status_ = status;
    return inner_.stream(status, std::move(content_type), std::move(headers));
  }
  bool responded() const override { return inner_.responded(); }
  std::optional<int> status() const { return status_; }

 private:
  http::Responder& inner_;
  std::optional<int> status_;
};

}  // namespace

ServerMetrics::ServerMetrics()
    : time_to_first_token_(registry_.histogram(
          "fastchat_server_time_to_first_token_seconds",
          "Seconds from a generation request's arrival to its first output token from a worker.",
          {"model"}, metrics::time_to_first_token_buckets())),
      time_per_output_token_(registry_.histogram(
          "fastchat_server_time_per_output_token_seconds",
          "Mean seconds between output tokens of a choice after the first (choices of completed "
          "requests with at least two output tokens).",
          {"model"}, metrics::time_per_output_token_buckets())),
      e2e_latency_(registry_.histogram("fastchat_server_e2e_request_latency_seconds",
                                       "Seconds from a generation request's arrival to the end "
                                       "of its answer (completed requests).",
                                       {"model"}, metrics::request_latency_buckets())),
      requests_(registry_.counter("fastchat_server_requests_total",
                                  "API requests by endpoint and the HTTP status answered.",
                                  {"endpoint", "status"})),
      rejected_(registry_.counter("fastchat_server_requests_rejected_total",
                                  "Requests answered 429 because the workers were saturated.",
                                  {"endpoint"})),
      prompt_tokens_(registry_.counter("fastchat_server_prompt_tokens_total",
                                       "Prompt tokens in the usage of completed requests.",
                                       {"model"})),
      completion_tokens_(registry_.counter("fastchat_server_completion_tokens_total",
                                           "Completion tokens in the usage of completed requests.",
                                           {"model"})),
      client_disconnects_(registry_.counter("fastchat_server_client_disconnects_total",
                                            "Streams whose client went away before the end (the "
                                            "generation is then cancelled).",
                                            {"model"})),
      in_flight_(
          registry_
              .gauge("fastchat_server_requests_in_flight", "API requests being answered right now.")
              .labels({})) {}

http::Handler ServerMetrics::instrument(std::string endpoint, http::Handler handler) {
  return [this, endpoint = std::move(endpoint), handler = std::move(handler)](
             const http::Request& request, http::Responder& out) {
    in_flight_.inc();
    StatusRecorder recorder(out);
    try {
      handler(request, recorder);
    } catch (const ErrorException& e) {
      // The router renders this error next, with the status of its code.
      count_request(endpoint, recorder.status().value_or(http_status(e.error().code)));
      throw;
    } catch (...) {
      count_request(endpoint, recorder.status().value_or(500));
      throw;
    }
    // No answer at all: the router sends a 500.
    count_request(endpoint, recorder.status().value_or(500));
  };
}

void ServerMetrics::count_request(const std::string& endpoint, int status) {
  in_flight_.dec();
  requests_.labels({endpoint, std::to_string(status)}).inc();
  if (status == 429) rejected_.labels({endpoint}).inc();
}

ServerMetrics::ModelSeries ServerMetrics::model(const std::string& name) {
  return {time_to_first_token_.labels({name}), time_per_output_token_.labels({name}),
          e2e_latency_.labels({name}),         prompt_tokens_.labels({name}),
          completion_tokens_.labels({name}),   client_disconnects_.labels({name})};
}

}  // namespace fastchat::api
