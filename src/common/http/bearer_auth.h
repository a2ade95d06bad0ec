#pragma once
// Shared-secret checks for "Authorization: Bearer <token>": the controller's --auth-token and
// the API server's --api-keys compare tokens the same way.

#include <string>
#include <string_view>
#include <vector>

#include "common/http/http_message.h"

namespace fastchat::http {

/// Compares a presented secret with the expected one in time that depends only on the
/// presented length, so response timing does not reveal how much of a guess was right.
bool constant_time_equal(std::string_view expected, std::string_view presented);

/// True when the request's bearer token equals one of `accepted` (every one is compared, so the
/// time does not tell which matched).
bool bearer_token_accepted(const Request& request, const std::vector<std::string>& accepted);

}  // namespace fastchat::http
