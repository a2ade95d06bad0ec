// run_service(): the steps of a server program run in the contract's order, a signal drains to
// exit code 0, a second one cuts the drain short, and a failure while starting escapes after
// the program is destroyed. The signal tests run in a child process (death-test machinery):
// run_service blocks SIGINT/SIGTERM, and the signals go to the whole process.

#include "common/process/run_service.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "common/http/http_client.h"
#include "test_gate.h"

namespace fastchat::process {
namespace {

using namespace std::chrono_literals;

http::ServerOptions local_server() {
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  return options;
}

// Reports each step on stderr. GET /hold streams until the server cuts it (bounded).
class FakeProgram final : public ServerProgram {
 public:
  using Step = std::function<void(FakeProgram&)>;

  explicit FakeProgram(Step listening, std::atomic<bool>* destroyed = nullptr)
      : listening_(std::move(listening)),
        destroyed_(destroyed),
        server_(local_server(), router()) {}
  ~FakeProgram() override {
    if (client_.joinable()) client_.join();
    if (destroyed_) *destroyed_ = true;
  }

  http::HttpServer& server() override { return server_; }
  void on_listening() override {
    std::fprintf(stderr, "[listening]");
    if (listening_) listening_(*this);
  }
  void on_drain() override { std::fprintf(stderr, "[drain]"); }
  void on_stopped() override { std::fprintf(stderr, "[stopped]\n"); }

  // A client on its own thread holding one stream open, joined at destruction.
  void hold_a_stream() {
    http::Url url{"127.0.0.1", server_.port(), ""};
    client_ = std::thread([url] {
      try {
        http::stream_request(
            url, "GET", "/hold", "", {}, [](int, const http::Headers&) { return true; },
            [](std::string_view) { return true; });
      } catch (const http::ClientError&) {
      }
    });
    testing_support::eventually([&] { return server_.in_flight() == 1; });
  }

 private:
  static std::shared_ptr<http::Router> router() {
    auto router = std::make_shared<http::Router>();
    router->add(
        "GET", "/hold",
        [](const http::Request&, http::Responder& out) {
          auto stream = out.stream(200, "text/plain");
          for (int i = 0; i < 4000 && stream->write("x"); ++i) std::this_thread::sleep_for(5ms);
        },
        http::Execution::Blocking);
    return router;
  }

  Step listening_;
  std::atomic<bool>* destroyed_;
  http::HttpServer server_;
  std::thread client_;
};

// In the child: stdout (the "listening on" line and the log) joins stderr, which the death
// test matches.
int run_in_child(double drain_timeout_s, FakeProgram::Step listening) {
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
  return run_service("fake-server", drain_timeout_s,
                     [&] { return std::make_unique<FakeProgram>(std::move(listening)); });
}

TEST(RunServiceDeathTest, ASignalDrainsAndExitsZeroAfterTheStepsInOrder) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(std::exit(run_in_child(30.0, [](FakeProgram&) { ::kill(::getpid(), SIGTERM); })),
              ::testing::ExitedWithCode(0),
              "fake-server listening on http://127\\.0\\.0\\.1:[0-9]+.*\\[listening\\].*"
              "received SIGTERM, shutting down.*\\[drain\\]\\[stopped\\]");
}

TEST(RunServiceDeathTest, ASecondSignalCutsTheDrainShortAndStillExitsZero) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto listening = [](FakeProgram& program) {
    program.hold_a_stream();
    ::kill(::getpid(), SIGTERM);
    ::kill(::getpid(), SIGINT);
  };
  // A drain timeout far beyond the test's: only the second signal can end the drain.
  EXPECT_EXIT(std::exit(run_in_child(3600.0, listening)), ::testing::ExitedWithCode(0),
              "\\[drain\\].*again: stopping at once.*second signal: cutting 1 request.*"
              "\\[stopped\\]");
}

TEST(RunServiceTest, AFailureWhileStartingEscapesAfterTheProgramIsDestroyed) {
  std::atomic<bool> destroyed{false};
  bool escaped = false;
  // On a thread of its own: run_service blocks the shutdown signals in the calling thread.
  std::thread([&] {
    try {
      run_service("fake-server", 1.0, [&] {
        return std::make_unique<FakeProgram>(
            [](FakeProgram&) { throw_error(ErrorCode::Internal, "model failed to load", ""); },
            &destroyed);
      });
    } catch (const ErrorException& e) {
      escaped = destroyed && e.error().message == "model failed to load";
    }
  }).join();
  EXPECT_TRUE(escaped);
}

}  // namespace
}  // namespace fastchat::process
