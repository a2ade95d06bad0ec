#include "common/http/bearer_auth.h"

#include <gtest/gtest.h>

namespace fastchat::http {
namespace {

TEST(ConstantTimeEqual, ComparesWholeTokens) {
  EXPECT_TRUE(constant_time_equal("s3cret", "s3cret"));
  EXPECT_FALSE(constant_time_equal("s3cret", "s3cre"));
  EXPECT_FALSE(constant_time_equal("s3cret", "s3cret!"));
  EXPECT_FALSE(constant_time_equal("s3cret", "S3cret"));
  EXPECT_FALSE(constant_time_equal("s3cret", ""));
  EXPECT_FALSE(constant_time_equal("", ""));        // no configured token never matches
  EXPECT_FALSE(constant_time_equal("ab", "abab"));  // the index wraps; length must still match
}

TEST(BearerAuth, AcceptsOnlyAListedToken) {
  Request request;
  request.headers = {{"Authorization", "Bearer k2"}};
  EXPECT_TRUE(bearer_token_accepted(request, {"k1", "k2"}));
  EXPECT_FALSE(bearer_token_accepted(request, {"k1"}));
  EXPECT_FALSE(bearer_token_accepted(request, {}));
  request.headers = {{"Authorization", "Basic k2"}};
  EXPECT_FALSE(bearer_token_accepted(request, {"k2"}));
  request.headers.clear();
  EXPECT_FALSE(bearer_token_accepted(request, {"k2"}));
}

}  // namespace
}  // namespace fastchat::http
