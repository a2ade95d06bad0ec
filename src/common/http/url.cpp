#include "common/http/url.h"

#include <cctype>
#include <charconv>

#include "common/error/error.h"

namespace fastchat::http {

std::string Url::to_string() const {
  bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + base_path;
}

std::string Url::authority() const {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Url Url::parse(std::string_view text, std::string_view param, bool from_request) {
  auto fail = [&](const std::string& why) -> Url {
    // Echoed with control and non-ASCII bytes masked: the message may reach a log line.
    std::string shown(text.substr(0, 200));
    for (char& c : shown) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
    }
    throw_error(from_request ? ErrorCode::InvalidRequest : ErrorCode::InvalidConfig,
                std::string(param) + " must be an http:// URL such as http://127.0.0.1:21002 (" +
                    why + "), got '" + shown + "'",
                std::string(param));
  };
  constexpr std::string_view kScheme = "http://";
  if (text.substr(0, kScheme.size()) != kScheme) {
    return fail(text.substr(0, 8) == "https://" ? "https is not supported" : "no http:// scheme");
  }
  std::string_view rest = text.substr(kScheme.size());
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) return fail("credentials are not allowed");
  if (path.find_first_of("?#") != std::string_view::npos) return fail("query or fragment");
  for (const char c : path) {
    // The path goes into request lines as given: a space, CR/LF or any other control byte
    // would split or forge the request.
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f)
      return fail("the path may hold visible ASCII characters only");
  }

  Url url;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("unclosed IPv6 bracket");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("junk after the IPv6 address");
      port_text = after.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return fail("no host");
  // Host names are case-insensitive; one spelling keeps one worker one registry entry.
  for (char& c : url.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char c : url.host) {
    bool ok =
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':';
    if (!ok) return fail("bad character in host");
  }
  if (!port_text.empty() || authority.back() == ':') {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return fail("bad port");
    }
    url.port = static_cast<uint16_t>(value);
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  url.base_path = std::string(path);
  return url;
}

}  // namespace fastchat::http
