#include "webserver/api/openai_service.h"

#include <algorithm>
#include <ctime>

#include <nlohmann/json.hpp>

#include "common/http/bearer_auth.h"
#include "common/http/path_pattern.h"
#include "common/metrics/exposition.h"
#include "protocol/openai/chat_request.h"
#include "protocol/openai/completion_request.h"
#include "protocol/openai/embeddings.h"
#include "protocol/openai/responses.h"
#include "protocol/token_check.h"
#include "webserver/api/response_writer.h"

namespace fastchat::api {

using http::Execution;
using nlohmann::json;

namespace {

http::Response render_openai_error(const Error& error) {
  auto response = http::Response::json(http_status(error.code), openai::error_body(error));
  if (error.code == ErrorCode::Overloaded) response.headers.emplace_back("Retry-After", "1");
  if (error.code == ErrorCode::Unauthorized) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  return response;
}

// The per-choice seed: n choices with one seed must still differ, and each stays reproducible.
std::optional<uint64_t> choice_seed(const std::optional<uint64_t>& seed, int choice) {
  if (!seed) return std::nullopt;
  return *seed + static_cast<uint64_t>(choice);
}

constexpr const char* kModelRoute = "/v1/models/{model}";
constexpr const char* kEngineEmbeddingsRoute = "/v1/engines/{model}/embeddings";

// A count in a worker's answer; anything else is the worker's fault, not the client's.
int64_t read_count(const json& answer, const char* field) {
  const auto it = answer.find(field);
  if (it == answer.end() || !it->is_number_integer() || it->get<int64_t>() < 0) {
    throw_error(ErrorCode::UpstreamFailed,
                std::string("the worker's answer has no count '") + field + "'");
  }
  return it->get<int64_t>();
}

}  // namespace

OpenAiService::OpenAiService(upstream::ControllerClient& controller, upstream::WorkerPool& pool,
                             ApiOptions options)
    : controller_(controller), pool_(pool), options_(std::move(options)) {}

std::shared_ptr<http::Router> OpenAiService::router() {
  auto router = std::make_shared<http::Router>(render_openai_error);
  router->add("GET", "/v1/models",
              metrics_.instrument("/v1/models",
                                  [this](const auto& req, auto& res) { list_models(req, res); }),
              Execution::Blocking);
  router->add("GET", kModelRoute,
              metrics_.instrument(kModelRoute,
                                  [this](const auto& req, auto& res) { retrieve_model(req, res); }),
              Execution::Blocking);
  router->add("POST", "/v1/chat/completions",
              metrics_.instrument("/v1/chat/completions",
                                  [this](const auto& req, auto& res) {
                                    chat_completions(req, res, openai::ChatDialect::OpenAi);
                                  }),
              Execution::Blocking);
  router->add("POST", "/api/v1/chat/completions",
              metrics_.instrument("/api/v1/chat/completions",
                                  [this](const auto& req, auto& res) {
                                    chat_completions(req, res, openai::ChatDialect::FastChat);
                                  }),
              Execution::Blocking);
  for (const char* path : {"/v1/embeddings", kEngineEmbeddingsRoute}) {
    router->add(
        "POST", path,
        metrics_.instrument(path, [this](const auto& req, auto& res) { embeddings(req, res); }),
        Execution::Blocking);
  }
  router->add("POST", "/api/v1/token_check",
              metrics_.instrument("/api/v1/token_check",
                                  [this](const auto& req, auto& res) { token_check(req, res); }),
              Execution::Blocking);
  router->add("POST", "/v1/completions",
              metrics_.instrument("/v1/completions",
                                  [this](const auto& req, auto& res) { completions(req, res); }),
              Execution::Blocking);
  router->add("GET", "/health", [this](const auto& req, auto& res) { health(req, res); });
  // Open like /health, as vLLM serves it: scrapers rarely hold API keys, and the series carry
  // no request content.
  router->add("GET", "/metrics", [this](const auto& req, auto& res) { metrics_page(req, res); });
  return router;
}

void OpenAiService::authenticate(const http::Request& request) const {
  if (options_.api_keys.empty()) return;
  if (!request.bearer_token()) {
    throw_error(ErrorCode::Unauthorized,
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.", "");
  }
  if (!http::bearer_token_accepted(request, options_.api_keys)) {
    throw_error(ErrorCode::Unauthorized, "Incorrect API key provided.", "");
  }
}

void OpenAiService::refuse_if_draining() const {
  if (draining_)
    throw_error(ErrorCode::Unavailable, "the server is shutting down; retry on another one", "");
}

void OpenAiService::list_models(const http::Request& request, http::Responder& out) {
  refuse_if_draining();
  authenticate(request);
  out.send(
      http::Response::json(200, openai::model_list(controller_.list_models(), std::time(nullptr))));
}

// OpenAI's retrieve: the model's entry of /v1/models, or a 404 in OpenAI's shape.
void OpenAiService::retrieve_model(const http::Request& request, http::Responder& out) {
  refuse_if_draining();
  authenticate(request);
  const auto name = http::path_param(kModelRoute, request.path, "model");
  if (!name)
    throw_error(ErrorCode::InvalidRequest, "the model name in the path is malformed", "model");
  const auto names = controller_.list_models();
  if (std::find(names.begin(), names.end(), *name) == names.end()) {
    throw_error(ErrorCode::NotFound,
                "The model '" + *name + "' does not exist or no worker serves it", "model");
  }
  const auto list = openai::model_list({*name}, std::time(nullptr));
  out.send(http::Response::json(200, list["data"][0]));
}

// FastChat's token check: each prompt counted by a worker of its model (its tokenizer), against
// that worker's context length.
void OpenAiService::token_check(const http::Request& request, http::Responder& out) {
  refuse_if_draining();
  authenticate(request);
  const auto items = protocol::parse_token_check_request(request.body);
  std::vector<protocol::TokenCheckResult> results;
  for (const auto& item : items) {
    const json prompt = {{"prompt", item.prompt}};
    protocol::TokenCheckResult result;
    result.token_count = read_count(pool_.post(item.model, "/count_token", prompt), "count");
    result.context_length =
        read_count(pool_.post(item.model, "/model_details", prompt), "context_length");
    result.fits = result.token_count + item.max_tokens <= result.context_length;
    results.push_back(result);
  }
  out.send(http::Response::json(200, protocol::token_check_response(results)));
}

// Embeddings from a worker of the model (FastChat's /worker_get_embeddings, which pools and
// normalises); the legacy route names the model in its path.
void OpenAiService::embeddings(const http::Request& request, http::Responder& out) {
  refuse_if_draining();
  authenticate(request);
  const auto path_model = http::path_param(kEngineEmbeddingsRoute, request.path, "model");
  const auto parsed = openai::parse_embeddings_request(request.body, path_model.value_or(""));
  const json answer =
      pool_.post(parsed.model, "/worker_get_embeddings",
                 {{"model", parsed.model}, {"input", protocol::to_json(parsed.inputs)}});
  std::vector<std::vector<float>> vectors;
  try {
    vectors = answer.at("embedding").get<std::vector<std::vector<float>>>();
  } catch (const json::exception&) {
    throw_error(ErrorCode::UpstreamFailed, "the worker's embeddings are not lists of numbers");
  }
  if (vectors.size() != parsed.inputs.size()) {
    throw_error(ErrorCode::UpstreamFailed, "the worker embedded " + std::to_string(vectors.size()) +
                                               " inputs of " +
                                               std::to_string(parsed.inputs.size()));
  }
  const auto size = static_cast<int64_t>(vectors.front().size());
  if (parsed.dimensions && *parsed.dimensions != size) {
    throw_error(ErrorCode::InvalidRequest,
                "'dimensions' is " + std::to_string(*parsed.dimensions) + ", but model '" +
                    parsed.model + "' gives " + std::to_string(size) +
                    "-dimensional embeddings and was not trained to be shortened",
                "dimensions");
  }
  out.send(http::Response::json(
      200, openai::embeddings_response(vectors, parsed.model, read_count(answer, "token_num"),
                                       parsed.base64)));
}

void OpenAiService::chat_completions(const http::Request& request, http::Responder& out,
                                     openai::ChatDialect dialect) {
  const auto arrived = RequestMetrics::Clock::now();
  refuse_if_draining();
  authenticate(request);
  auto parsed = openai::parse_chat_completion_request(request.body, dialect);
  const auto& options = parsed.options;
  std::vector<ChoiceJob> jobs;
  for (int i = 0; i < options.n; ++i) {
    ChoiceJob job{i, 0, {}};
    if (parsed.raw_prompt) {
      job.request.prompt = parsed.raw_prompt;
    } else {
      job.request.messages = parsed.messages;
      job.request.tools = parsed.tools;
      job.request.parallel_tool_calls = parsed.parallel_tool_calls;
      job.request.chat_template_kwargs = parsed.chat_template_kwargs;
    }
    job.request.sampling = options.sampling;
    job.request.sampling.seed = choice_seed(options.sampling.seed, i);
    job.request.max_tokens_set = options.max_tokens_set;
    jobs.push_back(std::move(job));
  }
  RequestMetrics metrics(metrics_, parsed.model, arrived);
  ChoiceRunner runner(pool_, parsed.model, std::move(jobs));
  Endpoint endpoint{true,           parsed.model,         options.n, parsed.logprobs,
                    options.stream, options.include_usage};
  write_response(runner, endpoint, out, metrics);
}

void OpenAiService::completions(const http::Request& request, http::Responder& out) {
  const auto arrived = RequestMetrics::Clock::now();
  refuse_if_draining();
  authenticate(request);
  auto parsed = openai::parse_completion_request(request.body);
  const auto& options = parsed.options;
  std::vector<ChoiceJob> jobs;
  for (size_t p = 0; p < parsed.prompts.size(); ++p) {
    for (int i = 0; i < options.n; ++i) {
      ChoiceJob job{static_cast<int>(p) * options.n + i, static_cast<int>(p), {}};
      job.request.prompt = parsed.prompts[p];
      job.request.echo = parsed.echo;
      job.request.sampling = options.sampling;
      job.request.sampling.seed = choice_seed(options.sampling.seed, i);
      job.request.max_tokens_set = options.max_tokens_set;
      jobs.push_back(std::move(job));
    }
  }
  const int num_choices = static_cast<int>(jobs.size());
  RequestMetrics metrics(metrics_, parsed.model, arrived);
  ChoiceRunner runner(pool_, parsed.model, std::move(jobs));
  Endpoint endpoint{false,          parsed.model,         num_choices, parsed.logprobs >= 0,
                    options.stream, options.include_usage};
  write_response(runner, endpoint, out, metrics);
}

void OpenAiService::health(const http::Request&, http::Responder& out) {
  if (draining_) {
    out.send(http::Response::json(503, {{"status", "draining"}}));
    return;
  }
  out.send(http::Response::json(200, {{"status", "ok"}}));
}

void OpenAiService::metrics_page(const http::Request&, http::Responder& out) {
  http::Response response;
  response.content_type = metrics::kContentType;
  response.body = metrics_.render();
  out.send(std::move(response));
}

}  // namespace fastchat::api
