// The worker's routes driven through its router with a recording responder: FastChat's frames,
// the native delta stream, context rules, the small status endpoints, health while loading and
// draining, and /metrics after real generations, on stories260K.

#include "worker/service/worker_service.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/metrics/exposition.h"
#include "metrics_checks.h"
#include "protocol/generate_delta.h"
#include "recording_responder.h"
#include "test_paths.h"

namespace fastchat::service {
namespace {

using nlohmann::json;
using recording::call;
using recording::RecordingResponder;

engine::LaunchOptions stories_launch() {
  engine::LaunchOptions launch;
  launch.model_path = testing::test_data_dir() / "models" / "stories260K";
  launch.conv_template = "raw";
  launch.engine.num_threads = 1;
  return launch;
}

class WorkerServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { model_ = new engine::ModelInstance(stories_launch()); }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }

  RecordingResponder call(const std::string& path, const json& body,
                          const std::string& method = "POST") {
    return recording::call(*router_, path, body, method);
  }

  static std::vector<json> frames(const std::string& data, char delimiter) {
    std::vector<json> out;
    protocol::FrameSplitter splitter(delimiter);
    for (const auto& frame : splitter.push(data)) out.push_back(json::parse(frame));
    EXPECT_EQ(splitter.pending(), 0u) << "a frame was not terminated";
    return out;
  }

  static engine::ModelInstance* model_;
  WorkerService service_{*model_, {{"stories260K", "alias"}, 8}};
  std::shared_ptr<http::Router> router_ = service_.router();
};

engine::ModelInstance* WorkerServiceTest::model_ = nullptr;

TEST_F(WorkerServiceTest, FastChatStreamIsCumulativeNulFramedAndMatchesTheWholeAnswer) {
  json body = {{"model", "stories260K"},
               {"prompt", "Once upon a time"},
               {"temperature", 0},
               {"max_new_tokens", 16},
               {"echo", false}};
  auto streamed = call("/worker_generate_stream", body);
  ASSERT_TRUE(streamed.stream_);
  EXPECT_EQ(streamed.stream_status, 200);
  EXPECT_TRUE(streamed.stream_->closed);
  auto list = frames(streamed.stream_->data, '\0');
  ASSERT_GE(list.size(), 1u);  // how many depends on how fast this thread reads the engine
  std::string previous;
  for (const auto& frame : list) {
    EXPECT_EQ(frame["error_code"], 0);
    const auto text = frame["text"].get<std::string>();
    EXPECT_EQ(text.rfind(previous, 0), 0u) << "text is not cumulative";
    previous = text;
  }
  EXPECT_EQ(list.back()["finish_reason"], "length");
  EXPECT_EQ(list.back()["usage"]["completion_tokens"], 16);
  EXPECT_EQ(list.back()["usage"]["prompt_tokens"],
            model_->encode_prompt("Once upon a time").size());

  auto whole = call("/worker_generate", body);
  ASSERT_TRUE(whole.response);
  EXPECT_EQ(json::parse(whole.response->body)["text"], previous);
  EXPECT_EQ(service_.queue_length(), 0);  // slots came back
}

TEST_F(WorkerServiceTest, FastChatEchoesThePromptByDefault) {
  auto out = call("/worker_generate",
                  {{"prompt", "Once upon a time"}, {"temperature", 0}, {"max_new_tokens", 4}});
  auto text = json::parse(out.response->body)["text"].get<std::string>();
  EXPECT_EQ(text.rfind("Once upon a time", 0), 0u) << text;
}

TEST_F(WorkerServiceTest, FastChatErrorsTravelInBandWithFastChatCodes) {
  auto out = call("/worker_generate_stream", {{"prompt", "x"}, {"max_new_tokens", "many"}});
  ASSERT_TRUE(out.stream_);
  EXPECT_EQ(out.stream_status, 200);
  auto list = frames(out.stream_->data, '\0');
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["error_code"], 40302);
  EXPECT_NE(list[0]["text"].get<std::string>().find("max_new_tokens"), std::string::npos);
}

TEST_F(WorkerServiceTest, NativeStreamSendsDeltasWithLogprobsAndAFinalUsage) {
  auto out = call(
      "/native/generate",
      {{"prompt", "Once upon a time"}, {"temperature", 0}, {"max_tokens", 12}, {"logprobs", 2}});
  ASSERT_TRUE(out.stream_);
  auto list = frames(out.stream_->data, '\n');
  std::string text;
  int tokens = 0;
  for (const auto& line : list) {
    auto delta = protocol::parse_delta_line(line.dump());
    text += delta.text;
    tokens += static_cast<int>(delta.token_ids.size());
    ASSERT_EQ(delta.logprobs.size(), delta.token_ids.size());
    for (const auto& entry : delta.logprobs) {
      EXPECT_LE(entry.logprob, 0.0f);
      EXPECT_EQ(entry.top.size(), 2u);
      EXPECT_EQ(entry.top[0].first, entry.token);  // greedy: the chosen token is the top one
    }
  }
  auto last = protocol::parse_delta_line(list.back().dump());
  EXPECT_EQ(last.finish_reason, "length");
  EXPECT_EQ(last.completion_tokens, 12);
  EXPECT_EQ(tokens, 12);
  auto fastchat = call("/worker_generate", {{"prompt", "Once upon a time"},
                                            {"temperature", 0},
                                            {"max_new_tokens", 12},
                                            {"echo", false}});
  EXPECT_EQ(json::parse(fastchat.response->body)["text"], text);
}

TEST_F(WorkerServiceTest, NativeMessagesAreRenderedWithTheTemplate) {
  // raw template: the prompt is the concatenated messages, so the answer equals a prompt call.
  auto chat =
      call("/native/generate", {{"messages", {{{"role", "user"}, {"content", "Once upon a time"}}}},
                                {"temperature", 0},
                                {"max_tokens", 8}});
  auto plain = call("/native/generate",
                    {{"prompt", "Once upon a time"}, {"temperature", 0}, {"max_tokens", 8}});
  // Compare content, not framing: how tokens group into deltas depends on engine timing.
  auto content = [](const std::string& data) {
    std::string text;
    std::vector<int32_t> ids;
    for (const auto& line : frames(data, '\n')) {
      auto delta = protocol::parse_delta_line(line.dump());
      text += delta.text;
      ids.insert(ids.end(), delta.token_ids.begin(), delta.token_ids.end());
    }
    return std::make_pair(text, ids);
  };
  EXPECT_EQ(content(chat.stream_->data), content(plain.stream_->data));
  EXPECT_FALSE(content(plain.stream_->data).first.empty());
}

TEST_F(WorkerServiceTest, ContextRulesNameBothNumbersOrClampAnUnsetMaxTokens) {
  const size_t prompt_tokens = model_->encode_prompt("Once upon a time").size();
  auto over = call("/native/generate", {{"prompt", "Once upon a time"}, {"max_tokens", 600}});
  ASSERT_TRUE(over.response);
  EXPECT_EQ(over.response->status, 400);
  auto error = json::parse(over.response->body)["error"];
  EXPECT_EQ(error["param"], "max_tokens");
  const auto message = error["message"].get<std::string>();
  EXPECT_NE(message.find("512"), std::string::npos) << message;
  EXPECT_NE(message.find(std::to_string(600 + prompt_tokens)), std::string::npos) << message;

  auto clamped = call("/native/generate",
                      {{"prompt", "Once upon a time"}, {"temperature", 0}, {"ignore_eos", true}});
  auto list = frames(clamped.stream_->data, '\n');
  auto last = protocol::parse_delta_line(list.back().dump());
  EXPECT_EQ(last.finish_reason, "length");
  EXPECT_EQ(static_cast<size_t>(last.completion_tokens), 512 - prompt_tokens);

  std::string long_prompt;
  for (int i = 0; i < 600; ++i) long_prompt += " time";
  auto too_long = call("/native/generate", {{"prompt", long_prompt}});
  EXPECT_EQ(too_long.response->status, 400);
  EXPECT_EQ(json::parse(too_long.response->body)["error"]["type"], "context_length_exceeded");
}

TEST_F(WorkerServiceTest, StatusEndpointsAnswerInFastChatsShapes) {
  auto status = json::parse(call("/worker_get_status", json::object()).response->body);
  EXPECT_EQ(status["model_names"], json({"stories260K", "alias"}));
  EXPECT_EQ(status["speed"], 1);
  EXPECT_EQ(status["queue_length"], 0);
  auto count = json::parse(call("/count_token", {{"prompt", "Once upon a time"}}).response->body);
  EXPECT_EQ(count["count"], model_->encode_prompt("Once upon a time").size());
  EXPECT_EQ(count["error_code"], 0);
  auto conv = json::parse(call("/worker_get_conv_template", json::object()).response->body);
  EXPECT_TRUE(conv["conv"]["sep_style"].is_number_integer());
  EXPECT_EQ(conv["conv"]["name"], "raw");
  auto details = json::parse(call("/model_details", json::object()).response->body);
  EXPECT_EQ(details["context_length"], 512);
  EXPECT_EQ(call("/count_token", json::object()).response->status, 400);
}

TEST_F(WorkerServiceTest, DrainingTurnsHealthTo503AndRefusesNewWork) {
  EXPECT_EQ(call("/health", json::object(), "GET").response->status, 200);
  service_.set_draining(true);
  EXPECT_EQ(call("/health", json::object(), "GET").response->status, 503);
  auto refused = call("/native/generate", {{"prompt", "x"}});
  EXPECT_EQ(refused.response->status, 503);
  auto frames_out = call("/worker_generate_stream", {{"prompt", "x"}});
  EXPECT_EQ(frames(frames_out.stream_->data, '\0')[0]["error_code"], 50005);
}

TEST_F(WorkerServiceTest, HealthLiveAndReadyAreSplit) {
  EXPECT_EQ(call("/health/live", json::object(), "GET").status(), 200);
  auto ready = call("/health/ready", json::object(), "GET");
  EXPECT_EQ(ready.status(), 200);
  EXPECT_EQ(json::parse(ready.response->body)["status"], "ok");
  EXPECT_EQ(json::parse(ready.response->body)["model_loaded"], true);
  service_.set_draining(true);
  EXPECT_EQ(call("/health/live", json::object(), "GET").status(), 200) << "draining is still alive";
  auto draining = call("/health/ready", json::object(), "GET");
  EXPECT_EQ(draining.status(), 503);
  EXPECT_EQ(json::parse(draining.response->body)["status"], "draining");
}

// A service whose model has not loaded yet, as fastchat-worker runs between listening and
// finishing the load.
TEST(WorkerServiceLoading, AnswersLiveButNotReadyAndRefusesModelRoutesUntilTheModelIsSet) {
  WorkerService service({{"stories260K"}, 8});
  auto router = service.router();
  EXPECT_FALSE(service.model_loaded());
  EXPECT_EQ(call(*router, "/health/live", json::object(), "GET").status(), 200);
  for (const char* path : {"/health", "/health/ready"}) {
    auto health = call(*router, path, json::object(), "GET");
    EXPECT_EQ(health.status(), 503) << path;
    EXPECT_EQ(json::parse(health.response->body)["status"], "loading") << path;
    EXPECT_EQ(json::parse(health.response->body)["model_loaded"], false) << path;
  }
  // The native stream and the small endpoints: 503 in the usual error envelope.
  for (const char* path : {"/native/generate", "/worker_get_status", "/count_token",
                           "/worker_get_conv_template", "/model_details"}) {
    auto refused = call(*router, path, {{"prompt", "x"}});
    ASSERT_TRUE(refused.response) << path;
    EXPECT_EQ(refused.response->status, 503) << path;
    auto error = json::parse(refused.response->body)["error"];
    EXPECT_NE(error["message"].get<std::string>().find("loading"), std::string::npos) << path;
  }
  // FastChat's generation routes answer in band, as they do for every error (and for draining).
  auto frames_out = call(*router, "/worker_generate_stream", {{"prompt", "x"}});
  ASSERT_TRUE(frames_out.stream_);
  protocol::FrameSplitter splitter('\0');
  auto frame = json::parse(splitter.push(frames_out.stream_->data).at(0));
  EXPECT_EQ(frame["error_code"], 50005);
  EXPECT_NE(frame["text"].get<std::string>().find("loading"), std::string::npos);
  EXPECT_EQ(json::parse(
                call(*router, "/worker_generate", {{"prompt", "x"}}).response->body)["error_code"],
            50005);
  // /metrics answers while loading, without the engine's series.
  auto metrics = call(*router, "/metrics", json::object(), "GET");
  EXPECT_EQ(metrics.status(), 200);
  EXPECT_EQ(metrics.response->body.find("fastchat_worker_num_requests_running"), std::string::npos);

  engine::ModelInstance model(stories_launch());
  service.set_model(model);
  EXPECT_TRUE(service.model_loaded());
  EXPECT_EQ(call(*router, "/health", json::object(), "GET").status(), 200);
  EXPECT_EQ(call(*router, "/worker_get_status", json::object()).status(), 200);
}

// A model of its own, with the service's metrics as its engine's observer (declared first, so
// that they outlive the engine), so the counts start from zero.
TEST(WorkerServiceMetrics, AGenerationShowsInTheTokenCountsAndHistogramsAndPassesPromtool) {
  WorkerService service({{"stories260K", "alias"}, 8});
  engine::ModelInstance model(stories_launch());
  model.engine().set_observer(&service.metrics());
  service.set_model(model);
  auto router = service.router();

  auto whole = call(*router, "/worker_generate",
                    {{"prompt", "Once upon a time"}, {"temperature", 0}, {"max_new_tokens", 16}});
  ASSERT_EQ(json::parse(whole.response->body)["error_code"], 0) << whole.response->body;

  using fastchat::testing::sample_value;
  const std::string label = "{model=\"stories260K\"}";
  // The engine reports a request to its observer as it removes it, which may be just after the
  // handler saw the last token: poll, bounded.
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    auto scraped = call(*router, "/metrics", json::object(), "GET");
    ASSERT_EQ(scraped.status(), 200);
    EXPECT_EQ(scraped.response->content_type, metrics::kContentType);
    text = scraped.response->body;
    if (sample_value(text, "fastchat_worker_e2e_request_latency_seconds_count" + label) == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  } while (std::chrono::steady_clock::now() < deadline);

  EXPECT_EQ(sample_value(text, "fastchat_worker_generation_tokens_total" + label), 16) << text;
  EXPECT_EQ(sample_value(text, "fastchat_worker_time_to_first_token_seconds_count" + label), 1)
      << text;
  EXPECT_EQ(sample_value(text, "fastchat_worker_time_per_output_token_seconds_count" + label), 1)
      << text;
  EXPECT_EQ(sample_value(text, "fastchat_worker_request_queue_time_seconds_count" + label), 1)
      << text;
  EXPECT_EQ(sample_value(text, "fastchat_worker_e2e_request_latency_seconds_count" + label), 1)
      << text;
  EXPECT_EQ(sample_value(text,
                         "fastchat_worker_requests_finished_total{model=\"stories260K\",finish_"
                         "reason=\"length\"}"),
            1);
  EXPECT_GE(sample_value(text, "fastchat_worker_prompt_tokens_total" + label).value_or(0),
            static_cast<double>(model.encode_prompt("Once upon a time").size()));
  EXPECT_EQ(sample_value(text, "fastchat_worker_num_requests_running" + label), 0);
  EXPECT_EQ(sample_value(text, "fastchat_worker_requests_rejected_total" + label), 0);
  auto check = fastchat::testing::promtool_check_metrics(text);
  EXPECT_EQ(check.exit_code, 0) << fastchat::testing::describe(check, text);
  EXPECT_EQ(check.output, "") << fastchat::testing::describe(check, text);
}

}  // namespace
}  // namespace fastchat::service
