#include "common/http/http_client.h"

#include "common/http/client_stream.h"

namespace fastchat::http {

ClientResponse send_request(const Url& url, std::string_view method, std::string_view path,
                            std::string body, const ClientOptions& options) {
  ClientResponse response;
  response.status = stream_request(
      url, method, path, std::move(body), options,
      [&](int, const Headers& headers) {
        response.headers = headers;
        return true;
      },
      [&](std::string_view data) {
        response.body.append(data);
        return true;
      });
  return response;
}

ClientResponse post_json(const Url& url, std::string_view path, std::string body,
                         const ClientOptions& options) {
  return send_request(url, "POST", path, std::move(body), options);
}

int stream_request(const Url& url, std::string_view method, std::string_view path, std::string body,
                   const ClientOptions& options,
                   const std::function<bool(int, const Headers&)>& on_headers,
                   const std::function<bool(std::string_view)>& on_data) {
  ClientStream exchange(url, method, path, std::move(body), options);
  const int status = exchange.status();
  if (!on_headers(status, exchange.headers())) {
    exchange.close();
    return status;
  }
  while (!exchange.done()) {
    auto piece = exchange.read();
    if (!piece.empty() && !on_data(piece)) {
      exchange.close();
      return status;
    }
  }
  return status;
}

}  // namespace fastchat::http
