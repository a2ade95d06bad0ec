#pragma once
// Drives a worker's router without a socket: a responder that records what a handler sends or
// streams, and call() for one request.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/http/router.h"

namespace fastchat::service::recording {

struct RecordingStream : http::ResponseStream {
  std::string data;
  bool closed = false;
  bool write(std::string chunk) override {
    data += chunk;
    return true;
  }
  void close() override { closed = true; }
  bool client_gone() const override { return false; }
  void on_client_gone(std::function<void()>) override {}
};

struct RecordingResponder : http::Responder {
  int status() const { return response ? response->status : stream_status; }
  std::optional<http::Response> response;
  std::shared_ptr<RecordingStream> stream_;
  int stream_status = 0;
  void send(http::Response r) override { response = std::move(r); }
  std::shared_ptr<http::ResponseStream> stream(int status, std::string, http::Headers) override {
    stream_status = status;
    stream_ = std::make_shared<RecordingStream>();
    return stream_;
  }
  bool responded() const override { return response || stream_; }
};

inline RecordingResponder call(http::Router& router, const std::string& path,
                               const nlohmann::json& body, const std::string& method = "POST") {
  http::Request request;
  request.method = method;
  request.path = request.target = path;
  request.body = body.dump();
  RecordingResponder out;
  router.dispatch(request, out);
  return out;
}

}  // namespace fastchat::service::recording
