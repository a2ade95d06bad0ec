#pragma once
// http://host:port[/base] addresses of controllers and workers, parsed once and checked.

#include <cstdint>
#include <string>
#include <string_view>

namespace fastchat::http {

struct Url {
  std::string host;
  uint16_t port = 80;
  std::string base_path;  ///< without a trailing slash; usually empty

  /// "http://host:port" (+ base path), the canonical spelling used as a worker's name.
  std::string to_string() const;
  /// "host:port", as sent in the Host header.
  std::string authority() const;

  /// Accepts http:// URLs only (no credentials, query or fragment). Throws ErrorException
  /// naming `param`: InvalidRequest when the text came in a request, InvalidConfig otherwise.
  static Url parse(std::string_view text, std::string_view param, bool from_request = false);
};

}  // namespace fastchat::http
