#pragma once
// Plain request/response values shared by the server, the router and the client, so that
// handlers and their tests never see Beast types.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace fastchat::http {

/// Header fields in arrival order; names are compared case-insensitively.
using Headers = std::vector<std::pair<std::string, std::string>>;

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

struct Request {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< as sent: path and query
  std::string path;    ///< target without the query
  Headers headers;
  std::string body;
  std::string remote_address;

  std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
  /// The token of an "Authorization: Bearer <token>" header, if there is one.
  std::optional<std::string_view> bearer_token() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  Headers headers;
  std::string body;

  static Response json(int status, const nlohmann::json& body);
  static Response text(int status, std::string body);
};

}  // namespace fastchat::http
