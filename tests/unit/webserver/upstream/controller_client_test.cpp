// ControllerClient against a fake controller on loopback: the routes it remembers while the
// controller is away (refused connections and error answers), how old they may be, what
// forgets them, and how often a failing controller is asked again. Time is a test clock.

#include "webserver/upstream/controller_client.h"

#include <algorithm>
#include <atomic>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/http/http_server.h"
#include "loopback_server.h"

namespace fastchat::upstream {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class ControllerClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& router = *controller_.router;
    router.add("POST", "/get_worker_address", [this](const http::Request& r, http::Responder& out) {
      ++calls_;
      if (down_) throw_error(ErrorCode::Unavailable, "the controller is shutting down");
      auto body = json::parse(r.body);
      std::vector<std::string> exclude = body.value("exclude", std::vector<std::string>{});
      std::string address;
      for (size_t i = 0; i < workers_.size(); ++i) {
        // Hands out the workers in turn, skipping excluded ones, like a lottery would over time.
        const auto& w = workers_[(turn_ + i) % workers_.size()];
        if (body["model"] == "m" && std::find(exclude.begin(), exclude.end(), w) == exclude.end()) {
          address = w;
          break;
        }
      }
      ++turn_;
      out.send(http::Response::json(200, {{"address", address}}));
    });
    router.add("POST", "/list_models", [this](const http::Request&, http::Responder& out) {
      ++calls_;
      if (down_) throw_error(ErrorCode::Unavailable, "the controller is shutting down");
      if (malformed_) return out.send(http::Response::json(200, {{"models", "not a list"}}));
      out.send(http::Response::json(200, {{"models", listed_}}));
    });
    controller_.start();
  }

  std::unique_ptr<ControllerClient> client(std::chrono::milliseconds grace = 60s) {
    ControllerClientOptions options;
    options.outage_grace = grace;
    options.now = [this] { return start_ + std::chrono::milliseconds(clock_ms_.load()); };
    return std::make_unique<ControllerClient>(http::Url::parse(controller_.address(), "x"),
                                              http::ClientOptions{}, options);
  }

  void advance(std::chrono::milliseconds by) { clock_ms_ += by.count(); }

  static std::string address(const std::optional<http::Url>& url) {
    return url ? url->to_string() : "(none)";
  }

  static Error error_of(const std::function<void()>& call) {
    try {
      call();
    } catch (const ErrorException& e) {
      return e.error();
    }
    ADD_FAILURE() << "no error thrown";
    return {};
  }

  fastchat::testing::LoopbackServer controller_;
  std::atomic<bool> down_{false};
  std::atomic<bool> malformed_{false};
  std::atomic<int> calls_{0};
  size_t turn_ = 0;
  std::vector<std::string> workers_ = {"http://127.0.0.1:1111"};
  std::vector<std::string> listed_ = {"m"};
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::atomic<int64_t> clock_ms_{0};
};

TEST_F(ControllerClientTest, AStoppedControllerIsCoveredByTheLastAnswers) {
  auto c = client();
  EXPECT_EQ(c->list_models(), std::vector<std::string>{"m"});
  EXPECT_EQ(address(c->worker_for("m", {})), "http://127.0.0.1:1111");
  controller_.server->stop();  // connections are refused from now on
  advance(30s);
  EXPECT_EQ(c->list_models(), std::vector<std::string>{"m"});
  EXPECT_EQ(address(c->worker_for("m", {})), "http://127.0.0.1:1111");
  EXPECT_TRUE(c->has_seen("m"));
  // The pool excludes a worker it could not reach: nothing else is remembered.
  EXPECT_FALSE(c->worker_for("m", {"http://127.0.0.1:1111"}).has_value());
  // A model never learned is the controller's failure, not a 404.
  const auto error = error_of([&] { c->worker_for("other", {}); });
  EXPECT_EQ(error.code, ErrorCode::Unavailable);
  EXPECT_NE(error.message.find("controller is unreachable"), std::string::npos) << error.message;
}

TEST_F(ControllerClientTest, RoutesOlderThanTheGraceAreNotUsed) {
  auto c = client(10s);
  c->list_models();
  c->worker_for("m", {});
  down_ = true;  // answers 503
  advance(9'999ms);
  EXPECT_EQ(c->list_models(), std::vector<std::string>{"m"});
  EXPECT_EQ(address(c->worker_for("m", {})), "http://127.0.0.1:1111");
  advance(1ms);
  for (const auto& error :
       {error_of([&] { c->list_models(); }), error_of([&] { c->worker_for("m", {}); })}) {
    EXPECT_EQ(error.code, ErrorCode::Unavailable);
    EXPECT_NE(error.message.find("controller"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("HTTP 503"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("--controller-outage-grace"), std::string::npos) << error.message;
  }
  // Back: fresh answers, and they are remembered again.
  down_ = false;
  EXPECT_EQ(address(c->worker_for("m", {})), "http://127.0.0.1:1111");
  down_ = true;
  advance(2s);
  EXPECT_EQ(address(c->worker_for("m", {})), "http://127.0.0.1:1111");
}

TEST_F(ControllerClientTest, ZeroGraceMeansEveryOutageIsAnError) {
  auto c = client(0ms);
  c->list_models();
  c->worker_for("m", {});
  controller_.server->stop();
  const auto error = error_of([&] { c->worker_for("m", {}); });
  EXPECT_EQ(error.code, ErrorCode::Unavailable);
  EXPECT_EQ(error.message.find("--controller-outage-grace"), std::string::npos) << error.message;
  EXPECT_EQ(error_of([&] { c->list_models(); }).code, ErrorCode::Unavailable);
}

TEST_F(ControllerClientTest, AnOutageSpreadsOverTheRememberedWorkersAndHonoursExclusions) {
  workers_ = {"http://127.0.0.1:1111", "http://127.0.0.1:2222"};
  auto c = client();
  std::set<std::string> learned;
  for (int i = 0; i < 4; ++i) learned.insert(address(c->worker_for("m", {})));
  ASSERT_EQ(learned.size(), 2u);
  down_ = true;
  std::set<std::string> served;
  for (int i = 0; i < 4; ++i) served.insert(address(c->worker_for("m", {})));
  EXPECT_EQ(served, learned);
  EXPECT_EQ(address(c->worker_for("m", {"http://127.0.0.1:1111"})), "http://127.0.0.1:2222");
  EXPECT_FALSE(c->worker_for("m", {"http://127.0.0.1:1111", "http://127.0.0.1:2222"}));
}

TEST_F(ControllerClientTest, AModelTheControllerDroppedIsForgotten) {
  auto c = client();
  c->worker_for("m", {});
  listed_.clear();
  EXPECT_TRUE(c->list_models().empty());  // its workers are gone
  down_ = true;
  EXPECT_EQ(error_of([&] { c->worker_for("m", {}); }).code, ErrorCode::Unavailable);
  EXPECT_TRUE(c->list_models().empty());  // the list itself is remembered, empty
  EXPECT_TRUE(c->has_seen("m"));          // still a 503 rather than a 404
}

TEST_F(ControllerClientTest, NoWorkerRightNowForgetsTheModelsWorkers) {
  auto c = client();
  c->worker_for("m", {});
  // With exclusions an empty answer only means the others were tried: nothing is forgotten.
  EXPECT_FALSE(c->worker_for("m", {"http://127.0.0.1:1111"}));
  workers_.clear();
  EXPECT_FALSE(c->worker_for("m", {}));
  down_ = true;
  EXPECT_EQ(error_of([&] { c->worker_for("m", {}); }).code, ErrorCode::Unavailable);
}

TEST_F(ControllerClientTest, AFailingControllerIsAskedAgainAtMostEverySecondWhileMemoryAnswers) {
  auto c = client();
  c->worker_for("m", {});
  c->list_models();
  down_ = true;
  calls_ = 0;
  EXPECT_EQ(address(c->worker_for("m", {})), "http://127.0.0.1:1111");
  EXPECT_EQ(calls_.load(), 1);
  for (int i = 0; i < 5; ++i) {
    c->worker_for("m", {});
    c->list_models();
  }
  EXPECT_EQ(calls_.load(), 1) << "served from memory without waiting on the controller";
  // What memory cannot answer still goes to the controller.
  EXPECT_EQ(error_of([&] { c->worker_for("other", {}); }).code, ErrorCode::Unavailable);
  EXPECT_EQ(calls_.load(), 2);
  advance(1s);
  down_ = false;
  c->worker_for("m", {});
  EXPECT_EQ(calls_.load(), 3);
  c->worker_for("m", {});
  EXPECT_EQ(calls_.load(), 4) << "back to asking every time once it answers";
}

TEST_F(ControllerClientTest, AMalformedAnswerCountsAsAnOutage) {
  auto c = client();
  c->worker_for("m", {});
  malformed_ = true;
  // list_models was never answered well: nothing to fall back on.
  const auto error = error_of([&] { c->list_models(); });
  EXPECT_EQ(error.code, ErrorCode::Unavailable);
  EXPECT_NE(error.message.find("malformed /list_models"), std::string::npos) << error.message;
}

}  // namespace
}  // namespace fastchat::upstream
