#pragma once
// Runs one generation on some worker of a model: asks the controller for a worker, streams the
// native protocol from it, and when the worker cannot be reached before it produced anything,
// asks for another (excluding the failed one) instead of failing the client.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/http/http_client.h"
#include "common/http/stream_poller.h"
#include "protocol/generate_delta.h"
#include "protocol/generate_request.h"
#include "webserver/upstream/controller_client.h"
#include "webserver/upstream/delta_reader.h"

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

  /// Hands each delta to the sink until the last one (finish or error delta). The sink's
  /// refusal or cancellation ends the generation (the worker sees the connection close). Throws
  /// ErrorException: NotFound (unknown model), Unavailable (no worker), the worker's own
  /// rejection (InvalidRequest, ContextLengthExceeded, Overloaded, ...), UpstreamFailed or
  /// UpstreamTimeout when a worker fails mid-way.
  ///
  /// Until the first delta the stream is read on the calling thread (a worker failing then
  /// is replaced); after it, on the shared stream poller while the sink would not block.
  void generate(const std::string& model, const protocol::GenerateRequest& request,
                const DeltaSink& sink);
  void generate(const std::string& model, const protocol::GenerateRequest& request,
                const std::function<bool(const protocol::GenerateDelta&)>& on_delta) {
    generate(model, request, DeltaSink{on_delta});
  }

  /// POSTs `body` to `path` (e.g. /count_token) on a worker of `model` and returns its JSON
  /// object; an unreachable worker is replaced by another. Throws like generate().
  nlohmann::json post(const std::string& model, std::string_view path, const nlohmann::json& body);

 private:
  /// Why no worker of `model` could answer, as the client should read it.
  [[noreturn]] void fail_without_worker(const std::string& model,
                                        const std::optional<Error>& last_failure) const;
  /// Reads `upstream` into `reader` to the end of the body, or until the sink cancels.
  void relay(http::ClientStream& upstream, DeltaReader& reader, const DeltaSink& sink);

  ControllerClient& controller_;
  WorkerPoolOptions options_;
  http::StreamPoller poller_;
};

}  // namespace fastchat::upstream
