// fastchat-bench serve against an in-process fake OpenAI server and a fake worker's native
// stream: counts, token totals, percentiles, errors by cause, shared-prefix prompts. No model;
// the fakes stream a fixed number of chunks.

#include "worker/bench/serve_benchmark.h"

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
#include "test_paths.h"

namespace fastchat::bench {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// How the fake answers request number n (counted from 0 in arrival order).
struct FakeBehaviour {
  int chunks = 5;             // content chunks per stream
  int tokens_per_chunk = 1;   // completion_tokens = chunks * tokens_per_chunk
  std::chrono::milliseconds gap{2};  // before every chunk
  std::chrono::milliseconds stall{0};  // before answering at all
  bool usage = true;          // send the usage chunk when asked for
  bool done = true;           // end with [DONE]
  int reject_every = 0;       // n % reject_every == 1 -> 429
  int error_every = 0;        // n % error_every == 2 -> an error event after one chunk
  int prompt_tokens = 7;
};

class FakeOpenAI {
 public:
  explicit FakeOpenAI(FakeBehaviour behaviour) : behaviour_(behaviour) {
    auto router = std::make_shared<http::Router>();
    for (const char* path : {"/v1/chat/completions", "/v1/completions"}) {
      const bool chat = std::string(path).find("chat") != std::string::npos;
      router->add("POST", path, [this, chat](const http::Request& request, http::Responder& out) {
        handle(request, out, chat);
      }, http::Execution::Blocking);
    }
    server_ = std::make_unique<http::HttpServer>(http::ServerOptions{}, router);
    server_->start();
  }
  ~FakeOpenAI() { server_->stop(); }

  std::string url() const { return server_->url() + "/v1"; }
  int chat_requests() const { return chat_requests_; }
  int completion_requests() const { return completion_requests_; }
  json last_body() const {
    std::lock_guard lock(mutex_);
    return last_body_;
  }
  std::string last_authorization() const {
    std::lock_guard lock(mutex_);
    return last_authorization_;
  }

 private:
  static std::string event(const json& payload) { return "data: " + payload.dump() + "\n\n"; }

  json content_chunk(bool chat, int i) const {
    const std::string text = "w" + std::to_string(i) + " ";
    json choice = chat ? json{{"index", 0}, {"delta", {{"content", text}}}, {"finish_reason", nullptr}}
                       : json{{"index", 0}, {"text", text}, {"finish_reason", nullptr}};
    return json{{"id", "x"}, {"object", chat ? "chat.completion.chunk" : "text_completion"},
                {"choices", json::array({choice})}};
  }

  void handle(const http::Request& request, http::Responder& out, bool chat) {
    const int n = next_++;
    (chat ? chat_requests_ : completion_requests_)++;
    json body = json::parse(request.body);
    {
      std::lock_guard lock(mutex_);
      last_body_ = body;
      last_authorization_ = std::string(request.header("Authorization").value_or(""));
    }
    std::this_thread::sleep_for(behaviour_.stall);
    if (behaviour_.reject_every > 0 && n % behaviour_.reject_every == 1) {
      out.send(http::Response::json(429, {{"error", {{"message", "queue full"}, {"type", "overloaded"}}}}));
      return;
    }
    auto stream = out.stream(200, "text/event-stream");
    if (chat) {
      // The role-only first chunk (empty content) must not count as the first token.
      json first = content_chunk(true, 0);
      first["choices"][0]["delta"] = {{"role", "assistant"}, {"content", ""}};
      if (!stream->write(event(first))) return;
    }
    for (int i = 0; i < behaviour_.chunks; ++i) {
      std::this_thread::sleep_for(behaviour_.gap);
      if (!stream->write(event(content_chunk(chat, i)))) return;
      if (behaviour_.error_every > 0 && n % behaviour_.error_every == 2) {
        stream->write(event({{"error", {{"message", "the worker ended the generation: abort"},
                                        {"type", "upstream_failed"}}}}));
        stream->close();
        return;
      }
    }
    json finish = content_chunk(chat, 0);
    if (chat) {
      finish["choices"][0]["delta"] = json::object();
    } else {
      finish["choices"][0]["text"] = "";
    }
    finish["choices"][0]["finish_reason"] = "length";
    stream->write(event(finish));
    if (behaviour_.usage && body.value("stream_options", json::object()).value("include_usage", false)) {
      stream->write(event({{"id", "x"}, {"choices", json::array()},
                           {"usage", {{"prompt_tokens", behaviour_.prompt_tokens},
                                      {"completion_tokens", behaviour_.chunks * behaviour_.tokens_per_chunk},
                                      {"total_tokens", 0}}}}));
    }
    if (behaviour_.done) stream->write("data: [DONE]\n\n");
    stream->close();
  }

  FakeBehaviour behaviour_;
  std::unique_ptr<http::HttpServer> server_;
  std::atomic<int> next_{0};
  std::atomic<int> chat_requests_{0};
  std::atomic<int> completion_requests_{0};
  mutable std::mutex mutex_;
  json last_body_;
  std::string last_authorization_;
};

// A fastchat-worker's POST /native/generate: newline-delimited JSON deltas, the last with
// finish_reason and the token counts.
struct FakeNativeBehaviour {
  int deltas = 5;           // deltas with token ids before the last one
  int ids_per_delta = 1;
  int silent_every = 0;     // delta i % silent_every == 1 carries ids but no text (held back)
  std::chrono::milliseconds gap{2};
  int reject_every = 0;     // request n % reject_every == 1 -> 429 with the error envelope
  int error_every = 0;      // request n % error_every == 2 -> an error line after one delta
  int abort_every = 0;      // request n % abort_every == 3 -> finish_reason "abort"
  bool finish = true;       // end with a finish_reason line
  bool split_lines = false; // write each line in two pieces
  int prompt_tokens = 9;
};

class FakeWorker {
 public:
  explicit FakeWorker(FakeNativeBehaviour behaviour) : behaviour_(behaviour) {
    auto router = std::make_shared<http::Router>();
    router->add("POST", "/native/generate", [this](const http::Request& request, http::Responder& out) {
      handle(request, out);
    }, http::Execution::Blocking);
    server_ = std::make_unique<http::HttpServer>(http::ServerOptions{}, router);
    server_->start();
  }
  ~FakeWorker() { server_->stop(); }

  std::string url() const { return server_->url(); }
  int requests() const { return next_; }
  std::vector<json> bodies() const {
    std::lock_guard lock(mutex_);
    return bodies_;
  }

 private:
  void handle(const http::Request& request, http::Responder& out) {
    const int n = next_++;
    {
      std::lock_guard lock(mutex_);
      bodies_.push_back(json::parse(request.body));
    }
    if (behaviour_.reject_every > 0 && n % behaviour_.reject_every == 1) {
      out.send(http::Response::json(429, {{"error", {{"message", "the worker's queue is full"},
                                                     {"type", "overloaded"}}}}));
      return;
    }
    auto stream = out.stream(200, "application/x-ndjson");
    auto write = [&](const json& line) {
      const std::string text = line.dump() + "\n";
      if (!behaviour_.split_lines) return stream->write(text);
      const size_t half = text.size() / 2;
      return stream->write(text.substr(0, half)) && stream->write(text.substr(half));
    };
    int id = 100;
    int completion = 0;
    for (int i = 0; i < behaviour_.deltas; ++i) {
      std::this_thread::sleep_for(behaviour_.gap);
      std::vector<int> ids;
      for (int k = 0; k < behaviour_.ids_per_delta; ++k) ids.push_back(id++);
      completion += behaviour_.ids_per_delta;
      const bool silent = behaviour_.silent_every > 0 && i % behaviour_.silent_every == 1;
      if (!write({{"text", silent ? "" : "t" + std::to_string(i)}, {"token_ids", ids},
                  {"prompt_tokens", behaviour_.prompt_tokens}, {"completion_tokens", completion},
                  {"finish_reason", nullptr}})) {
        return;
      }
      if (behaviour_.error_every > 0 && n % behaviour_.error_every == 2) {
        write({{"text", ""}, {"token_ids", json::array()}, {"prompt_tokens", behaviour_.prompt_tokens},
               {"completion_tokens", completion}, {"finish_reason", "error"},
               {"error", {{"code", "internal_error"}, {"message", "engine failed"}, {"param", ""}}}});
        stream->close();
        return;
      }
    }
    if (behaviour_.finish) {
      const bool abort = behaviour_.abort_every > 0 && n % behaviour_.abort_every == 3;
      // The last delta carries one more token, as the engine's last step does.
      write({{"text", "end"}, {"token_ids", {id}}, {"prompt_tokens", behaviour_.prompt_tokens},
             {"completion_tokens", completion + 1}, {"finish_reason", abort ? "abort" : "length"}});
    }
    stream->close();
  }

  FakeNativeBehaviour behaviour_;
  std::unique_ptr<http::HttpServer> server_;
  std::atomic<int> next_{0};
  mutable std::mutex mutex_;
  std::vector<json> bodies_;
};

ServeBenchOptions native_options(const FakeWorker& fake, int32_t requests, int32_t concurrency) {
  ServeBenchOptions options;
  options.url = fake.url();
  options.model = "fake-model";
  options.endpoint = ServeEndpoint::Native;
  options.num_requests = requests;
  options.concurrency = concurrency;
  options.prompt_len = 16;
  options.output_len = 8;
  options.timeout_s = 10;
  return options;
}

ServeBenchOptions options_for(const FakeOpenAI& fake, int32_t requests, int32_t concurrency) {
  ServeBenchOptions options;
  options.url = fake.url();
  options.model = "fake-model";
  options.num_requests = requests;
  options.concurrency = concurrency;
  options.prompt_len = 16;
  options.output_len = 5;
  options.timeout_s = 10;
  return options;
}

void expect_ordered_and_positive(const LatencyStats& stats, const char* name) {
  SCOPED_TRACE(name);
  EXPECT_GT(stats.count, 0);
  EXPECT_GT(stats.p50, 0);
  EXPECT_LE(stats.p50, stats.p95);
  EXPECT_LE(stats.p95, stats.p99);
  EXPECT_GT(stats.mean, 0);
}

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
  EXPECT_EQ(std::distance(std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()), 16);
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
    EXPECT_EQ(std::distance(std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()), 16);
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
  EXPECT_EQ(std::distance(std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()), 300);
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
  EXPECT_EQ(std::distance(std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()), 32);
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
  EXPECT_EQ(load_prompt_dataset(write("a.jsonl", "{\"prompt\": \"one\", \"x\": 1}\n\n{\"prompt\": \"two\"}")),
            (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(load_prompt_dataset(write("b.json", "  [\"one\", \"two\", \"three\"]\n")),
            (std::vector<std::string>{"one", "two", "three"}));
}

TEST_F(DatasetTest, MalformedFilesAreNamedWithTheLine) {
  const auto bad_json = write("c.jsonl", "{\"prompt\": \"one\"}\n{\"prompt\": \n");
  EXPECT_NE(error_of(bad_json).find(bad_json + ":2: not valid JSON"), std::string::npos) << error_of(bad_json);
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
