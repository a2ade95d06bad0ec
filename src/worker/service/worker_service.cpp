#include "worker/service/worker_service.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/json/json_fields.h"
#include "common/json/request_body.h"
#include "worker/protocol/generate_request.h"
#include "worker/service/fastchat_frames.h"
#include "worker/service/generation.h"

namespace fastchat::service {

using nlohmann::json;
using http::Execution;

namespace {

constexpr const char* kNdjson = "application/x-ndjson";

json status_json(const WorkerIdentity& identity, int32_t queue_length) {
  return {{"model_names", identity.model_names}, {"speed", 1}, {"queue_length", queue_length}};
}

}  // namespace

WorkerService::WorkerService(engine::ModelInstance& model, WorkerIdentity identity)
    : model_(model), identity_(std::move(identity)), admission_(identity_.limit_concurrency) {}

std::shared_ptr<http::Router> WorkerService::router() {
  auto router = std::make_shared<http::Router>();
  router->add("POST", "/worker_generate_stream",
              [this](const auto& req, auto& res) { generate_stream(req, res); },
              Execution::Blocking);
  router->add("POST", "/worker_generate",
              [this](const auto& req, auto& res) { generate(req, res); },
              Execution::Blocking);
  router->add("POST", "/native/generate",
              [this](const auto& req, auto& res) { native_generate(req, res); },
              Execution::Blocking);
  router->add("POST", "/worker_get_status",
              [this](const auto& req, auto& res) { get_status(req, res); });
  router->add("POST", "/count_token",
              [this](const auto& req, auto& res) { count_token(req, res); },
              Execution::Blocking);
  router->add("POST", "/worker_get_conv_template",
              [this](const auto& req, auto& res) { conv_template(req, res); });
  router->add("POST", "/model_details",
              [this](const auto& req, auto& res) { model_details(req, res); });
  router->add("GET", "/health", [this](const auto& req, auto& res) { health(req, res); });
  return router;
}

void WorkerService::refuse_if_draining() const {
  if (draining_) throw_error(ErrorCode::Unavailable, "the worker is shutting down", "");
}

void WorkerService::generate_stream(const http::Request& request, http::Responder& out) {
  std::shared_ptr<Generation> generation;
  try {
    refuse_if_draining();
    auto params = protocol::parse_fastchat_request(parse_request_body(request.body));
    generation = std::make_shared<Generation>(model_, admission_, params);
  } catch (const ErrorException& e) {
    // FastChat reports every failure in-band with HTTP 200.
    auto stream = out.stream(200, "application/octet-stream");
    stream->write(FastChatFrames::encode(FastChatFrames::error(e.error())));
    return;
  }
  auto stream = out.stream(200, "application/octet-stream");
  stream->on_client_gone([generation] { generation->cancel(); });
  FastChatFrames frames;
  while (!generation->finished()) {
    auto delta = generation->next();
    if (!stream->write(FastChatFrames::encode(frames.add(delta)))) generation->cancel();
  }
  stream->close();
}

void WorkerService::generate(const http::Request& request, http::Responder& out) {
  try {
    refuse_if_draining();
    auto params = protocol::parse_fastchat_request(parse_request_body(request.body));
    Generation generation(model_, admission_, params);
    FastChatFrames frames;
    json last;
    while (!generation.finished()) last = frames.add(generation.next());
    out.send(http::Response::json(200, last));
  } catch (const ErrorException& e) {
    out.send(http::Response::json(200, FastChatFrames::error(e.error())));
  }
}

void WorkerService::native_generate(const http::Request& request, http::Responder& out) {
  refuse_if_draining();
  auto params = protocol::parse_native_request(parse_request_body(request.body));
  // Errors up to here become HTTP statuses; later ones travel in the stream.
  auto generation = std::make_shared<Generation>(model_, admission_, params);
  auto stream = out.stream(200, kNdjson);
  stream->on_client_gone([generation] { generation->cancel(); });
  while (!generation->finished()) {
    if (!stream->write(protocol::to_line(generation->next()))) generation->cancel();
  }
  stream->close();
}

void WorkerService::get_status(const http::Request&, http::Responder& out) {
  out.send(http::Response::json(200, status_json(identity_, queue_length())));
}

void WorkerService::count_token(const http::Request& request, http::Responder& out) {
  auto body = parse_request_body(request.body);
  const json* prompt = find_field(body, "prompt");
  if (!prompt) reject_field("prompt", "is required");
  size_t count = 0;
  if (prompt->is_array()) {
    for (size_t i = 0; i < prompt->size(); ++i) {
      count += model_.encode_prompt(read_string((*prompt)[i], "prompt[" + std::to_string(i) + "]")).size();
    }
  } else {
    count = model_.encode_prompt(read_string(*prompt, "prompt")).size();
  }
  out.send(http::Response::json(200, {{"count", count}, {"error_code", 0}}));
}

void WorkerService::conv_template(const http::Request&, http::Responder& out) {
  out.send(http::Response::json(200, {{"conv", model_.conv_template().to_fastchat_json()}}));
}

void WorkerService::model_details(const http::Request&, http::Responder& out) {
  out.send(http::Response::json(200, {{"context_length", model_.engine().context_length()}}));
}

void WorkerService::health(const http::Request&, http::Responder& out) {
  auto stats = model_.engine().stats();
  json body = {{"status", draining_ ? "draining" : "ok"},
               {"model_loaded", true},
               {"model_names", identity_.model_names},
               {"running", stats.num_running},
               {"waiting", stats.num_waiting},
               {"queue_length", queue_length()}};
  out.send(http::Response::json(draining_ ? 503 : 200, body));
}

}  // namespace fastchat::service
