#include "worker/service/worker_service.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "common/json/json_fields.h"
#include "common/json/request_body.h"
#include "common/metrics/exposition.h"
#include "protocol/embedding_input.h"
#include "protocol/fastchat_frames.h"
#include "protocol/generate_request.h"
#include "worker/service/generation.h"

namespace fastchat::service {

using http::Execution;
using nlohmann::json;

namespace {

constexpr const char* kNdjson = "application/x-ndjson";

json status_json(const WorkerIdentity& identity, int32_t queue_length) {
  return {{"model_names", identity.model_names}, {"speed", 1}, {"queue_length", queue_length}};
}

}  // namespace

WorkerService::WorkerService(WorkerIdentity identity)
    : identity_(std::move(identity)),
      admission_(identity_.limit_concurrency),
      metrics_(identity_.model_names.empty() ? std::string() : identity_.model_names.front()) {
  metrics_.set_refusal_source([this] { return admission_.refused(); });
}

WorkerService::WorkerService(engine::ModelInstance& model, WorkerIdentity identity)
    : WorkerService(std::move(identity)) {
  set_model(model);
}

void WorkerService::set_model(engine::ModelInstance& model) {
  metrics_.set_stats_source([&model] { return model.engine().stats(); });
  model_.store(&model);
}

std::shared_ptr<http::Router> WorkerService::router() {
  auto router = std::make_shared<http::Router>();
  router->add(
      "POST", "/worker_generate_stream",
      [this](const auto& req, auto& res) { generate_stream(req, res); }, Execution::Blocking);
  router->add(
      "POST", "/worker_generate", [this](const auto& req, auto& res) { generate(req, res); },
      Execution::Blocking);
  router->add(
      "POST", "/native/generate", [this](const auto& req, auto& res) { native_generate(req, res); },
      Execution::Blocking);
  router->add("POST", "/worker_get_status",
              [this](const auto& req, auto& res) { get_status(req, res); });
  router->add(
      "POST", "/count_token", [this](const auto& req, auto& res) { count_token(req, res); },
      Execution::Blocking);
  router->add(
      "POST", "/worker_get_embeddings",
      [this](const auto& req, auto& res) { get_embeddings(req, res); }, Execution::Blocking);
  router->add("POST", "/worker_get_conv_template",
              [this](const auto& req, auto& res) { conv_template(req, res); });
  router->add("POST", "/model_details",
              [this](const auto& req, auto& res) { model_details(req, res); });
  router->add("GET", "/health", [this](const auto& req, auto& res) { health(req, res); });
  router->add("GET", "/health/ready", [this](const auto& req, auto& res) { health(req, res); });
  router->add("GET", "/health/live", [this](const auto& req, auto& res) { live(req, res); });
  router->add("GET", "/metrics", [this](const auto& req, auto& res) { metrics_page(req, res); });
  return router;
}

engine::ModelInstance& WorkerService::loaded_model() const {
  engine::ModelInstance* model = model_.load();
  if (!model)
    throw_error(ErrorCode::Unavailable, "the worker is still loading its model; retry later", "");
  return *model;
}

engine::ModelInstance& WorkerService::serving_model() const {
  auto& model = loaded_model();
  if (draining_) throw_error(ErrorCode::Unavailable, "the worker is shutting down", "");
  return model;
}

void WorkerService::generate_stream(const http::Request& request, http::Responder& out) {
  std::shared_ptr<Generation> generation;
  try {
    auto& model = serving_model();
    auto params = protocol::parse_fastchat_request(parse_request_body(request.body));
    generation = std::make_shared<Generation>(model, admission_, params);
  } catch (const ErrorException& e) {
    // FastChat reports every failure in-band with HTTP 200.
    auto stream = out.stream(200, "application/octet-stream");
    stream->write(protocol::FastChatFrames::encode(protocol::FastChatFrames::error(e.error())));
    return;
  }
  auto stream = out.stream(200, "application/octet-stream");
  stream->on_client_gone([generation] { generation->cancel(); });
  protocol::FastChatFrames frames;
  while (!generation->finished()) {
    auto delta = generation->next();
    if (!stream->write(protocol::FastChatFrames::encode(frames.add(delta)))) generation->cancel();
  }
  stream->close();
}

void WorkerService::generate(const http::Request& request, http::Responder& out) {
  try {
    auto& model = serving_model();
    auto params = protocol::parse_fastchat_request(parse_request_body(request.body));
    Generation generation(model, admission_, params);
    protocol::FastChatFrames frames;
    json last;
    while (!generation.finished()) last = frames.add(generation.next());
    out.send(http::Response::json(200, last));
  } catch (const ErrorException& e) {
    out.send(http::Response::json(200, protocol::FastChatFrames::error(e.error())));
  }
}

void WorkerService::native_generate(const http::Request& request, http::Responder& out) {
  auto& model = serving_model();
  auto params = protocol::parse_native_request(parse_request_body(request.body));
  // Errors up to here become HTTP statuses; later ones travel in the stream.
  auto generation = std::make_shared<Generation>(model, admission_, params);
  auto stream = out.stream(200, kNdjson);
  stream->on_client_gone([generation] { generation->cancel(); });
  while (!generation->finished()) {
    if (!stream->write(protocol::to_line(generation->next()))) generation->cancel();
  }
  stream->close();
}

void WorkerService::get_status(const http::Request&, http::Responder& out) {
  loaded_model();  // a loading worker has no status to report yet
  out.send(http::Response::json(200, status_json(identity_, queue_length())));
}

void WorkerService::count_token(const http::Request& request, http::Responder& out) {
  auto& model = loaded_model();
  auto body = parse_request_body(request.body);
  const json* prompt = find_field(body, "prompt");
  if (!prompt) reject_field("prompt", "is required");
  size_t count = 0;
  if (prompt->is_array()) {
    for (size_t i = 0; i < prompt->size(); ++i) {
      count += model.encode_prompt(read_string((*prompt)[i], "prompt[" + std::to_string(i) + "]"))
                   .size();
    }
  } else {
    count = model.encode_prompt(read_string(*prompt, "prompt")).size();
  }
  out.send(http::Response::json(200, {{"count", count}, {"error_code", 0}}));
}

// FastChat's embedding route: {"input": ...} (protocol/embedding_input.h) ->
// {"embedding": [[...], ...], "token_num": total tokens}.
void WorkerService::get_embeddings(const http::Request& request, http::Responder& out) {
  auto& model = serving_model();
  const auto body = parse_request_body(request.body);
  const json* input = find_field(body, "input");
  if (!input) reject_field("input", "is required");
  const auto inputs = protocol::parse_embedding_inputs(*input);
  auto slot = admission_.acquire();
  const auto embeddings = model.embed(inputs);
  json vectors = json::array();
  int64_t tokens = 0;
  for (const auto& embedding : embeddings) {
    vectors.push_back(embedding.vector);
    tokens += embedding.num_tokens;
  }
  out.send(http::Response::json(200, {{"embedding", std::move(vectors)}, {"token_num", tokens}}));
}

// FastChat's clients build prompts from "conv" themselves, so it stays the FastChat template;
// "prompt_format" says what this worker renders chats with.
void WorkerService::conv_template(const http::Request&, http::Responder& out) {
  const auto& model = loaded_model();
  out.send(http::Response::json(200, {{"conv", model.conv_template().to_fastchat_json()},
                                      {"prompt_format", model.prompt_format()}}));
}

void WorkerService::model_details(const http::Request&, http::Responder& out) {
  auto& model = loaded_model();
  out.send(http::Response::json(200, {{"context_length", model.engine().context_length()},
                                      {"prompt_format", model.prompt_format()}}));
}

void WorkerService::health(const http::Request&, http::Responder& out) {
  // Ready means: the model is loaded, the worker is not draining, and the engine thread is
  // alive and not stuck in one step. Anything else names its state with a 503, which is what
  // load balancers and docker-compose's depends_on wait for.
  engine::ModelInstance* model = model_.load();
  std::string status = "ok";
  if (!model) {
    status = "loading";
  } else if (draining_) {
    status = "draining";
  } else if (!model->engine().responsive(identity_.engine_stall_limit)) {
    status = "engine not answering";
  }
  json body = {{"status", status},
               {"model_loaded", model != nullptr},
               {"model_names", identity_.model_names},
               {"queue_length", queue_length()}};
  if (model) {
    auto stats = model->engine().stats();
    body["running"] = stats.num_running;
    body["waiting"] = stats.num_waiting;
  }
  out.send(http::Response::json(status == "ok" ? 200 : 503, body));
}

void WorkerService::live(const http::Request&, http::Responder& out) {
  // Liveness only says the process answers; restarting a worker because it is still loading
  // (or draining) would only make things worse.
  out.send(http::Response::json(200, {{"status", "ok"}}));
}

void WorkerService::metrics_page(const http::Request&, http::Responder& out) {
  http::Response response;
  response.content_type = metrics::kContentType;
  response.body = metrics_.render();
  out.send(std::move(response));
}

}  // namespace fastchat::service
