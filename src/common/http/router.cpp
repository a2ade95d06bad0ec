#include "common/http/router.h"

#include <exception>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "common/error/error_envelope.h"
#include "common/http/path_pattern.h"

namespace fastchat::http {

Response render_error(const Error& error) {
  return Response::json(http_status(error.code), error_envelope(error));
}

void Router::add(std::string method, std::string path, Handler handler, Execution execution) {
  routes_.push_back(Route{std::move(method), std::move(path), std::move(handler), execution});
}

const Router::Route* Router::match(const Request& request, Responder& responder) const {
  bool path_known = false;
  for (const auto& route : routes_) {
    if (!path_matches(route.path, request.path)) continue;
    if (route.method == request.method) return &route;
    path_known = true;
  }
  if (path_known) {
    auto response =
        render(Error{ErrorCode::InvalidRequest,
                     "method " + request.method + " is not allowed on " + request.path, "method"});
    response.status = 405;
    std::string allowed;
    for (const auto& route : routes_) {
      if (!path_matches(route.path, request.path)) continue;
      allowed += (allowed.empty() ? "" : ", ") + route.method;
    }
    response.headers.emplace_back("Allow", allowed);
    responder.send(std::move(response));
  } else {
    responder.send(render(Error{ErrorCode::NotFound, "no route for " + request.path, "path"}));
  }
  return nullptr;
}

void Router::invoke(const Route& route, const Request& request, Responder& responder) const {
  std::optional<Error> failure;
  try {
    route.handler(request, responder);
  } catch (const ErrorException& e) {
    failure = e.error();
  } catch (const std::exception& e) {
    spdlog::error("{} {}: unhandled exception: {}", request.method, request.path, e.what());
    failure = Error{ErrorCode::Internal, "internal error", ""};
  }
  if (!failure && !responder.responded()) {
    spdlog::error("{} {}: handler sent no response", request.method, request.path);
    failure = Error{ErrorCode::Internal, "internal error", ""};
  }
  if (!failure) return;
  if (!responder.responded()) {
    responder.send(render(*failure));
  } else {
    spdlog::warn("{} {}: failed after responding: {}", request.method, request.path,
                 failure->message);
  }
}

void Router::dispatch(const Request& request, Responder& responder) const {
  if (const Route* route = match(request, responder)) invoke(*route, request, responder);
}

}  // namespace fastchat::http
