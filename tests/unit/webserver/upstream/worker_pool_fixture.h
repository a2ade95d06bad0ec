#pragma once
// A fake controller on loopback handing out the test's workers in order (skipping excluded
// ones, as ours does), a WorkerPool in front of it, and delta lines for fake workers.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loopback_server.h"
#include "webserver/upstream/worker_pool.h"

namespace fastchat::upstream {

using nlohmann::json;

using FakeServer = fastchat::testing::LoopbackServer;

inline std::string delta_line(const std::string& text, const char* finish = nullptr) {
  protocol::GenerateDelta delta;
  delta.text = text;
  delta.token_ids = {1};
  delta.prompt_tokens = 3;
  delta.completion_tokens = 1;
  if (finish) delta.finish_reason = finish;
  return protocol::to_line(delta);
}

class WorkerPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The controller hands out workers in order, skipping excluded ones, as ours does.
    controller_.router->add(
        "POST", "/get_worker_address", [this](const http::Request& r, http::Responder& out) {
          auto body = json::parse(r.body);
          std::vector<std::string> exclude = body.value("exclude", std::vector<std::string>{});
          std::string address;
          if (body["model"] == "m") {
            for (const auto& w : workers_) {
              if (std::find(exclude.begin(), exclude.end(), w) == exclude.end()) {
                address = w;
                break;
              }
            }
          }
          out.send(http::Response::json(200, {{"address", address}}));
        });
    controller_.router->add("POST", "/list_models",
                            [this](const http::Request&, http::Responder& out) {
                              out.send(http::Response::json(200, {{"models", listed_}}));
                            });
    controller_.start();
    client_ = std::make_unique<ControllerClient>(http::Url::parse(controller_.address(), "x"),
                                                 http::ClientOptions{});
    WorkerPoolOptions options;
    options.worker_read_timeout = std::chrono::seconds(5);
    pool_ = std::make_unique<WorkerPool>(*client_, options);
  }

  std::vector<protocol::GenerateDelta> run(const std::string& model) {
    std::vector<protocol::GenerateDelta> out;
    protocol::GenerateRequest request;
    request.prompt = "hi";
    pool_->generate(model, request, [&](const protocol::GenerateDelta& d) {
      out.push_back(d);
      return true;
    });
    return out;
  }

  FakeServer controller_;
  std::vector<std::string> workers_;
  std::vector<std::string> listed_;
  std::unique_ptr<ControllerClient> client_;
  std::unique_ptr<WorkerPool> pool_;
};

}  // namespace fastchat::upstream
