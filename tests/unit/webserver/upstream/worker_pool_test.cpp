// WorkerPool against fake controllers and workers on loopback: routing, retry on another
// worker before any output, relaying a worker's rejection, and the 404/503 distinction.

#include "webserver/upstream/worker_pool.h"

#include "worker_pool_fixture.h"

namespace fastchat::upstream {
namespace {

using nlohmann::json;

TEST_F(WorkerPoolTest, StreamsTheWorkersDeltasAndSendsTheNativeRequest) {
  FakeServer worker;
  json received;
  worker.router->add(
      "POST", "/native/generate",
      [&](const http::Request& r, http::Responder& out) {
        received = json::parse(r.body);
        auto stream = out.stream(200, "application/x-ndjson");
        stream->write(delta_line("Once") + delta_line(" upon").substr(0, 5));
        stream->write(delta_line(" upon").substr(5));
        stream->write(delta_line("", "stop"));
      },
      http::Execution::Blocking);
  worker.start();
  workers_ = {worker.address()};
  auto deltas = run("m");
  ASSERT_EQ(deltas.size(), 3u);
  EXPECT_EQ(deltas[0].text, "Once");
  EXPECT_EQ(deltas[1].text, " upon");
  EXPECT_EQ(deltas[2].finish_reason, "stop");
  EXPECT_EQ(received["prompt"], "hi");
}

TEST_F(WorkerPoolTest, AnUnreachableWorkerIsSkippedForTheNextOne) {
  FakeServer dead;
  dead.start();
  const auto dead_address = dead.address();
  dead.server->stop();
  FakeServer alive;
  alive.router->add(
      "POST", "/native/generate",
      [&](const http::Request&, http::Responder& out) {
        out.stream(200, "application/x-ndjson")->write(delta_line("ok", "stop"));
      },
      http::Execution::Blocking);
  alive.start();
  workers_ = {dead_address, alive.address()};
  auto deltas = run("m");
  ASSERT_EQ(deltas.size(), 1u);
  EXPECT_EQ(deltas[0].text, "ok");
}

TEST_F(WorkerPoolTest, AWorkersRejectionIsRelayedWithItsCode) {
  FakeServer worker;
  worker.router->add(
      "POST", "/native/generate",
      [](const http::Request&, http::Responder&) {
        throw_error(ErrorCode::ContextLengthExceeded, "maximum context length is 512 tokens",
                    "max_tokens");
      },
      http::Execution::Blocking);
  worker.start();
  workers_ = {worker.address()};
  try {
    run("m");
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::ContextLengthExceeded);
    EXPECT_EQ(e.error().param, "max_tokens");
    EXPECT_NE(e.error().message.find("512"), std::string::npos);
  }
}

TEST_F(WorkerPoolTest, AFullWorkerIsSkippedAndAllFullIs429) {
  FakeServer full;
  full.router->add(
      "POST", "/native/generate",
      [](const http::Request&, http::Responder&) {
        throw_error(ErrorCode::Overloaded, "the worker is at its concurrency limit");
      },
      http::Execution::Blocking);
  full.start();
  workers_ = {full.address()};
  try {
    run("m");
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::Overloaded);
  }
  FakeServer free;
  free.router->add(
      "POST", "/native/generate",
      [](const http::Request&, http::Responder& out) {
        out.stream(200, "application/x-ndjson")->write(delta_line("ok", "stop"));
      },
      http::Execution::Blocking);
  free.start();
  workers_ = {full.address(), free.address()};
  auto deltas = run("m");
  ASSERT_EQ(deltas.size(), 1u);
  EXPECT_EQ(deltas[0].text, "ok");
}

TEST_F(WorkerPoolTest, AStreamCutMidwayIsAnUpstreamFailure) {
  FakeServer worker;
  worker.router->add(
      "POST", "/native/generate",
      [](const http::Request&, http::Responder& out) {
        out.stream(200, "application/x-ndjson")->write(delta_line("half"));
        // returns without a last delta: the stream ends unfinished
      },
      http::Execution::Blocking);
  worker.start();
  workers_ = {worker.address()};
  std::vector<std::string> texts;
  protocol::GenerateRequest request;
  try {
    pool_->generate("m", request, [&](const protocol::GenerateDelta& d) {
      texts.push_back(d.text);
      return true;
    });
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::UpstreamFailed);
  }
  EXPECT_EQ(texts, std::vector<std::string>{"half"});
}

TEST_F(WorkerPoolTest, UnknownModelIs404AndAKnownModelWithoutWorkersIs503) {
  try {
    run("never-heard-of");
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::NotFound);
    EXPECT_EQ(e.error().param, "model");
  }
  listed_ = {"m"};
  EXPECT_EQ(client_->list_models(), std::vector<std::string>{"m"});
  workers_.clear();
  try {
    run("m");
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::Unavailable);
  }
}

TEST_F(WorkerPoolTest, AnUnreachableControllerIs503) {
  controller_.server->stop();
  try {
    run("m");
    FAIL();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::Unavailable);
    EXPECT_NE(e.error().message.find("controller"), std::string::npos);
  }
}

}  // namespace
}  // namespace fastchat::upstream
