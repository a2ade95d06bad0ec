#pragma once
// fastchat-server's series names as rendered, for sample_value() in the metrics tests.

#include <string>

namespace fastchat::api::testing {

inline std::string requests(const std::string& endpoint, int status) {
  return "fastchat_server_requests_total{endpoint=\"" + endpoint + "\",status=\"" +
         std::to_string(status) + "\"}";
}
inline std::string rejected(const std::string& endpoint) {
  return "fastchat_server_requests_rejected_total{endpoint=\"" + endpoint + "\"}";
}
/// A series of model "m"; with `le`, that bucket of a histogram.
inline std::string of_m(const std::string& name, const std::string& le = "") {
  return "fastchat_server_" + name + "{model=\"m\"" + (le.empty() ? "" : ",le=\"" + le + "\"") +
         "}";
}

}  // namespace fastchat::api::testing
