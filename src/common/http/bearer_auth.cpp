#include "common/http/bearer_auth.h"

#include <cstdint>

namespace fastchat::http {

bool constant_time_equal(std::string_view expected, std::string_view presented) {
  // Walk the presented bytes whatever happens; the length check folds into the result.
  volatile uint8_t diff = expected.size() == presented.size() ? 0 : 1;
  for (size_t i = 0; i < presented.size(); ++i) {
    const auto e =
        expected.empty() ? uint8_t{0} : static_cast<uint8_t>(expected[i % expected.size()]);
    diff = diff | static_cast<uint8_t>(e ^ static_cast<uint8_t>(presented[i]));
  }
  return diff == 0 && !expected.empty();
}

bool bearer_token_accepted(const Request& request, const std::vector<std::string>& accepted) {
  const auto presented = request.bearer_token();
  if (!presented) return false;
  bool match = false;
  for (const auto& token : accepted) match |= constant_time_equal(token, *presented);
  return match;
}

}  // namespace fastchat::http
