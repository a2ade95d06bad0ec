// HttpServer with its handler pool: blocking routes run concurrently up to the pool's size, wait
// in its queue beyond that, and get a 503 past the queue; draining waits for queued work;
// stopping drops it and hangs on nothing.

#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/error/error_envelope.h"
#include "common/http/graceful_shutdown.h"
#include "common/http/http_client.h"
#include "common/http/http_server.h"
#include "test_gate.h"

namespace fastchat::http {
namespace {

using namespace std::chrono_literals;
using testing_support::eventually;
using testing_support::Gate;

class HttpServerPoolTest : public ::testing::Test {
 protected:
  // /block waits at the gate then answers 200 "done"; /health answers inline.
  void start(size_t threads, size_t queue) {
    router_->add(
        "POST", "/block",
        [gate = gate_, this](const Request&, Responder& out) {
          ++handled_;
          gate->enter();
          out.send(Response::text(200, "done"));
        },
        Execution::Blocking);
    router_->add("GET", "/health",
                 [](const Request&, Responder& out) { out.send(Response::text(200, "ok")); });
    ServerOptions options;
    options.port = 0;
    options.handler_threads = threads;
    options.handler_queue = queue;
    server_ = std::make_unique<HttpServer>(options, router_);
    server_->start();
    url_ = Url{"127.0.0.1", server_->port(), ""};
  }
  // A client thread posting to /block; its status (or -1 when the call failed) comes back.
  std::future<int> post_block() {
    return std::async(std::launch::async, [url = url_] {
      try {
        return post_json(url, "/block", "{}").status;
      } catch (const ClientError&) {
        return -1;
      }
    });
  }
  void TearDown() override {
    gate_->open();
    if (server_) server_->stop();
  }

  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  std::atomic<int> handled_{0};
  std::shared_ptr<Router> router_ = std::make_shared<Router>();
  std::unique_ptr<HttpServer> server_;
  Url url_;
};

TEST_F(HttpServerPoolTest, BlockingRoutesRunConcurrentlyUpToThePoolSize) {
  start(3, 4);
  std::vector<std::future<int>> calls;
  for (int i = 0; i < 3; ++i) calls.push_back(post_block());
  ASSERT_TRUE(gate_->wait_entered(3));
  calls.push_back(post_block());
  ASSERT_TRUE(eventually([&] { return server_->in_flight() == 4; }));
  EXPECT_EQ(handled_, 3);                                           // the fourth waits for a thread
  EXPECT_EQ(send_request(url_, "GET", "/health", "").status, 200);  // inline routes go on
  gate_->open();
  for (auto& call : calls) EXPECT_EQ(call.get(), 200);
  EXPECT_EQ(handled_, 4);
  EXPECT_EQ(server_->handler_threads(), 3u);
}

TEST_F(HttpServerPoolTest, ARequestPastThePoolAndItsQueueGets503WithRetryAfterAndTheEnvelope) {
  start(1, 1);
  auto running = post_block();
  ASSERT_TRUE(gate_->wait_entered(1));
  auto queued = post_block();
  ASSERT_TRUE(eventually([&] { return server_->in_flight() == 2; }));
  auto refused = post_json(url_, "/block", "{}");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(find_header(refused.headers, "retry-after").value_or(""), "1");
  auto error = parse_error_envelope(nlohmann::json::parse(refused.body));
  ASSERT_TRUE(error.has_value()) << refused.body;
  EXPECT_EQ(error->code, ErrorCode::Unavailable);
  EXPECT_NE(error->message.find("busy"), std::string::npos) << error->message;
  EXPECT_EQ(handled_, 1);
  gate_->open();
  EXPECT_EQ(running.get(), 200);
  EXPECT_EQ(queued.get(), 200);  // accepted requests are never lost
  EXPECT_EQ(handled_, 2);
}

TEST_F(HttpServerPoolTest, DrainWaitsForQueuedAndRunningWork) {
  start(1, 2);
  auto running = post_block();
  ASSERT_TRUE(gate_->wait_entered(1));
  auto queued = post_block();
  ASSERT_TRUE(eventually([&] { return server_->in_flight() == 2; }));
  server_->begin_drain();
  EXPECT_FALSE(server_->wait_idle(std::chrono::steady_clock::now() + 50ms));
  std::thread release([&] { gate_->open(); });
  EXPECT_EQ(drain_and_stop(*server_, 20s), DrainOutcome::Drained);
  release.join();
  EXPECT_EQ(running.get(), 200);
  EXPECT_EQ(queued.get(), 200);
  EXPECT_EQ(handled_, 2);
}

TEST_F(HttpServerPoolTest, StopDropsQueuedRequestsAndHangsOnNothing) {
  auto running_stream = std::make_shared<std::promise<void>>();
  router_->add(
      "POST", "/stream",
      [running_stream](const Request&, Responder& out) {
        auto stream = out.stream(200, "text/plain");
        running_stream->set_value();
        // Until the server's stop cuts the connection (bounded, should that never come).
        for (int i = 0; i < 2000 && stream->write("x"); ++i) std::this_thread::sleep_for(5ms);
      },
      Execution::Blocking);
  start(1, 4);
  auto streaming = std::async(std::launch::async, [url = url_] {
    try {
      stream_request(
          url, "POST", "/stream", "{}", {}, [](int, const Headers&) { return true; },
          [](std::string_view) { return true; });
    } catch (const ClientError&) {
    }
  });
  ASSERT_EQ(running_stream->get_future().wait_for(20s), std::future_status::ready);
  auto queued = post_block();
  ASSERT_TRUE(eventually([&] { return server_->in_flight() == 2; }));
  server_->stop();
  EXPECT_EQ(queued.get(), -1);  // cut, like the stream
  EXPECT_EQ(handled_, 0);       // dropped before it ran
  streaming.get();
  server_.reset();
}

}  // namespace
}  // namespace fastchat::http
