#pragma once
// fastchat-server's view of the controller: which models exist and which worker serves one.
// Remembers every model name it has seen, so that a model whose workers all died is told
// apart (503, "no worker right now") from a name that never existed (404).
//
// A controller restart or a network blip should not take the whole API down while the workers
// themselves are fine, so the last answers the controller gave (the model list, the workers it
// named per model, each with the time it was learned) are kept. While the controller cannot be
// reached, answers younger than the outage grace are served from there; older ones are not
// trusted and the caller gets the controller's failure (503) as before.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error/error.h"
#include "common/http/http_client.h"
#include "common/http/url.h"

namespace fastchat::upstream {

struct ControllerClientOptions {
  using Clock = std::chrono::steady_clock;
  /// How old the routes learned from the controller may be and still be used while it cannot
  /// be reached (--controller-outage-grace). Zero: never; every outage is a 503 at once.
  std::chrono::milliseconds outage_grace{std::chrono::seconds(60)};
  /// While the controller is failing, requests within this long of the last failed call go
  /// straight to the remembered routes instead of waiting on the controller's timeouts again.
  std::chrono::milliseconds retry_after_failure{std::chrono::seconds(1)};
  /// The time source; tests replace it. Null: Clock::now.
  std::function<Clock::time_point()> now;
};

class ControllerClient {
 public:
  ControllerClient(http::Url controller, http::ClientOptions options,
                   ControllerClientOptions cache = {});

  /// Sorted model names; throws ErrorException{Unavailable} when the controller cannot be asked
  /// and no model list younger than the outage grace is remembered.
  std::vector<std::string> list_models();
  /// A worker for `model` other than those in `exclude`, or nullopt when none is registered
  /// (or, in an outage, none remembered is left). Throws like list_models().
  std::optional<http::Url> worker_for(const std::string& model,
                                      const std::vector<std::string>& exclude);
  /// True if any answer from the controller ever named this model.
  bool has_seen(const std::string& model) const;

 private:
  using Clock = ControllerClientOptions::Clock;

  enum class Expect { Array, String };
  /// The controller's JSON answer, an object whose `key` holds an `expect`; or nullopt with
  /// `failure` set to Error{Unavailable} (unreachable, non-200, malformed), outage noted.
  std::optional<nlohmann::json> ask(std::string_view path, std::string body, const char* key,
                                    Expect expect, Error& failure);
  /// True when a recent failure says not to wait on the controller again yet.
  bool skip_controller(Clock::time_point now) const;
  void note_success(Clock::time_point now);
  void note_failure(Clock::time_point now, const Error& error);
  /// The error for a failed controller call that the remembered routes could not cover.
  [[noreturn]] void throw_outage(const Error& failure);
  /// What the remembered routes say about a model's workers during an outage.
  struct RememberedWorker {
    bool known = false;                  ///< some address for the model is young enough to use
    std::optional<std::string> address;  ///< one of them not excluded, if any is left
  };
  RememberedWorker remembered_worker(const std::string& model,
                                     const std::vector<std::string>& exclude,
                                     Clock::time_point now);
  Clock::time_point now() const;
  bool fresh(Clock::time_point learned, Clock::time_point now) const;

  http::Url controller_;
  http::ClientOptions options_;
  ControllerClientOptions cache_options_;

  mutable std::mutex mutex_;
  std::set<std::string> seen_models_;
  // The last successful answers.
  std::optional<std::vector<std::string>> models_;
  Clock::time_point models_learned_{};
  std::map<std::string, std::map<std::string, Clock::time_point>> workers_;  // model -> address
  size_t next_pick_ = 0;  // spreads outage traffic over a model's remembered workers
  // The outage in progress, if any: logged once when it starts, once when routes run out,
  // and once when the controller answers again.
  bool in_outage_ = false;
  bool outage_exhausted_logged_ = false;
  Clock::time_point outage_started_{};
  Clock::time_point last_failure_{};
};

}  // namespace fastchat::upstream
