#pragma once
// fastchat-server's view of the controller: which models exist and which worker serves one.
// Remembers every model name it has seen, so that a model whose workers all died is told
// apart (503, "no worker right now") from a name that never existed (404).

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/http/http_client.h"
#include "common/http/url.h"

namespace fastchat::upstream {

class ControllerClient {
 public:
  ControllerClient(http::Url controller, http::ClientOptions options);

  /// Sorted model names; throws ErrorException{Unavailable} when the controller cannot be asked.
  std::vector<std::string> list_models();
  /// A worker for `model` other than those in `exclude`, or nullopt when none is registered.
  /// Throws like list_models().
  std::optional<http::Url> worker_for(const std::string& model,
                                      const std::vector<std::string>& exclude);
  /// True if any answer from the controller ever named this model.
  bool has_seen(const std::string& model) const;

 private:
  http::ClientResponse call(std::string_view path, std::string body);

  http::Url controller_;
  http::ClientOptions options_;
  mutable std::mutex mutex_;
  std::set<std::string> seen_models_;
};

}  // namespace fastchat::upstream
