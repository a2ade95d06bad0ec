// fastchat-bench serve against an in-process fake OpenAI server: counts, token totals,
// percentiles, errors by cause, prompts and datasets. No model; the fake streams a fixed
// number of chunks.

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

TEST(ServeBenchmark, ChatStreamsAreCountedAndTimed) {
  FakeBehaviour behaviour;
  behaviour.chunks = 6;
  behaviour.gap = 3ms;
  FakeOpenAI fake(behaviour);
  auto options = options_for(fake, 12, 4);
  options.output_len = 6;
  options.ignore_eos = true;
  options.api_key = "secret";
  const auto result = run_serve_benchmark(options);

  EXPECT_EQ(result.requests, 12);
  EXPECT_EQ(result.completed, 12);
  EXPECT_EQ(result.errors, 0);
  EXPECT_TRUE(result.errors_by_cause.empty());
  EXPECT_EQ(result.output_tokens, 12 * 6);
  EXPECT_EQ(result.prompt_tokens, 12 * 7);
  EXPECT_EQ(result.usage_missing, 0);
  EXPECT_EQ(fake.chat_requests(), 12);
  EXPECT_EQ(fake.completion_requests(), 0);

  EXPECT_EQ(result.ttft_ms.count, 12);
  EXPECT_EQ(result.itl_ms.count, 12 * 5);  // one gap per content chunk after the first
  EXPECT_EQ(result.tpot_ms.count, 12);
  EXPECT_EQ(result.e2e_ms.count, 12);
  expect_ordered_and_positive(result.ttft_ms, "ttft");
  expect_ordered_and_positive(result.itl_ms, "itl");
  expect_ordered_and_positive(result.tpot_ms, "tpot");
  expect_ordered_and_positive(result.e2e_ms, "e2e");
  EXPECT_GE(result.ttft_ms.p50, 2.0);  // the first content chunk comes after one 3 ms gap
  EXPECT_GE(result.itl_ms.p50, 1.5);
  EXPECT_GT(result.e2e_ms.p50, result.ttft_ms.p50);
  EXPECT_GT(result.duration_s, 0);
  EXPECT_NEAR(result.requests_per_s, 12 / result.duration_s, 1e-6);
  EXPECT_NEAR(result.output_tokens_per_s, 72 / result.duration_s, 1e-6);

  // What the request said.
  const json body = fake.last_body();
  EXPECT_EQ(body["model"], "fake-model");
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"]["include_usage"], true);
  EXPECT_EQ(body["max_tokens"], 6);
  EXPECT_EQ(body["ignore_eos"], true);
  EXPECT_EQ(body["min_tokens"], 6);
  ASSERT_EQ(body["messages"].size(), 1u);
  EXPECT_EQ(body["messages"][0]["role"], "user");
  std::istringstream words(body["messages"][0]["content"].get<std::string>());
  EXPECT_EQ(std::distance(std::istream_iterator<std::string>(words),
                          std::istream_iterator<std::string>()),
            16);
  EXPECT_EQ(fake.last_authorization(), "Bearer secret");
}

TEST(ServeBenchmark, CompletionsEndpointSendsAPrompt) {
  FakeOpenAI fake(FakeBehaviour{});
  auto options = options_for(fake, 5, 2);
  options.endpoint = ServeEndpoint::Completions;
  options.prompts = {"first prompt", "second prompt"};
  const auto result = run_serve_benchmark(options);
  EXPECT_EQ(result.completed, 5);
  EXPECT_EQ(result.output_tokens, 25);
  EXPECT_EQ(fake.completion_requests(), 5);
  EXPECT_EQ(fake.chat_requests(), 0);
  const json body = fake.last_body();
  EXPECT_TRUE(body["prompt"] == "first prompt" || body["prompt"] == "second prompt") << body;
  EXPECT_FALSE(body.contains("messages"));
  EXPECT_FALSE(body.contains("ignore_eos"));
  expect_ordered_and_positive(result.itl_ms, "itl");
}

TEST(ServeBenchmark, WithoutUsageTheContentChunksAreCounted) {
  FakeBehaviour behaviour;
  behaviour.usage = false;
  behaviour.chunks = 4;
  FakeOpenAI fake(behaviour);
  const auto result = run_serve_benchmark(options_for(fake, 6, 3));
  EXPECT_EQ(result.completed, 6);
  EXPECT_EQ(result.output_tokens, 24);
  EXPECT_EQ(result.prompt_tokens, 0);
  EXPECT_EQ(result.usage_missing, 6);
}

TEST(ServeBenchmark, MultiTokenChunksSpreadOverTokensInTpotOnly) {
  FakeBehaviour behaviour;
  behaviour.chunks = 4;
  behaviour.tokens_per_chunk = 4;
  behaviour.gap = 8ms;
  FakeOpenAI fake(behaviour);
  const auto result = run_serve_benchmark(options_for(fake, 4, 2));
  EXPECT_EQ(result.completed, 4);
  EXPECT_EQ(result.output_tokens, 4 * 16);
  EXPECT_EQ(result.itl_ms.count, 4 * 3);
  // ITL is per chunk (about 8 ms); TPOT spreads ~3 gaps over 15 tokens (about 1.6 ms).
  EXPECT_LT(result.tpot_ms.p50 * 2, result.itl_ms.p50);
}

TEST(ServeBenchmark, ErrorsAreCountedByCause) {
  FakeBehaviour behaviour;
  behaviour.reject_every = 4;  // requests 1, 5, 9: 429
  behaviour.error_every = 4;   // requests 2, 6, 10: an error event in the stream
  FakeOpenAI fake(behaviour);
  const auto result = run_serve_benchmark(options_for(fake, 12, 3));
  EXPECT_EQ(result.requests, 12);
  EXPECT_EQ(result.completed, 6);
  EXPECT_EQ(result.errors, 6);
  EXPECT_EQ(result.errors_by_cause.at("http_429"), 3);
  EXPECT_EQ(result.errors_by_cause.at("stream_error"), 3);
  EXPECT_EQ(result.errors_by_cause.size(), 2u);
  EXPECT_EQ(result.output_tokens, 6 * 5);  // failed requests' tokens do not count
  EXPECT_EQ(result.e2e_ms.count, 6);
  EXPECT_FALSE(result.first_error.empty());
  const auto report = serve_report(options_for(fake, 12, 3), result);
  EXPECT_NE(report.find("http_429 3"), std::string::npos) << report;
  EXPECT_NE(report.find("stream_error 3"), std::string::npos) << report;
}

TEST(ServeBenchmark, TimeoutsAreCountedBothBeforeAndDuringTheStream) {
  {
    FakeBehaviour stalled;  // nothing at all within the timeout: the client's read timeout
    stalled.stall = 600ms;
    FakeOpenAI fake(stalled);
    auto options = options_for(fake, 2, 2);
    options.timeout_s = 0.15;
    const auto result = run_serve_benchmark(options);
    EXPECT_EQ(result.completed, 0);
    EXPECT_EQ(result.errors_by_cause.at("timeout"), 2) << result.first_error;
  }
  {
    FakeBehaviour slow;  // chunks keep coming, but the whole request outlives the timeout
    slow.chunks = 20;
    slow.gap = 40ms;
    FakeOpenAI fake(slow);
    auto options = options_for(fake, 2, 2);
    options.timeout_s = 0.2;
    const auto result = run_serve_benchmark(options);
    EXPECT_EQ(result.completed, 0);
    EXPECT_EQ(result.errors_by_cause.at("timeout"), 2) << result.first_error;
    EXPECT_LT(result.duration_s, 0.5);
  }
}

TEST(ServeBenchmark, TruncatedStreamsAndRefusedConnectionsAreErrors) {
  {
    FakeBehaviour cut;
    cut.done = false;
    FakeOpenAI fake(cut);
    const auto result = run_serve_benchmark(options_for(fake, 3, 3));
    EXPECT_EQ(result.errors_by_cause.at("truncated"), 3);
  }
  std::string closed_url;
  {
    FakeOpenAI fake(FakeBehaviour{});
    closed_url = fake.url();
  }  // the port is closed now
  ServeBenchOptions options;
  options.url = closed_url;
  options.model = "m";
  options.num_requests = 4;
  options.concurrency = 2;
  const auto result = run_serve_benchmark(options);
  EXPECT_EQ(result.requests, 4);
  EXPECT_EQ(result.completed, 0);
  EXPECT_EQ(result.errors_by_cause.at("connection"), 4) << result.first_error;
  EXPECT_EQ(result.ttft_ms.count, 0);
  EXPECT_EQ(result.output_tokens_per_s, 0);
}

TEST(ServeBenchmark, ReportAndJsonCarryTheFigures) {
  FakeOpenAI fake(FakeBehaviour{});
  const auto options = options_for(fake, 4, 2);
  const auto result = run_serve_benchmark(options);
  const json line = serve_report_json(options, result);
  EXPECT_EQ(line["benchmark"], "serve");
  EXPECT_EQ(line["requests"], 4);
  EXPECT_EQ(line["completed"], 4);
  EXPECT_EQ(line["output_tokens"], 20);
  EXPECT_EQ(line["endpoint"], "chat");
  EXPECT_DOUBLE_EQ(line["ttft_ms"]["p99"].get<double>(), result.ttft_ms.p99);
  EXPECT_DOUBLE_EQ(line["itl_ms"]["p50"].get<double>(), result.itl_ms.p50);
  EXPECT_TRUE(line["errors_by_cause"].empty());
  const std::string report = serve_report(options, result);
  EXPECT_NE(report.find("| concurrency | requests | errors |"), std::string::npos) << report;
  EXPECT_NE(report.find("TTFT p99"), std::string::npos);
}

TEST(ServeBenchmark, BadOptionsAreRejected) {
  ServeBenchOptions options;
  options.url = "ftp://nowhere";
  options.model = "m";
  EXPECT_THROW(run_serve_benchmark(options), ErrorException);
  options.url = "http://127.0.0.1:1/v1";
  options.concurrency = 0;
  EXPECT_THROW(run_serve_benchmark(options), ErrorException);
  options.concurrency = 1;
  options.model = "";
  EXPECT_THROW(run_serve_benchmark(options), ErrorException);  // OpenAI endpoints need a model
  options.shared_prefix_len = -1;
  options.model = "m";
  EXPECT_THROW(run_serve_benchmark(options), ErrorException);
}

TEST(ServePercentile, InterpolatesBetweenRanks) {
  EXPECT_EQ(percentile({}, 50), 0);
  EXPECT_DOUBLE_EQ(percentile({5}, 99), 5);
  const std::vector<double> values{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(percentile(values, 0), 1);
  EXPECT_DOUBLE_EQ(percentile(values, 50), 2.5);
  EXPECT_DOUBLE_EQ(percentile(values, 100), 4);
  EXPECT_NEAR(percentile(values, 95), 3.85, 1e-12);
}

TEST(ServePrompts, SyntheticPromptsAreDeterministic) {
  const auto a = synthetic_prompt(32, 1, 0);
  EXPECT_EQ(a, synthetic_prompt(32, 1, 0));
  EXPECT_NE(a, synthetic_prompt(32, 1, 1));
  EXPECT_NE(a, synthetic_prompt(32, 2, 0));
  std::istringstream words(a);
  EXPECT_EQ(std::distance(std::istream_iterator<std::string>(words),
                          std::istream_iterator<std::string>()),
            32);
}

class DatasetTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = fastchat::testing::make_temp_dir("serve-bench-dataset"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  static std::string error_of(const std::string& path) {
    try {
      load_prompt_dataset(path);
    } catch (const ErrorException& e) {
      return e.what();
    }
    return "no error";
  }
  std::filesystem::path dir_;
};

TEST_F(DatasetTest, ReadsJsonLinesAndArrays) {
  EXPECT_EQ(load_prompt_dataset(
                write("a.jsonl", "{\"prompt\": \"one\", \"x\": 1}\n\n{\"prompt\": \"two\"}")),
            (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(load_prompt_dataset(write("b.json", "  [\"one\", \"two\", \"three\"]\n")),
            (std::vector<std::string>{"one", "two", "three"}));
}

TEST_F(DatasetTest, MalformedFilesAreNamedWithTheLine) {
  const auto bad_json = write("c.jsonl", "{\"prompt\": \"one\"}\n{\"prompt\": \n");
  EXPECT_NE(error_of(bad_json).find(bad_json + ":2: not valid JSON"), std::string::npos)
      << error_of(bad_json);
  const auto no_prompt = write("d.jsonl", "{\"prompt\": \"one\"}\n\n{\"text\": \"two\"}\n");
  EXPECT_NE(error_of(no_prompt).find(no_prompt + ":3: expected an object"), std::string::npos)
      << error_of(no_prompt);
  const auto not_string = write("e.json", "[\"one\", 2]");
  EXPECT_NE(error_of(not_string).find("element 1"), std::string::npos) << error_of(not_string);
  const auto empty = write("f.jsonl", "\n\n");
  EXPECT_NE(error_of(empty).find("no prompts"), std::string::npos) << error_of(empty);
  EXPECT_NE(error_of((dir_ / "missing.jsonl").string()).find("missing.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace fastchat::bench
