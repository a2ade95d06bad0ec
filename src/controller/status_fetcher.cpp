#include "controller/status_fetcher.h"

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/http/http_client.h"
#include "controller/worker_protocol.h"

namespace fastchat::controller {

StatusFetcher http_status_fetcher(std::chrono::milliseconds timeout) {
  return [timeout](const http::Url& worker) {
    const std::string name = worker.to_string();
    http::ClientOptions options;
    options.connect_timeout = timeout;
    options.read_timeout = timeout;
    options.max_response_bytes = 1u << 20;
    // FastChat posts no body; "{}" keeps JSON-strict workers happy and FastChat's ignore it.
    const auto response = http::post_json(worker, "/worker_get_status", "{}", options);
    if (response.status != 200) {
      throw_error(ErrorCode::UpstreamFailed,
                  "worker " + name + " answered /worker_get_status with HTTP " +
                      std::to_string(response.status),
                  "worker_name");
    }
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_discarded()) {
      throw_error(ErrorCode::UpstreamFailed,
                  "worker " + name + " answered /worker_get_status with invalid JSON",
                  "worker_name");
    }
    try {
      return parse_worker_status(body, "", ErrorCode::UpstreamFailed);
    } catch (const ErrorException& e) {
      throw_error(ErrorCode::UpstreamFailed,
                  "worker " + name + " sent an unusable status: " + e.error().message,
                  "worker_name");
    }
  };
}

}  // namespace fastchat::controller
