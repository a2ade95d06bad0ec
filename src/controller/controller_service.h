#pragma once
// The controller's HTTP surface: FastChat's controller protocol (same paths, fields and
// success bodies) plus a few extensions. Errors use the router's {"error": {...}} body.
//
// FastChat endpoints (POST unless noted): /register_worker, /receive_heart_beat,
// /list_models, /list_language_models, /list_multimodal_models, /get_worker_address,
// /refresh_all_workers, /worker_get_status, GET /test_connection.
// Extensions:
//   POST /unregister_worker {"worker_name"} -> {"removed": bool}: workers call it on shutdown
//        so that nobody is sent to them during the heartbeat expiry.
//   POST /get_worker_address accepts "exclude": [addresses], so a front-end whose worker
//        failed can ask for another one.
//   GET /health -> {"status": "ok", "workers": n}; 503 {"status": "draining", ...} once shutting
//        down (the other routes keep answering, so that workers can still unregister).
//   With an auth token, /register_worker, /receive_heart_beat, /unregister_worker and
//   /refresh_all_workers need "Authorization: Bearer <token>" (401 otherwise); registrations
//   from hosts outside the allowlist get 403 and are never called (FastChat issue 3886).
// Not ported: /worker_generate_stream (the controller as a worker, "hierarchical management").

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "common/http/router.h"
#include "controller/dispatch/dispatch_policy.h"
#include "controller/registry/host_allowlist.h"
#include "controller/registry/worker_registry.h"
#include "controller/status_fetcher.h"

namespace fastchat::controller {

struct ServiceOptions {
  std::optional<std::string> auth_token;
  HostAllowlist allowed_hosts = HostAllowlist::loopback_and("");
};

class ControllerService {
 public:
  /// `registry` and `policy` must outlive the service; the service must outlive its routes.
  ControllerService(WorkerRegistry& registry, DispatchPolicy& policy, ServiceOptions options,
                    StatusFetcher fetch_status = http_status_fetcher());

  /// Adds every route to `router`.
  void add_routes(http::Router& router);
  /// A router holding just this service's routes.
  std::shared_ptr<http::Router> make_router();
  /// Shutting down: /health answers 503 so that load balancers stop sending (any thread).
  void set_draining(bool draining) { draining_ = draining; }

 private:
  void register_worker(const http::Request& request, http::Responder& responder);
  void receive_heart_beat(const http::Request& request, http::Responder& responder);
  void unregister_worker(const http::Request& request, http::Responder& responder);
  void refresh_all_workers(const http::Request& request, http::Responder& responder);
  void list_models(ModelFilter filter, http::Responder& responder);
  void get_worker_address(const http::Request& request, http::Responder& responder);
  void worker_get_status(http::Responder& responder);

  /// Throws ErrorException{Unauthorized} unless auth is off or the bearer token matches.
  void require_token(const http::Request& request) const;
  /// Statuses of `workers` fetched in parallel; nullopt where the fetch failed (logged).
  std::vector<std::optional<WorkerStatus>> fetch_all(const std::vector<WorkerInfo>& workers);

  WorkerRegistry& registry_;
  DispatchPolicy& policy_;
  ServiceOptions options_;
  StatusFetcher fetch_status_;
  std::atomic<bool> draining_{false};
};

}  // namespace fastchat::controller
