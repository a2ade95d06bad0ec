// fastchat-bench serve against a fake worker's native stream (tokens counted by their ids,
// errors by cause) and shared-prefix prompts.

#include "tools/bench/serve_benchmark.h"
#include "tools/bench/serve_prompts.h"
#include "tools/bench/serve_report.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/http/http_server.h"
#include "fake_serve_targets.h"
#include "test_paths.h"

namespace fastchat::bench {
namespace {

using namespace fastchat::bench::testing;

TEST(ServeBenchmarkNative, DeltasAreCountedByTheirTokenIds) {
  FakeNativeBehaviour behaviour;
  behaviour.deltas = 6;
  behaviour.ids_per_delta = 2;
  behaviour.silent_every = 3;  // deltas 1 and 4 carry ids but no text
  behaviour.gap = 3ms;
  behaviour.split_lines = true;
  FakeWorker fake(behaviour);
  auto options = native_options(fake, 10, 3);
  options.model = "";  // a worker serves one model: none needs naming
  options.output_len = 13;
  options.ignore_eos = true;
  const auto result = run_serve_benchmark(options);

  EXPECT_EQ(result.requests, 10);
  EXPECT_EQ(result.completed, 10) << result.first_error;
  EXPECT_EQ(result.errors, 0);
  EXPECT_EQ(result.output_tokens, 10 * 13);  // 6 deltas of 2 ids and the last one's id
  EXPECT_EQ(result.prompt_tokens, 10 * 9);
  EXPECT_EQ(result.usage_missing, 0);
  EXPECT_EQ(fake.requests(), 10);
  // Content chunks are the deltas with text: 4 of the 6, and the last: 5, so 4 gaps each.
  EXPECT_EQ(result.ttft_ms.count, 10);
  EXPECT_EQ(result.itl_ms.count, 10 * 4);
  EXPECT_EQ(result.tpot_ms.count, 10);
  expect_ordered_and_positive(result.ttft_ms, "ttft");
  expect_ordered_and_positive(result.itl_ms, "itl");
  expect_ordered_and_positive(result.e2e_ms, "e2e");
  EXPECT_GE(result.ttft_ms.p50, 2.0);
  EXPECT_NEAR(result.output_tokens_per_s, 130 / result.duration_s, 1e-6);

  // The native request: OpenAI's field names, a prompt, nothing about streaming or the model.
  for (const json& body : fake.bodies()) {
    ASSERT_TRUE(body.contains("prompt")) << body;
    EXPECT_FALSE(body.contains("messages"));
    EXPECT_FALSE(body.contains("stream"));
    EXPECT_FALSE(body.contains("stream_options"));
    EXPECT_EQ(body["max_tokens"], 13);
    EXPECT_EQ(body["temperature"], 0.0);
    EXPECT_EQ(body["ignore_eos"], true);
    EXPECT_EQ(body["min_tokens"], 13);
    std::istringstream words(body["prompt"].get<std::string>());
    EXPECT_EQ(std::distance(std::istream_iterator<std::string>(words),
                            std::istream_iterator<std::string>()),
              16);
  }
  const json line = serve_report_json(options, result);
  EXPECT_EQ(line["endpoint"], "native");
  EXPECT_NE(serve_report(options, result).find("/native/generate"), std::string::npos);
}

TEST(ServeBenchmarkNative, TheSamePromptsAsCompletions) {
  FakeWorker worker(FakeNativeBehaviour{});
  FakeOpenAI server(FakeBehaviour{});
  auto native = native_options(worker, 1, 1);
  auto completions = options_for(server, 1, 1);
  completions.endpoint = ServeEndpoint::Completions;
  completions.output_len = native.output_len;
  run_serve_benchmark(native);
  run_serve_benchmark(completions);
  ASSERT_EQ(worker.bodies().size(), 1u);
  EXPECT_EQ(worker.bodies()[0]["prompt"], server.last_body()["prompt"]);
  EXPECT_EQ(worker.bodies()[0]["max_tokens"], server.last_body()["max_tokens"]);
}

TEST(ServeBenchmarkNative, ErrorsAreCountedByCause) {
  FakeNativeBehaviour behaviour;
  behaviour.reject_every = 4;  // requests 1, 5, 9: HTTP 429
  behaviour.error_every = 4;   // requests 2, 6, 10: an error line
  behaviour.abort_every = 4;   // requests 3, 7, 11: finish_reason "abort"
  FakeWorker fake(behaviour);
  const auto result = run_serve_benchmark(native_options(fake, 12, 3));
  EXPECT_EQ(result.requests, 12);
  EXPECT_EQ(result.completed, 3);
  EXPECT_EQ(result.errors_by_cause.at("http_429"), 3);
  EXPECT_EQ(result.errors_by_cause.at("stream_error"), 6);
  EXPECT_EQ(result.errors_by_cause.size(), 2u);
  EXPECT_EQ(result.output_tokens, 3 * 6);
  const auto report = serve_report(native_options(fake, 12, 3), result);
  EXPECT_NE(report.find("http_429 3"), std::string::npos) << report;
}

TEST(ServeBenchmarkNative, AStreamWithoutFinishIsTruncated) {
  FakeNativeBehaviour behaviour;
  behaviour.finish = false;
  FakeWorker fake(behaviour);
  const auto result = run_serve_benchmark(native_options(fake, 3, 3));
  EXPECT_EQ(result.completed, 0);
  EXPECT_EQ(result.errors_by_cause.at("truncated"), 3);
  EXPECT_NE(result.first_error.find("finish_reason"), std::string::npos) << result.first_error;
}

TEST(ServeSharedPrefix, ChatSendsItAsASystemMessage) {
  FakeOpenAI fake(FakeBehaviour{});
  auto options = options_for(fake, 1, 1);
  options.shared_prefix_len = 40;
  const auto result = run_serve_benchmark(options);
  EXPECT_EQ(result.completed, 1);
  const json body = fake.last_body();
  ASSERT_EQ(body["messages"].size(), 2u) << body;
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_EQ(body["messages"][0]["content"], shared_prefix(40, options.seed));
  EXPECT_EQ(body["messages"][1]["role"], "user");
  EXPECT_EQ(body["messages"][1]["content"], "0 " + synthetic_prompt(16, options.seed, 0));
  EXPECT_NE(serve_report(options, result).find("shared prefix 40 words"), std::string::npos);
  EXPECT_EQ(serve_report_json(options, result)["shared_prefix_len"], 40);
}

TEST(ServeSharedPrefix, EveryRequestStartsWithThePrefixAndThenDiffers) {
  ServeBenchOptions options;
  options.shared_prefix_len = 300;
  options.prompt_len = 4;
  options.prompts = {};
  const std::string prefix = shared_prefix(300, options.seed);
  std::istringstream words(prefix);
  EXPECT_EQ(std::distance(std::istream_iterator<std::string>(words),
                          std::istream_iterator<std::string>()),
            300);
  EXPECT_EQ(prefix, shared_prefix(300, options.seed));
  EXPECT_NE(prefix, shared_prefix(300, options.seed + 1));
  EXPECT_NE(prefix.substr(0, 40), synthetic_prompt(300, options.seed, 0).substr(0, 40));
  for (ServeEndpoint endpoint : {ServeEndpoint::Completions, ServeEndpoint::Native}) {
    options.endpoint = endpoint;
    std::set<std::string> tails;
    for (int64_t i = 0; i < 200; ++i) {
      const auto prompt = request_prompt(options, i);
      EXPECT_TRUE(prompt.system.empty());
      ASSERT_TRUE(prompt.user.starts_with(prefix + " ")) << prompt.user;
      const std::string tail = prompt.user.substr(prefix.size() + 1);
      EXPECT_TRUE(tail.starts_with(std::to_string(i) + " ")) << tail;
      tails.insert(tail);
    }
    EXPECT_EQ(tails.size(), 200u);
  }
  // Dataset prompts repeat when cycled; the request number keeps them apart.
  options.prompts = {"same"};
  EXPECT_NE(request_prompt(options, 0).user, request_prompt(options, 1).user);
  EXPECT_EQ(request_prompt(options, 1).user, prefix + " 1 same");
  // Without a shared prefix the prompt is as before.
  options.shared_prefix_len = 0;
  EXPECT_EQ(request_prompt(options, 3).user, "same");
  options.prompts = {};
  EXPECT_EQ(request_prompt(options, 3).user, synthetic_prompt(4, options.seed, 3));
}

}  // namespace
}  // namespace fastchat::bench
