#include "controller/controller_service.h"

#include <future>
#include <set>
#include <string_view>
#include <utility>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/http/bearer_auth.h"
#include "controller/worker_protocol.h"

namespace fastchat::controller {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// A client's string as logged: at most 200 characters, so one request cannot write a huge line.
std::string shown(std::string_view text) {
  constexpr size_t kMaxChars = 200;
  if (text.size() <= kMaxChars) return std::string(text);
  return std::string(text.substr(0, kMaxChars)) + "...";
}

void send_json(http::Responder& responder, const json& body) {
  responder.send(http::Response::json(200, body));
}

}  // namespace

ControllerService::ControllerService(WorkerRegistry& registry, DispatchPolicy& policy,
                                     ServiceOptions options, StatusFetcher fetch_status)
    : registry_(registry),
      policy_(policy),
      options_(std::move(options)),
      fetch_status_(std::move(fetch_status)) {}

void ControllerService::add_routes(http::Router& router) {
  using http::Execution;
  // Routes that may call workers run on the handler pool; the rest only touch the registry.
  router.add(
      "POST", "/register_worker", [this](const auto& req, auto& res) { register_worker(req, res); },
      Execution::Blocking);
  router.add("POST", "/receive_heart_beat",
             [this](const auto& req, auto& res) { receive_heart_beat(req, res); });
  router.add("POST", "/unregister_worker",
             [this](const auto& req, auto& res) { unregister_worker(req, res); });
  router.add(
      "POST", "/refresh_all_workers",
      [this](const auto& req, auto& res) { refresh_all_workers(req, res); }, Execution::Blocking);
  router.add("POST", "/list_models",
             [this](const auto&, auto& res) { list_models(ModelFilter::All, res); });
  router.add("POST", "/list_language_models",
             [this](const auto&, auto& res) { list_models(ModelFilter::Language, res); });
  router.add("POST", "/list_multimodal_models",
             [this](const auto&, auto& res) { list_models(ModelFilter::Multimodal, res); });
  router.add("POST", "/get_worker_address",
             [this](const auto& req, auto& res) { get_worker_address(req, res); });
  router.add(
      "POST", "/worker_get_status", [this](const auto&, auto& res) { worker_get_status(res); },
      Execution::Blocking);
  router.add("GET", "/test_connection", [](const auto&, auto& res) { send_json(res, "success"); });
  router.add("GET", "/health", [this](const auto&, auto& res) {
    if (draining_) {
      res.send(
          http::Response::json(503, json{{"status", "draining"}, {"workers", registry_.size()}}));
      return;
    }
    send_json(res, json{{"status", "ok"}, {"workers", registry_.size()}});
  });
}

std::shared_ptr<http::Router> ControllerService::make_router() {
  auto router = std::make_shared<http::Router>();
  add_routes(*router);
  return router;
}

void ControllerService::require_token(const http::Request& request) const {
  if (!options_.auth_token) return;
  const auto presented = request.bearer_token();
  if (!http::bearer_token_accepted(request, {*options_.auth_token})) {
    // Never log the presented value: it may be a near-miss of the real token.
    spdlog::warn("refused {} from {}: {} bearer token", request.path, request.remote_address,
                 presented ? "wrong" : "missing");
    throw_error(ErrorCode::Unauthorized,
                "this controller requires 'Authorization: Bearer <token>' (see --auth-token)");
  }
}

void ControllerService::register_worker(const http::Request& request, http::Responder& responder) {
  require_token(request);
  auto registration = parse_register_request(parse_json_object(request.body));
  const auto& name = registration.worker_name;
  if (!options_.allowed_hosts.allows(registration.url.host)) {
    spdlog::warn("refused registration of {} from {}: host not in --allowed-worker-hosts",
                 shown(name), request.remote_address);
    throw_error(ErrorCode::Forbidden,
                "worker_name " + name + " is not on this controller's --allowed-worker-hosts list",
                "worker_name");
  }
  if (!registration.status) {
    try {
      registration.status = fetch_status_(registration.url);
    } catch (const ErrorException& e) {
      spdlog::warn("registration of {} failed: {}", name, e.error().message);
      throw_error(ErrorCode::UpstreamFailed,
                  "could not get the status of worker " + name + ": " + e.error().message,
                  "worker_name");
    }
  }
  const auto models = join(registration.status->model_names);
  const bool replaced = registry_.upsert(name, std::move(*registration.status),
                                         registration.check_heart_beat, registration.multimodal);
  spdlog::info("{} worker {} (models: {}; heartbeat checked: {}; multimodal: {})",
               replaced ? "re-registered" : "registered", name, models,
               registration.check_heart_beat, registration.multimodal);
  send_json(responder, nullptr);  // FastChat answers null
}

void ControllerService::receive_heart_beat(const http::Request& request,
                                           http::Responder& responder) {
  require_token(request);
  const auto beat = parse_heartbeat_request(parse_json_object(request.body));
  const bool exist = registry_.heartbeat(beat.worker_name, beat.queue_length);
  if (exist) {
    spdlog::debug("heartbeat from {} (queue length {})", beat.worker_name, beat.queue_length);
  } else {
    spdlog::info("heartbeat from unknown worker {}: asking it to re-register", beat.worker_name);
  }
  send_json(responder, json{{"exist", exist}});
}

void ControllerService::unregister_worker(const http::Request& request,
                                          http::Responder& responder) {
  require_token(request);
  const auto name = parse_worker_url(parse_json_object(request.body)).to_string();
  const auto removed = registry_.remove(name);
  if (removed) {
    spdlog::info("unregistered worker {} (models: {})", name, join(removed->status.model_names));
  }
  send_json(responder, json{{"removed", removed.has_value()}});
}

std::vector<std::optional<WorkerStatus>> ControllerService::fetch_all(
    const std::vector<WorkerInfo>& workers) {
  std::vector<std::future<std::optional<WorkerStatus>>> pending;
  pending.reserve(workers.size());
  for (const auto& worker : workers) {
    pending.push_back(
        std::async(std::launch::async, [this, name = worker.name]() -> std::optional<WorkerStatus> {
          try {
            const auto url = http::Url::parse(name, "worker_name");
            // The registry only holds allowed hosts, but check again: never call anywhere else.
            if (!options_.allowed_hosts.allows(url.host)) return std::nullopt;
            return fetch_status_(url);
          } catch (const std::exception& e) {
            spdlog::warn("status of worker {} unavailable: {}", name, e.what());
            return std::nullopt;
          }
        }));
  }
  std::vector<std::optional<WorkerStatus>> statuses;
  for (auto& f : pending) statuses.push_back(f.get());
  return statuses;
}

void ControllerService::refresh_all_workers(const http::Request& request,
                                            http::Responder& responder) {
  require_token(request);
  // Unlike FastChat, the table is not cleared first: readers never see it empty mid-refresh.
  const auto workers = registry_.snapshot();
  const auto statuses = fetch_all(workers);
  size_t kept = 0;
  for (size_t i = 0; i < workers.size(); ++i) {
    const auto& name = workers[i].name;
    if (statuses[i]) {
      kept += registry_.update_status(name, *statuses[i]) ? 1 : 0;
    } else if (const auto removed = registry_.remove(name)) {
      spdlog::warn("refresh removed unreachable worker {} (models: {})", name,
                   join(removed->status.model_names));
    }
  }
  spdlog::info("refreshed workers: {} of {} answered", kept, workers.size());
  send_json(responder, nullptr);
}

void ControllerService::list_models(ModelFilter filter, http::Responder& responder) {
  send_json(responder, json{{"models", registry_.model_names(filter)}});
}

void ControllerService::get_worker_address(const http::Request& request,
                                           http::Responder& responder) {
  const auto ask = parse_address_request(parse_json_object(request.body));
  const auto address = registry_.dispatch(ask.model, ask.exclude, policy_);
  spdlog::debug("get_worker_address {} -> {}", shown(ask.model), address.value_or("(none)"));
  send_json(responder, json{{"address", address.value_or("")}});
}

void ControllerService::worker_get_status(http::Responder& responder) {
  const auto workers = registry_.snapshot();
  const auto statuses = fetch_all(workers);
  std::set<std::string> names;
  double speed = 0.0;
  int64_t queue_length = 0;
  for (const auto& status : statuses) {
    if (!status) continue;  // as FastChat: unreachable workers are left out of the sum
    names.insert(status->model_names.begin(), status->model_names.end());
    speed += status->speed;
    queue_length += status->queue_length;
  }
  send_json(responder, json{{"model_names", std::vector<std::string>(names.begin(), names.end())},
                            {"speed", speed_to_json(speed)},
                            {"queue_length", queue_length}});
}

}  // namespace fastchat::controller
