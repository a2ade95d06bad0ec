#pragma once
// Runs one generation on some worker of a model: asks the controller for a worker, streams the
// native protocol from it, and when the worker cannot be reached before it produced anything,
// asks for another (excluding the failed one) instead of failing the client.

#include <functional>
#include <string>

#include "common/http/http_client.h"
#include "webserver/upstream/controller_client.h"
#include "worker/protocol/generate_delta.h"
#include "worker/protocol/generate_request.h"

namespace fastchat::upstream {

struct WorkerPoolOptions {
  /// Longest silence from a worker mid-generation (a queued request also waits this long).
  std::chrono::milliseconds worker_read_timeout{std::chrono::seconds(600)};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  /// Workers tried per request when earlier ones cannot be reached.
  int max_attempts = 3;
};

class WorkerPool {
 public:
  WorkerPool(ControllerClient& controller, WorkerPoolOptions options);

  /// Calls `on_delta` for each delta until the last one (finish or error delta). `on_delta`
  /// returning false cancels the generation (the worker sees the connection close). Throws
  /// ErrorException: NotFound (unknown model), Unavailable (no worker), the worker's own
  /// rejection (InvalidRequest, ContextLengthExceeded, Overloaded, ...), UpstreamFailed or
  /// UpstreamTimeout when a worker fails mid-way.
  void generate(const std::string& model, const protocol::GenerateRequest& request,
                const std::function<bool(const protocol::GenerateDelta&)>& on_delta);

 private:
  ControllerClient& controller_;
  WorkerPoolOptions options_;
};

}  // namespace fastchat::upstream
