#pragma once
// In-process fakes for the fastchat-bench serve tests: an OpenAI server and a worker's native
// stream on loopback, each answering from a behaviour the test sets, plus option helpers.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/http/http_server.h"
#include "tools/bench/serve_benchmark.h"

namespace fastchat::bench::testing {

using nlohmann::json;
using namespace std::chrono_literals;

// How the fake answers request number n (counted from 0 in arrival order).
struct FakeBehaviour {
  int chunks = 5;                      // content chunks per stream
  int tokens_per_chunk = 1;            // completion_tokens = chunks * tokens_per_chunk
  std::chrono::milliseconds gap{2};    // before every chunk
  std::chrono::milliseconds stall{0};  // before answering at all
  bool usage = true;                   // send the usage chunk when asked for
  bool done = true;                    // end with [DONE]
  int reject_every = 0;                // n % reject_every == 1 -> 429
  int error_every = 0;                 // n % error_every == 2 -> an error event after one chunk
  int prompt_tokens = 7;
};

class FakeOpenAI {
 public:
  explicit FakeOpenAI(FakeBehaviour behaviour) : behaviour_(behaviour) {
    auto router = std::make_shared<http::Router>();
    for (const char* path : {"/v1/chat/completions", "/v1/completions"}) {
      const bool chat = std::string(path).find("chat") != std::string::npos;
      router->add(
          "POST", path,
          [this, chat](const http::Request& request, http::Responder& out) {
            handle(request, out, chat);
          },
          http::Execution::Blocking);
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
    json choice =
        chat ? json{{"index", 0}, {"delta", {{"content", text}}}, {"finish_reason", nullptr}}
             : json{{"index", 0}, {"text", text}, {"finish_reason", nullptr}};
    return json{{"id", "x"},
                {"object", chat ? "chat.completion.chunk" : "text_completion"},
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
      out.send(http::Response::json(
          429, {{"error", {{"message", "queue full"}, {"type", "overloaded"}}}}));
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
        stream->write(event({{"error",
                              {{"message", "the worker ended the generation: abort"},
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
    if (behaviour_.usage &&
        body.value("stream_options", json::object()).value("include_usage", false)) {
      stream->write(event({{"id", "x"},
                           {"choices", json::array()},
                           {"usage",
                            {{"prompt_tokens", behaviour_.prompt_tokens},
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
  int deltas = 5;  // deltas with token ids before the last one
  int ids_per_delta = 1;
  int silent_every = 0;  // delta i % silent_every == 1 carries ids but no text (held back)
  std::chrono::milliseconds gap{2};
  int reject_every = 0;      // request n % reject_every == 1 -> 429 with the error envelope
  int error_every = 0;       // request n % error_every == 2 -> an error line after one delta
  int abort_every = 0;       // request n % abort_every == 3 -> finish_reason "abort"
  bool finish = true;        // end with a finish_reason line
  bool split_lines = false;  // write each line in two pieces
  int prompt_tokens = 9;
};

class FakeWorker {
 public:
  explicit FakeWorker(FakeNativeBehaviour behaviour) : behaviour_(behaviour) {
    auto router = std::make_shared<http::Router>();
    router->add(
        "POST", "/native/generate",
        [this](const http::Request& request, http::Responder& out) { handle(request, out); },
        http::Execution::Blocking);
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
      out.send(http::Response::json(
          429, {{"error", {{"message", "the worker's queue is full"}, {"type", "overloaded"}}}}));
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
      if (!write({{"text", silent ? "" : "t" + std::to_string(i)},
                  {"token_ids", ids},
                  {"prompt_tokens", behaviour_.prompt_tokens},
                  {"completion_tokens", completion},
                  {"finish_reason", nullptr}})) {
        return;
      }
      if (behaviour_.error_every > 0 && n % behaviour_.error_every == 2) {
        write(
            {{"text", ""},
             {"token_ids", json::array()},
             {"prompt_tokens", behaviour_.prompt_tokens},
             {"completion_tokens", completion},
             {"finish_reason", "error"},
             {"error", {{"code", "internal_error"}, {"message", "engine failed"}, {"param", ""}}}});
        stream->close();
        return;
      }
    }
    if (behaviour_.finish) {
      const bool abort = behaviour_.abort_every > 0 && n % behaviour_.abort_every == 3;
      // The last delta carries one more token, as the engine's last step does.
      write({{"text", "end"},
             {"token_ids", {id}},
             {"prompt_tokens", behaviour_.prompt_tokens},
             {"completion_tokens", completion + 1},
             {"finish_reason", abort ? "abort" : "length"}});
    }
    stream->close();
  }

  FakeNativeBehaviour behaviour_;
  std::unique_ptr<http::HttpServer> server_;
  std::atomic<int> next_{0};
  mutable std::mutex mutex_;
  std::vector<json> bodies_;
};

inline ServeBenchOptions native_options(const FakeWorker& fake, int32_t requests,
                                        int32_t concurrency) {
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

inline ServeBenchOptions options_for(const FakeOpenAI& fake, int32_t requests,
                                     int32_t concurrency) {
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

inline void expect_ordered_and_positive(const LatencyStats& stats, const char* name) {
  SCOPED_TRACE(name);
  EXPECT_GT(stats.count, 0);
  EXPECT_GT(stats.p50, 0);
  EXPECT_LE(stats.p50, stats.p95);
  EXPECT_LE(stats.p95, stats.p99);
  EXPECT_GT(stats.mean, 0);
}

}  // namespace fastchat::bench::testing
