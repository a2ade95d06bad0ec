#include "worker/registration/controller_registration.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "common/http/http_server.h"
#include "controller/controller_service.h"
#include "controller/dispatch/shortest_queue_policy.h"

namespace fastchat::registration {
namespace {

using namespace std::chrono_literals;

// A controller in this process: the real service and HTTP server on 127.0.0.1.
struct InProcessController {
  explicit InProcessController(uint16_t port = 0, std::optional<std::string> token = {}) {
    controller::ServiceOptions options;
    options.auth_token = std::move(token);
    service = std::make_unique<controller::ControllerService>(registry, policy, options);
    http::ServerOptions server_options;
    server_options.port = port;
    server = std::make_unique<http::HttpServer>(server_options, service->make_router());
    server->start();
  }
  ~InProcessController() { server->stop(); }

  http::Url url() const { return http::Url{"127.0.0.1", server->port(), ""}; }

  controller::WorkerRegistry registry;
  controller::ShortestQueuePolicy policy;
  std::unique_ptr<controller::ControllerService> service;
  std::unique_ptr<http::HttpServer> server;
};

// Polls `condition` until it holds or `limit` passes.
template <typename F>
bool eventually(F condition, std::chrono::milliseconds limit = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

constexpr const char* kWorker = "http://127.0.0.1:21002/";
constexpr const char* kWorkerName = "http://127.0.0.1:21002";

RegistrationOptions options_for(const http::Url& controller, std::atomic<int>& queue) {
  RegistrationOptions options;
  options.controller = controller;
  options.worker_address = kWorker;
  options.model_names = {"vicuna-7b", "vicuna"};
  options.heart_beat_interval = 200ms;
  options.retry_interval = 50ms;
  options.request_timeout = 1s;
  options.queue_length = [&queue] { return queue.load(); };
  return options;
}

TEST(ControllerRegistration, RegistersAndHeartbeatsUpdateTheQueueLength) {
  InProcessController controller;
  std::atomic<int> queue{2};
  ControllerRegistration registration(options_for(controller.url(), queue));
  EXPECT_EQ(registration.worker_name(), kWorkerName);
  ASSERT_TRUE(registration.start());
  EXPECT_TRUE(registration.registered());
  const auto w = controller.registry.find(kWorkerName);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->status.model_names, (std::vector<std::string>{"vicuna-7b", "vicuna"}));
  EXPECT_EQ(w->status.queue_length, 2);
  EXPECT_TRUE(w->check_heart_beat);
  EXPECT_FALSE(w->multimodal);
  queue = 7;
  EXPECT_TRUE(eventually([&] {
    const auto now = controller.registry.find(kWorkerName);
    return now && now->status.queue_length == 7;
  }));
}

TEST(ControllerRegistration, RegistersAgainWhenTheControllerForgetsIt) {
  InProcessController controller;
  std::atomic<int> queue{0};
  ControllerRegistration registration(options_for(controller.url(), queue));
  ASSERT_TRUE(registration.start());
  for (const auto& w : controller.registry.snapshot()) controller.registry.remove(w.name);
  ASSERT_EQ(controller.registry.size(), 0u);
  // The next heartbeat hears exist:false, then registers: within about one interval.
  EXPECT_TRUE(eventually([&] { return controller.registry.find(kWorkerName).has_value(); }, 2s));
}

TEST(ControllerRegistration, UnregistersOnStopWithoutWaitingForTheInterval) {
  InProcessController controller;
  std::atomic<int> queue{0};
  auto options = options_for(controller.url(), queue);
  options.heart_beat_interval = 30s;  // stop must not wait for it
  ControllerRegistration registration(options);
  ASSERT_TRUE(registration.start());
  ASSERT_EQ(controller.registry.size(), 1u);
  const auto start = std::chrono::steady_clock::now();
  registration.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(controller.registry.size(), 0u);
  EXPECT_FALSE(registration.registered());
  registration.stop();  // idempotent
}

TEST(ControllerRegistration, SurvivesTheControllerBeingDownAtStart) {
  uint16_t port = 0;
  {
    InProcessController probe;  // learn a free port, then free it
    port = probe.server->port();
  }
  std::atomic<int> queue{1};
  ControllerRegistration registration(options_for(http::Url{"127.0.0.1", port, ""}, queue));
  EXPECT_FALSE(registration.start());
  std::this_thread::sleep_for(120ms);  // a few failed retries, and still alive
  EXPECT_FALSE(registration.registered());
  InProcessController controller(port);
  EXPECT_TRUE(eventually([&] { return controller.registry.find(kWorkerName).has_value(); }));
  EXPECT_TRUE(eventually([&] { return registration.registered(); }));
}

TEST(ControllerRegistration, RegistersAgainAfterTheControllerRestarts) {
  std::atomic<int> queue{0};
  auto controller = std::make_unique<InProcessController>();
  const uint16_t port = controller->server->port();
  ControllerRegistration registration(options_for(controller->url(), queue));
  ASSERT_TRUE(registration.start());
  controller.reset();  // restart: a fresh controller with an empty table on the same port
  controller = std::make_unique<InProcessController>(port);
  EXPECT_TRUE(eventually([&] { return controller->registry.find(kWorkerName).has_value(); }));
}

TEST(ControllerRegistration, SendsTheAuthToken) {
  InProcessController controller(0, "tok-123");
  std::atomic<int> queue{0};
  auto options = options_for(controller.url(), queue);
  ControllerRegistration anonymous(options);
  EXPECT_FALSE(anonymous.start());  // 401: retried, never crashes
  anonymous.stop();
  options.auth_token = "tok-123";
  ControllerRegistration registration(options);
  EXPECT_TRUE(registration.start());
  EXPECT_EQ(controller.registry.size(), 1u);
  registration.stop();
  EXPECT_EQ(controller.registry.size(), 0u);  // unregister carried the token too
}

TEST(ControllerRegistration, RefusesBadOptions) {
  std::atomic<int> queue{0};
  auto options = options_for(http::Url{"127.0.0.1", 1, ""}, queue);
  options.worker_address = "127.0.0.1:21002";
  EXPECT_THROW(ControllerRegistration{options}, ErrorException);
  options = options_for(http::Url{"127.0.0.1", 1, ""}, queue);
  options.model_names.clear();
  EXPECT_THROW(ControllerRegistration{options}, ErrorException);
}

TEST(ControllerRegistration, HeartbeatIntervalFollowsFastChatEnvironment) {
  unsetenv("FASTCHAT_WORKER_HEART_BEAT_INTERVAL");
  EXPECT_EQ(default_heart_beat_interval(), 45s);
  setenv("FASTCHAT_WORKER_HEART_BEAT_INTERVAL", "0.5", 1);
  EXPECT_EQ(default_heart_beat_interval(), 500ms);
  setenv("FASTCHAT_WORKER_HEART_BEAT_INTERVAL", "often", 1);
  EXPECT_EQ(default_heart_beat_interval(), 45s);
  unsetenv("FASTCHAT_WORKER_HEART_BEAT_INTERVAL");
}

}  // namespace
}  // namespace fastchat::registration
