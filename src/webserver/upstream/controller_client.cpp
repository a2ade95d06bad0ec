#include "webserver/upstream/controller_client.h"

#include <algorithm>
#include <cstdio>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace fastchat::upstream {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

std::string format_seconds(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace

ControllerClient::ControllerClient(http::Url controller, http::ClientOptions options,
                                   ControllerClientOptions cache)
    : controller_(std::move(controller)),
      options_(std::move(options)),
      cache_options_(std::move(cache)) {}

ControllerClient::Clock::time_point ControllerClient::now() const {
  return cache_options_.now ? cache_options_.now() : Clock::now();
}

bool ControllerClient::fresh(Clock::time_point learned, Clock::time_point now) const {
  return cache_options_.outage_grace > 0ms && now - learned < cache_options_.outage_grace;
}

std::optional<json> ControllerClient::ask(std::string_view path, std::string body, const char* key,
                                          Expect expect, Error& failure) {
  std::string message;
  try {
    auto response = http::post_json(controller_, path, std::move(body), options_);
    if (response.status == 200) {
      json answer = json::parse(response.body, nullptr, false);
      const bool valid =
          answer.is_object() && answer.contains(key) &&
          (expect == Expect::Array ? answer[key].is_array() : answer[key].is_string());
      if (valid) {
        note_success(now());
        return answer;
      }
      message = "the controller at " + controller_.to_string() + " sent a malformed " +
                std::string(path) + " answer";
    } else {
      message = "the controller at " + controller_.to_string() + " answered " + std::string(path) +
                " with HTTP " + std::to_string(response.status);
    }
  } catch (const http::ClientError& e) {
    message = "the controller is unreachable: " + e.error().message;
  }
  failure = Error{ErrorCode::Unavailable, std::move(message), ""};
  note_failure(now(), failure);
  return std::nullopt;
}

bool ControllerClient::skip_controller(Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  return in_outage_ && now - last_failure_ < cache_options_.retry_after_failure;
}

void ControllerClient::note_success(Clock::time_point now) {
  double away = 0;
  {
    std::lock_guard lock(mutex_);
    if (!in_outage_) return;
    in_outage_ = false;
    away = seconds(now - outage_started_);
  }
  spdlog::info("controller {} answers again after {:.1f} s away", controller_.to_string(), away);
}

void ControllerClient::note_failure(Clock::time_point now, const Error& error) {
  {
    std::lock_guard lock(mutex_);
    last_failure_ = now;
    if (in_outage_) return;  // once per outage, not once per request
    in_outage_ = true;
    outage_exhausted_logged_ = false;
    outage_started_ = now;
  }
  if (cache_options_.outage_grace > 0ms) {
    spdlog::warn(
        "{}; serving from the routes it gave in the last {:.1f} s until it answers again "
        "(--controller-outage-grace)",
        error.message, seconds(cache_options_.outage_grace));
  } else {
    spdlog::warn(
        "{}; requests fail with 503 until it answers again "
        "(--controller-outage-grace is 0)",
        error.message);
  }
}

void ControllerClient::throw_outage(const Error& failure) {
  const bool remembering = cache_options_.outage_grace > 0ms;
  bool log_exhausted = false;
  double away = 0;
  {
    std::lock_guard lock(mutex_);
    if (remembering && in_outage_ && !outage_exhausted_logged_) {
      outage_exhausted_logged_ = log_exhausted = true;
      away = seconds(now() - outage_started_);
    }
  }
  const double grace = seconds(cache_options_.outage_grace);
  if (log_exhausted) {
    spdlog::warn(
        "controller {} away for {:.1f} s and a request needed a route it never gave or "
        "gave more than {:.1f} s ago (--controller-outage-grace): answering 503",
        controller_.to_string(), away, grace);
  }
  if (!remembering) throw ErrorException(failure);
  throw_error(ErrorCode::Unavailable,
              failure.message + "; no route learned from it in the last " + format_seconds(grace) +
                  " s (--controller-outage-grace) covers this request",
              failure.param);
}

std::vector<std::string> ControllerClient::list_models() {
  if (skip_controller(now())) {
    std::lock_guard lock(mutex_);
    if (models_ && fresh(models_learned_, now())) return *models_;
  }
  Error failure;
  auto answer = ask("/list_models", "{}", "models", Expect::Array, failure);
  if (!answer) {
    {
      std::lock_guard lock(mutex_);
      if (models_ && fresh(models_learned_, now())) return *models_;
    }
    throw_outage(failure);
  }
  std::vector<std::string> models;
  for (const auto& name : (*answer)["models"]) {
    if (name.is_string()) models.push_back(name.get<std::string>());
  }
  std::sort(models.begin(), models.end());
  models.erase(std::unique(models.begin(), models.end()), models.end());
  std::lock_guard lock(mutex_);
  seen_models_.insert(models.begin(), models.end());
  models_ = models;
  models_learned_ = now();
  // A model the controller no longer lists has no worker left: forget the ones it named.
  std::erase_if(workers_, [&](const auto& entry) {
    return !std::binary_search(models.begin(), models.end(), entry.first);
  });
  return models;
}

ControllerClient::RememberedWorker ControllerClient::remembered_worker(
    const std::string& model, const std::vector<std::string>& exclude, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  RememberedWorker result;
  auto found = workers_.find(model);
  if (found == workers_.end()) return result;
  std::vector<const std::string*> candidates;
  for (const auto& [address, learned] : found->second) {
    if (!fresh(learned, now)) continue;
    result.known = true;
    if (std::find(exclude.begin(), exclude.end(), address) == exclude.end()) {
      candidates.push_back(&address);
    }
  }
  // Whether one of them died since is the worker pool's to find out: it excludes a worker it
  // cannot reach and asks again.
  if (!candidates.empty()) result.address = *candidates[next_pick_++ % candidates.size()];
  return result;
}

std::optional<http::Url> ControllerClient::worker_for(const std::string& model,
                                                      const std::vector<std::string>& exclude) {
  std::optional<RememberedWorker> remembered;
  if (skip_controller(now())) {
    remembered = remembered_worker(model, exclude, now());
    if (!remembered->known) remembered.reset();
  }
  if (!remembered) {
    json request = {{"model", model}};
    if (!exclude.empty()) request["exclude"] = exclude;
    Error failure;
    auto answer = ask("/get_worker_address", request.dump(), "address", Expect::String, failure);
    if (!answer) {
      remembered = remembered_worker(model, exclude, now());
      if (!remembered->known) throw_outage(failure);
    } else {
      const auto& address = (*answer)["address"].get_ref<const std::string&>();
      if (address.empty()) {
        // Nothing serves the model now; with exclusions it only means the others were tried.
        if (exclude.empty()) {
          std::lock_guard lock(mutex_);
          workers_.erase(model);
        }
        return std::nullopt;
      }
      std::optional<http::Url> url;
      try {
        url = http::Url::parse(address, "address");
      } catch (const ErrorException&) {
        throw_error(ErrorCode::UpstreamFailed, "the controller named an invalid worker address '" +
                                                   address.substr(0, 100) + "'");
      }
      std::lock_guard lock(mutex_);
      seen_models_.insert(model);
      // Keyed like the pool's exclusions, which are the URLs we hand out.
      workers_[model][url->to_string()] = now();
      return url;
    }
  }
  if (!remembered->address) return std::nullopt;
  return http::Url::parse(*remembered->address, "address");
}

bool ControllerClient::has_seen(const std::string& model) const {
  std::lock_guard lock(mutex_);
  return seen_models_.count(model) > 0;
}

}  // namespace fastchat::upstream
