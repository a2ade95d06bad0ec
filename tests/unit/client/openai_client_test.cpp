// OpenAiClient against servers on loopback: a well-behaved one (the project's HttpServer) for
// streams, whole answers and error envelopes, and raw sockets for what no good server sends.

#include "client/openai_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "loopback_server.h"
#include "raw_http_peer.h"

namespace fastchat::client {
namespace {

using nlohmann::json;
using testing::LoopbackServer;
using testing::RawHttpPeer;
using namespace std::chrono_literals;

// Runs `call`; expects an ErrorException with this code and param whose message contains
// `fragment`.
template <typename Call>
void expect_error(Call&& call, ErrorCode code, const std::string& param,
                  const std::string& fragment) {
  try {
    call();
    ADD_FAILURE() << "expected an error";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, code) << e.error().message;
    EXPECT_EQ(e.error().param, param) << e.error().message;
    EXPECT_NE(e.error().message.find(fragment), std::string::npos) << e.error().message;
  }
}

std::string event(const json& payload) { return "data: " + payload.dump() + "\n\n"; }

json chat_chunk(const std::string& text) {
  return {
      {"object", "chat.completion.chunk"},
      {"choices", {{{"index", 0}, {"delta", {{"content", text}}}, {"finish_reason", nullptr}}}}};
}

OpenAiClient client_for(const std::string& address, OpenAiClientOptions options = {}) {
  options.base_url = address + "/v1";
  return OpenAiClient(options);
}

// A fake OpenAI server whose /v1/chat/completions streams `events` (written as given) and whose
// /v1/models answers `models_status` with `models_body`.
struct FakeServer {
  LoopbackServer loopback;
  std::vector<std::string> events;
  int models_status = 200;
  json models_body = {{"data", json::array()}};
  std::string authorization;
  json last_body;

  FakeServer() {
    loopback.router->add(
        "POST", "/v1/chat/completions",
        [this](const http::Request& request, http::Responder& out) {
          authorization = std::string(request.header("Authorization").value_or(""));
          last_body = json::parse(request.body);
          auto stream = out.stream(200, "text/event-stream");
          for (const auto& e : events) stream->write(e);
          stream->close();
        },
        http::Execution::Blocking);
    loopback.router->add("POST", "/v1/models", [this](const http::Request&, http::Responder& out) {
      out.send(http::Response::json(models_status, models_body));
    });
    loopback.start();
  }
};

TEST(OpenAiClient, StreamsParsedChunksUntilDone) {
  FakeServer server;
  server.events = {event(chat_chunk("Hel")), ": keep-alive\n\n", event(chat_chunk("lo")),
                   event({{"choices", json::array()},
                          {"usage", {{"prompt_tokens", 3}, {"completion_tokens", 2}}}}),
                   "data: [DONE]\n\n"};
  OpenAiClientOptions options;
  options.api_key = "sk-test";
  const auto client = client_for(server.loopback.address(), options);
  std::string text;
  int usage_tokens = 0;
  const auto outcome = client.stream("/chat/completions", R"({"stream": true, "n": 1})",
                                     [&](const openai::StreamChunk& chunk) {
                                       for (const auto& choice : chunk.choices) text += choice.text;
                                       if (chunk.usage)
                                         usage_tokens = chunk.usage->completion_tokens;
                                       return true;
                                     });
  EXPECT_TRUE(outcome.ok()) << outcome.message;
  EXPECT_EQ(outcome.status, 200);
  EXPECT_EQ(text, "Hello");
  EXPECT_EQ(usage_tokens, 2);
  EXPECT_EQ(server.authorization, "Bearer sk-test");
  EXPECT_EQ(server.last_body["n"], 1);
}

TEST(OpenAiClient, SaysHowAStreamEnded) {
  FakeServer server;
  const auto client = client_for(server.loopback.address());
  auto end_of = [&](std::vector<std::string> events) {
    server.events = std::move(events);
    return client.stream("/chat/completions", "{}",
                         [](const openai::StreamChunk&) { return true; });
  };
  auto error =
      end_of({event(chat_chunk("a")),
              event({{"error", {{"message", "worker died"}, {"type", "upstream_error"}}}})});
  EXPECT_EQ(error.end, StreamEnd::StreamError);
  EXPECT_EQ(error.message, "worker died");
  ASSERT_TRUE(error.error.has_value());
  EXPECT_EQ(error.error->code, ErrorCode::UpstreamFailed);
  EXPECT_EQ(stream_end_name(error.end, error.status), "stream_error");

  auto truncated = end_of({event(chat_chunk("a"))});
  EXPECT_EQ(truncated.end, StreamEnd::Truncated);
  auto bad = end_of({"data: {oops\n\n"});
  EXPECT_EQ(bad.end, StreamEnd::BadResponse);
  EXPECT_NE(bad.message.find("{oops"), std::string::npos) << bad.message;

  server.events = {event(chat_chunk("a")), event(chat_chunk("b")), "data: [DONE]\n\n"};
  int seen = 0;
  auto stopped = client.stream("/chat/completions", "{}",
                               [&](const openai::StreamChunk&) { return ++seen < 1; });
  EXPECT_EQ(stopped.end, StreamEnd::Stopped);
  EXPECT_EQ(seen, 1);
}

TEST(OpenAiClient, AnHttpErrorCarriesTheServersEnvelope) {
  RawHttpPeer peer([](int fd) {
    const std::string body = R"({"error":{"message":"queue full","type":"rate_limit_exceeded"}})";
    RawHttpPeer::write_all(fd,
                           "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
                           "Content-Length: " +
                               std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                               body);
  });
  const auto client = client_for(peer.address());
  const auto outcome = client.stream("/chat/completions", "{}", [](const auto&) { return true; });
  EXPECT_EQ(outcome.end, StreamEnd::HttpError);
  EXPECT_EQ(outcome.status, 429);
  EXPECT_EQ(outcome.message, "HTTP 429: queue full");
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.error->code, ErrorCode::Overloaded);
  EXPECT_EQ(stream_end_name(outcome.end, outcome.status), "http_429");
}

TEST(OpenAiClient, TimeoutsAndRefusedConnections) {
  std::atomic<bool> release{false};
  RawHttpPeer silent([&](int fd) {
    RawHttpPeer::write_all(
        fd, std::string(RawHttpPeer::kChunkedHead) + RawHttpPeer::chunk(event(chat_chunk("a"))));
    for (int i = 0; i < 200 && !release; ++i) std::this_thread::sleep_for(10ms);
  });
  OpenAiClientOptions options;
  options.read_timeout = 200ms;
  auto outcome =
      client_for(silent.address(), options).stream("/chat/completions", "{}", [](const auto&) {
        return true;
      });
  EXPECT_EQ(outcome.end, StreamEnd::Timeout) << outcome.message;

  // The total timeout cuts a stream that keeps sending but never ends.
  RawHttpPeer endless([&](int fd) {
    RawHttpPeer::write_all(fd, RawHttpPeer::kChunkedHead);
    for (int i = 0; i < 200 && !release; ++i) {
      if (!RawHttpPeer::write_all(fd, RawHttpPeer::chunk(event(chat_chunk("x"))))) return;
      std::this_thread::sleep_for(10ms);
    }
  });
  options.read_timeout = 2s;
  options.total_timeout = 300ms;
  outcome =
      client_for(endless.address(), options).stream("/chat/completions", "{}", [](const auto&) {
        return true;
      });
  EXPECT_EQ(outcome.end, StreamEnd::Timeout) << outcome.message;
  release = true;

  // Nothing listens on port 1 of loopback.
  outcome = client_for("http://127.0.0.1:1").stream("/chat/completions", "{}", [](const auto&) {
    return true;
  });
  EXPECT_EQ(outcome.end, StreamEnd::Connection) << outcome.message;
}

TEST(OpenAiClient, PostReturnsTheAnswerOrThrowsTheServersError) {
  FakeServer server;
  const auto client = client_for(server.loopback.address());
  EXPECT_EQ(client.post("/models", "{}"), server.models_body);
  server.models_status = 404;
  server.models_body = {{"error",
                         {{"message", "The model 'x' does not exist"},
                          {"type", "not_found_error"},
                          {"param", "model"}}}};
  expect_error([&] { client.post("/models", "{}"); }, ErrorCode::NotFound, "model",
               "The model 'x' does not exist");
  server.models_status = 502;
  server.models_body = json::array({1});
  expect_error([&] { client.post("/models", "{}"); }, ErrorCode::UpstreamFailed, "",
               "/v1/models: HTTP 502: [1]");
}

TEST(OpenAiClient, PostResponseReturnsAnyStatusForTheCallerToJudge) {
  FakeServer server;
  const auto client = client_for(server.loopback.address());
  server.models_status = 429;
  server.models_body = {{"error", {{"message", "slow down"}, {"type", "rate_limit_error"}}}};
  const auto response = client.post_response("/models", "{}");
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(json::parse(response.body), server.models_body);
  EXPECT_TRUE(http::find_header(response.headers, "Content-Type").has_value());
}

TEST(OpenAiClient, RefusesABaseUrlThatIsNotHttp) {
  OpenAiClientOptions options;
  options.base_url = "https://api.openai.com/v1";
  expect_error([&] { OpenAiClient client(options); }, ErrorCode::InvalidConfig, "base_url",
               "http://");
}

}  // namespace
}  // namespace fastchat::client
