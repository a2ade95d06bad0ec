#pragma once
// A Responder that keeps what the handler sent, so services are tested without sockets.

#include <optional>

#include <nlohmann/json.hpp>

#include "common/http/router.h"

namespace fastchat::controller::testing {

class FakeResponder final : public http::Responder {
 public:
  void send(http::Response response) override { response_ = std::move(response); }
  std::shared_ptr<http::ResponseStream> stream(int, std::string, http::Headers) override {
    throw std::logic_error("the controller never streams");
  }
  bool responded() const override { return response_.has_value(); }

  int status() const { return response_ ? response_->status : 0; }
  nlohmann::json json() const {
    return nlohmann::json::parse(response_ ? response_->body : "null");
  }
  const http::Response& response() const { return *response_; }

 private:
  std::optional<http::Response> response_;
};

inline http::Request make_request(std::string method, std::string path, std::string body = {},
                                  http::Headers headers = {}) {
  http::Request request;
  request.method = std::move(method);
  request.target = path;
  request.path = std::move(path);
  request.body = std::move(body);
  request.headers = std::move(headers);
  request.remote_address = "127.0.0.1";
  return request;
}

}  // namespace fastchat::controller::testing
