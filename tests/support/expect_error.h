#pragma once
// Shared assertion of request-parsing tests: a call fails with InvalidRequest, the expected param,
// and a message that names the field (and optionally contains more).

#include <gtest/gtest.h>

#include <string>

#include "common/error/error.h"

namespace fastchat::testing {

/// Runs `call`; expects ErrorException{InvalidRequest} whose param is `param` and whose message
/// contains `param` (when non-empty) and `fragment`.
template <typename Call>
void expect_invalid(Call&& call, const std::string& param, const std::string& fragment = {},
                    ErrorCode code = ErrorCode::InvalidRequest) {
  try {
    call();
    ADD_FAILURE() << "expected an error with param '" << param << "'";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, code) << e.error().message;
    EXPECT_EQ(e.error().param, param) << e.error().message;
    if (!param.empty()) {
      EXPECT_NE(e.error().message.find("'" + param + "'"), std::string::npos) << e.error().message;
    }
    EXPECT_NE(e.error().message.find(fragment), std::string::npos)
        << "message '" << e.error().message << "' lacks '" << fragment << "'";
  }
}

}  // namespace fastchat::testing
