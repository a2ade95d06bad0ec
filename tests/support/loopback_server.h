#pragma once
// An HttpServer on 127.0.0.1 and an ephemeral port with a router the test fills in before
// start(): the fake controllers and workers of the upstream and API tests.

#include <memory>
#include <string>

#include "common/http/http_server.h"

namespace fastchat::testing {

struct LoopbackServer {
  std::shared_ptr<http::Router> router = std::make_shared<http::Router>();
  std::unique_ptr<http::HttpServer> server;

  void start() {
    server = std::make_unique<http::HttpServer>(http::ServerOptions{}, router);
    server->start();
  }
  std::string address() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
};

}  // namespace fastchat::testing
