// The controller over real sockets: its routes served by HttpServer on 127.0.0.1, a fake
// worker answering /worker_get_status, and the fastchat-controller executable itself.

#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/http/http_client.h"
#include "common/http/http_server.h"
#include "controller/controller_service.h"
#include "controller/dispatch/shortest_queue_policy.h"

extern char** environ;

namespace fastchat::controller {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

http::Url local(uint16_t port) { return http::Url{"127.0.0.1", port, ""}; }

TEST(ControllerServer, ServesFastChatProtocolOverHttp) {
  // A worker that only answers the status poll.
  auto worker_router = std::make_shared<http::Router>();
  worker_router->add("POST", "/worker_get_status", [](const http::Request&, http::Responder& r) {
    r.send(http::Response::json(200, {{"model_names", {"w"}}, {"speed", 1}, {"queue_length", 3}}));
  });
  auto worker = std::make_unique<http::HttpServer>(http::ServerOptions{}, worker_router);
  worker->start();

  WorkerRegistry registry;
  ShortestQueuePolicy policy;
  ServiceOptions options;
  options.auth_token = "tok";
  ControllerService service(registry, policy, options);
  http::HttpServer server({}, service.make_router());
  server.start();
  const auto controller = local(server.port());
  const auto worker_name = local(worker->port()).to_string();

  auto r =
      http::post_json(controller, "/register_worker", json{{"worker_name", worker_name}}.dump());
  EXPECT_EQ(r.status, 401);
  http::ClientOptions auth;
  auth.headers.emplace_back("Authorization", "Bearer tok");
  r = http::post_json(controller, "/register_worker",
                      json{{"worker_name", worker_name}, {"check_heart_beat", true}}.dump(), auth);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "null");
  EXPECT_EQ(registry.find(worker_name)->status.queue_length, 3);  // fetched from the worker

  r = http::post_json(controller, "/list_models", "");
  EXPECT_EQ(json::parse(r.body), json({{"models", {"w"}}}));
  r = http::post_json(controller, "/get_worker_address", json{{"model", "w"}}.dump());
  EXPECT_EQ(json::parse(r.body), json({{"address", worker_name}}));
  r = http::post_json(controller, "/worker_get_status", "");
  EXPECT_EQ(json::parse(r.body), json({{"model_names", {"w"}}, {"speed", 1}, {"queue_length", 3}}));
  r = http::send_request(controller, "GET", "/test_connection", "");
  EXPECT_EQ(r.body, "\"success\"");

  // A worker that went away: registration without status names it in a 502.
  worker.reset();  // destroyed, not just stopped: stop() may leave the listener open
  r = http::post_json(controller, "/register_worker", json{{"worker_name", worker_name}}.dump(),
                      auth);
  EXPECT_EQ(r.status, 502);
  EXPECT_NE(r.body.find(worker_name), std::string::npos);
  server.stop();
}

// fastchat-controller as a child process with stdout and stderr on pipes.
struct Child {
  pid_t pid = -1;
  int out = -1;

  explicit Child(std::vector<std::string> args) {
    args.insert(args.begin(), FASTCHAT_CONTROLLER_BIN);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    EXPECT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out = fds[0];
  }
  ~Child() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    if (out >= 0) close(out);
  }

  // Output until `marker` has appeared (and the rest of its line), EOF, or the timeout.
  std::string read_until(const std::string& marker, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto at = text.find(marker);
      if (at != std::string::npos && text.find('\n', at) != std::string::npos) break;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) break;
      pollfd p{out, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[4096];
      const auto n = read(out, buffer, sizeof buffer);
      if (n <= 0) break;
      text.append(buffer, static_cast<size_t>(n));
    }
    return text;
  }

  // Exit status, or -1 if it did not exit within `timeout`.
  int wait_exit(std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }

  std::string text;
};

TEST(ControllerExecutable, AnnouncesItsPortServesAndStopsOnSigterm) {
  Child child({"--port", "0", "--heart-beat-expiration", "0.5", "--log-level", "warn"});
  const std::string marker = "fastchat-controller listening on http://127.0.0.1:";
  const auto out = child.read_until(marker);
  const auto at = out.find(marker);
  ASSERT_NE(at, std::string::npos) << out;
  const int port = std::stoi(out.substr(at + marker.size()));
  const auto controller = local(static_cast<uint16_t>(port));

  const json reg = {{"worker_name", "http://127.0.0.1:9"},
                    {"worker_status", {{"model_names", {"m"}}, {"speed", 1}, {"queue_length", 0}}}};
  EXPECT_EQ(http::post_json(controller, "/register_worker", reg.dump()).status, 200);
  EXPECT_EQ(json::parse(http::post_json(controller, "/list_models", "").body),
            json({{"models", {"m"}}}));
  // No heartbeats: removed after the 0.5 s expiry (plus one 100 ms sweep).
  std::this_thread::sleep_for(800ms);
  EXPECT_EQ(json::parse(http::post_json(controller, "/list_models", "").body),
            json({{"models", json::array()}}));
  EXPECT_NE(
      child.read_until("removed worker", 2s).find("removed worker http://127.0.0.1:9 (models: m)"),
      std::string::npos);

  kill(child.pid, SIGTERM);
  EXPECT_EQ(child.wait_exit(), 0);
}

TEST(ControllerExecutable, BadFlagsExitWithUsageErrorNamingTheFlag) {
  for (const auto& [args, flag] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--dispatch-method", "random"}, "--dispatch-method"},
           {{"--heart-beat-expiration", "-1"}, "--heart-beat-expiration"},
           {{"--allowed-worker-hosts", "10.0.0.0/40"}, "--allowed-worker-hosts"},
           {{"--no-such-flag"}, "--no-such-flag"}}) {
    Child child(args);
    EXPECT_EQ(child.wait_exit(), 2) << flag;
    EXPECT_NE(child.read_until("\n", 1s).find(flag), std::string::npos) << child.text;
  }
}

}  // namespace
}  // namespace fastchat::controller
