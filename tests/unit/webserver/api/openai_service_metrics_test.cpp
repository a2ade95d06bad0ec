// fastchat-server's /metrics through its real routes, against a fake controller and a fake
// worker on loopback: generations feed the per-model series, errors the status counts, and
// /metrics answers without an API key in a format promtool accepts.

#include "webserver/api/openai_service.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/http/http_server.h"
#include "common/metrics/exposition.h"
#include "loopback_server.h"
#include "metrics_checks.h"
#include "server_series.h"

namespace fastchat::api {
namespace {

using fastchat::testing::describe;
using fastchat::testing::promtool_check_metrics;
using fastchat::testing::sample_value;
using nlohmann::json;

using namespace fastchat::api::testing;

using FakeServer = fastchat::testing::LoopbackServer;

struct RecordingStream : http::ResponseStream {
  std::string data;
  bool write(std::string chunk) override {
    data += chunk;
    return true;
  }
  void close() override {}
  bool client_gone() const override { return false; }
  void on_client_gone(std::function<void()>) override {}
};

struct RecordingResponder : http::Responder {
  std::optional<http::Response> response;
  std::shared_ptr<RecordingStream> stream_;
  void send(http::Response r) override { response = std::move(r); }
  std::shared_ptr<http::ResponseStream> stream(int, std::string, http::Headers) override {
    stream_ = std::make_shared<RecordingStream>();
    return stream_;
  }
  bool responded() const override { return response || stream_; }
  int status() const { return response ? response->status : stream_ ? 200 : 0; }
};

std::string delta_line(int completion_tokens, const char* finish = nullptr) {
  protocol::GenerateDelta delta;
  delta.text = "x";
  delta.token_ids = {1};
  delta.prompt_tokens = 3;
  delta.completion_tokens = completion_tokens;
  if (finish) delta.finish_reason = finish;
  return protocol::to_line(delta);
}

class OpenAiServiceMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    worker_.router->add(
        "POST", "/native/generate",
        [this](const http::Request&, http::Responder& out) {
          if (overloaded_) {
            out.send(http::render_error(Error{ErrorCode::Overloaded, "the worker is busy", ""}));
            return;
          }
          auto stream = out.stream(200, "application/x-ndjson");
          stream->write(delta_line(1));
          stream->write(delta_line(2));
          stream->write(delta_line(3, "length"));
        },
        http::Execution::Blocking);
    worker_.start();
    controller_.router->add(
        "POST", "/get_worker_address", [this](const http::Request& r, http::Responder& out) {
          auto body = json::parse(r.body);
          const bool known = body["model"] == "m" && !body.contains("exclude");
          out.send(http::Response::json(200, {{"address", known ? worker_.address() : ""}}));
        });
    controller_.start();
    controller_client_ = std::make_unique<upstream::ControllerClient>(
        http::Url::parse(controller_.address(), "x"), http::ClientOptions{});
    pool_ =
        std::make_unique<upstream::WorkerPool>(*controller_client_, upstream::WorkerPoolOptions{});
    service_ = std::make_unique<OpenAiService>(*controller_client_, *pool_, ApiOptions{{"secret"}});
    router_ = service_->router();
  }

  RecordingResponder call(const std::string& method, const std::string& path,
                          const json& body = nullptr, bool with_key = true) {
    http::Request request;
    request.method = method;
    request.path = request.target = path;
    if (!body.is_null()) request.body = body.dump();
    if (with_key) request.headers.emplace_back("Authorization", "Bearer secret");
    RecordingResponder out;
    router_->dispatch(request, out);
    return out;
  }

  std::string scrape() {
    auto out = call("GET", "/metrics", nullptr, /*with_key=*/false);
    EXPECT_EQ(out.status(), 200);
    EXPECT_EQ(out.response->content_type, metrics::kContentType);
    return out.response->body;
  }

  static json chat(bool stream) {
    return {
        {"model", "m"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}, {"stream", stream}};
  }

  FakeServer worker_;
  FakeServer controller_;
  bool overloaded_ = false;
  std::unique_ptr<upstream::ControllerClient> controller_client_;
  std::unique_ptr<upstream::WorkerPool> pool_;
  std::unique_ptr<OpenAiService> service_;
  std::shared_ptr<http::Router> router_;
};

TEST_F(OpenAiServiceMetricsTest, GenerationsFeedThePerModelSeries) {
  EXPECT_EQ(call("POST", "/v1/chat/completions", chat(false)).status(), 200);
  auto streamed = call("POST", "/v1/chat/completions", chat(true));
  ASSERT_TRUE(streamed.stream_);
  EXPECT_NE(streamed.stream_->data.find("[DONE]"), std::string::npos);
  EXPECT_EQ(call("POST", "/v1/completions", {{"model", "m"}, {"prompt", "hi"}, {"n", 2}}).status(),
            200);

  const auto text = scrape();
  EXPECT_EQ(sample_value(text, requests("/v1/chat/completions", 200)), 2);
  EXPECT_EQ(sample_value(text, requests("/v1/completions", 200)), 1);
  EXPECT_EQ(sample_value(text, of_m("time_to_first_token_seconds_count")), 3);
  EXPECT_EQ(sample_value(text, of_m("e2e_request_latency_seconds_count")), 3);
  // Every choice had 3 tokens: one time-per-token observation per choice (1 + 1 + 2).
  EXPECT_EQ(sample_value(text, of_m("time_per_output_token_seconds_count")), 4);
  EXPECT_EQ(sample_value(text, of_m("prompt_tokens_total")), 9);
  EXPECT_EQ(sample_value(text, of_m("completion_tokens_total")), 12);
  EXPECT_EQ(sample_value(text, "fastchat_server_requests_in_flight"), 0);
  auto check = promtool_check_metrics(text);
  EXPECT_EQ(check.exit_code, 0) << describe(check, text);
  EXPECT_EQ(check.output, "") << describe(check, text);
}

TEST_F(OpenAiServiceMetricsTest, ErrorsAreCountedByStatusAndUnknownModelsGetNoSeries) {
  EXPECT_EQ(call("POST", "/v1/chat/completions", chat(false), /*with_key=*/false).status(), 401);
  EXPECT_EQ(call("POST", "/v1/chat/completions", json{{"model", "m"}}).status(), 400);
  EXPECT_EQ(
      call("POST", "/v1/completions", {{"model", "nobody-serves-this"}, {"prompt", "x"}}).status(),
      404);
  overloaded_ = true;
  EXPECT_EQ(call("POST", "/v1/chat/completions", chat(true)).status(), 429);

  const auto text = scrape();
  EXPECT_EQ(sample_value(text, requests("/v1/chat/completions", 401)), 1);
  EXPECT_EQ(sample_value(text, requests("/v1/chat/completions", 400)), 1);
  EXPECT_EQ(sample_value(text, requests("/v1/completions", 404)), 1);
  EXPECT_EQ(sample_value(text, requests("/v1/chat/completions", 429)), 1);
  EXPECT_EQ(sample_value(text, rejected("/v1/chat/completions")), 1);
  EXPECT_EQ(text.find("nobody-serves-this"), std::string::npos) << text;
  EXPECT_FALSE(sample_value(text, of_m("e2e_request_latency_seconds_count")))
      << "a rejected request is no completed generation";
  EXPECT_EQ(call("GET", "/v1/models", nullptr, /*with_key=*/false).status(), 401)
      << "the API stays closed while /metrics is open";
}

}  // namespace
}  // namespace fastchat::api
