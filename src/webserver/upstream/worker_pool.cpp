#include "webserver/upstream/worker_pool.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "common/error/error_envelope.h"
#include "common/http/client_stream.h"

namespace fastchat::upstream {

using nlohmann::json;

namespace {

// A worker's non-200 answer carries our error envelope; keep its code and message.
Error worker_rejection(int status, const std::string& body, const std::string& worker) {
  if (auto error = parse_error_body(body)) return *std::move(error);
  return Error{ErrorCode::UpstreamFailed,
               "worker " + worker + " answered HTTP " + std::to_string(status), ""};
}

}  // namespace

WorkerPool::WorkerPool(ControllerClient& controller, WorkerPoolOptions options)
    : controller_(controller), options_(options) {}

void WorkerPool::relay(http::ClientStream& upstream, DeltaReader& reader, const DeltaSink& sink) {
  for (;;) {
    if (reader.deliver_held_back() == http::PieceVerdict::Stop || upstream.done()) return;
    if (sink.cancelled()) return;
    if (reader.received() && !sink.would_block()) {
      http::PieceConsumer consumer{[&](std::string_view data) { return reader.take(data, false); },
                                   sink.cancelled};
      if (poller_.follow(upstream, consumer, options_.worker_read_timeout) !=
          http::StreamPoller::Outcome::Yielded) {
        return;
      }
      continue;  // what the sink could not take without blocking is delivered here
    }
    const auto piece = upstream.read();
    if (!piece.empty() && reader.take(piece, true) == http::PieceVerdict::Stop) return;
  }
}

void WorkerPool::generate(const std::string& model, const protocol::GenerateRequest& request,
                          const DeltaSink& sink) {
  const std::string body = protocol::to_native_json(request).dump();
  http::ClientOptions client;
  client.connect_timeout = options_.connect_timeout;
  client.read_timeout = options_.worker_read_timeout;
  client.max_response_bytes = size_t{1} << 34;  // streams are capped per line (DeltaReader)
  std::vector<std::string> failed;
  std::optional<Error> last_failure;
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    auto worker = controller_.worker_for(model, failed);
    if (!worker) break;
    const std::string name = worker->to_string();
    DeltaReader reader(sink, name);
    int rejected_status = 0;  // a non-200 answer: its body is the worker's error envelope
    std::string rejected_body;
    try {
      http::ClientStream upstream(*worker, "POST", "/native/generate", body, client);
      if (upstream.status() != 200) {
        rejected_status = upstream.status();
        while (!upstream.done() && rejected_body.size() < 65536)
          rejected_body.append(upstream.read());
      } else {
        relay(upstream, reader, sink);
      }
    } catch (const http::ClientError& e) {
      // Once output reached the client the answer cannot restart elsewhere; before that,
      // another worker can serve it as if nothing happened.
      if (reader.received()) throw;
      spdlog::warn("worker {} failed before producing output, trying another: {}", name,
                   e.error().message);
      failed.push_back(name);
      last_failure = e.error();
      continue;
    }
    if (rejected_status != 0) {
      auto rejection = worker_rejection(rejected_status, rejected_body, name);
      // A full or draining worker did no work: another worker of the model may have room.
      if (rejection.code != ErrorCode::Overloaded && rejection.code != ErrorCode::Unavailable) {
        throw ErrorException(std::move(rejection));
      }
      failed.push_back(name);
      last_failure = std::move(rejection);
      continue;
    }
    if (reader.cancelled() || sink.cancelled()) return;
    if (!reader.ended() && !reader.received()) {
      failed.push_back(name);  // answered nothing at all: as good as unreachable
      last_failure =
          Error{ErrorCode::UpstreamFailed, "worker " + name + " sent an empty answer", ""};
      continue;
    }
    if (!reader.ended()) {
      throw_error(ErrorCode::UpstreamFailed,
                  "worker " + name + " closed the stream before the generation finished");
    }
    return;
  }
  fail_without_worker(model, last_failure);
}

void WorkerPool::fail_without_worker(const std::string& model,
                                     const std::optional<Error>& last_failure) const {
  if (last_failure && last_failure->code == ErrorCode::UpstreamTimeout) {
    throw_error(ErrorCode::UpstreamTimeout,
                "no worker for model '" + model + "' answered in time: " + last_failure->message);
  }
  if (last_failure && last_failure->code == ErrorCode::Overloaded)
    throw ErrorException(*last_failure);
  if (last_failure) {
    throw_error(ErrorCode::Unavailable,
                "no reachable worker for model '" + model + "': " + last_failure->message);
  }
  if (!controller_.has_seen(model)) {
    throw_error(ErrorCode::NotFound, "The model '" + model + "' does not exist", "model");
  }
  throw_error(ErrorCode::Unavailable, "no worker is serving model '" + model + "' right now",
              "model");
}

json WorkerPool::post(const std::string& model, std::string_view path, const json& body) {
  http::ClientOptions client;
  client.connect_timeout = options_.connect_timeout;
  client.read_timeout = options_.worker_read_timeout;
  std::vector<std::string> failed;
  std::optional<Error> last_failure;
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    auto worker = controller_.worker_for(model, failed);
    if (!worker) break;
    const std::string name = worker->to_string();
    http::ClientResponse response;
    try {
      response = http::post_json(*worker, path, body.dump(), client);
    } catch (const http::ClientError& e) {
      failed.push_back(name);
      last_failure = e.error();
      continue;
    }
    if (response.status != 200)
      throw ErrorException(worker_rejection(response.status, response.body, name));
    json answer = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (!answer.is_object()) {
      throw_error(ErrorCode::UpstreamFailed,
                  "worker " + name + " answered " + std::string(path) + " with no JSON object");
    }
    return answer;
  }
  fail_without_worker(model, last_failure);
}

}  // namespace fastchat::upstream
