#pragma once
// The controller's only outbound call: POST {worker}/worker_get_status. Behind a function type
// so that tests can count calls (the allowlist must prevent them) without a network.

#include <chrono>
#include <functional>

#include "common/http/url.h"
#include "controller/registry/worker_registry.h"

namespace fastchat::controller {

/// The worker's status, or throws ErrorException{UpstreamFailed or UpstreamTimeout} whose
/// message names the worker.
using StatusFetcher = std::function<WorkerStatus(const http::Url& worker)>;

/// Over HTTP, with `timeout` for the connection and for the answer (FastChat uses 5 s).
StatusFetcher http_status_fetcher(std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace fastchat::controller
