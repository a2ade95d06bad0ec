#include "common/http/url.h"

#include <gtest/gtest.h>

#include "common/error/error.h"

namespace fastchat::http {
namespace {

TEST(UrlTest, ParsesHostPortAndBasePath) {
  auto url = Url::parse("http://127.0.0.1:21002", "worker_name");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 21002);
  EXPECT_EQ(url.base_path, "");
  EXPECT_EQ(url.to_string(), "http://127.0.0.1:21002");

  auto with_path = Url::parse("http://example.org/api/", "x");
  EXPECT_EQ(with_path.port, 80);
  EXPECT_EQ(with_path.base_path, "/api");
  EXPECT_EQ(with_path.authority(), "example.org:80");

  auto v6 = Url::parse("http://[::1]:8000", "x");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.to_string(), "http://[::1]:8000");
}

TEST(UrlTest, RejectsWhatIsNotAPlainHttpUrl) {
  for (const char* bad :
       {"https://a:1", "ftp://a", "a:1", "http://", "http://a:0", "http://a:99999", "http://a:1x",
        "http://u:p@a:1", "http://a:1/x?y", "http://a b:1", "http://[::1:80"}) {
    try {
      Url::parse(bad, "worker_name", true);
      FAIL() << bad;
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest) << bad;
      EXPECT_EQ(e.error().param, "worker_name");
      EXPECT_NE(e.error().message.find("worker_name"), std::string::npos);
    }
  }
  EXPECT_THROW(
      {
        try {
          Url::parse("nope", "--controller-address");
        } catch (const ErrorException& e) {
          EXPECT_EQ(e.error().code, ErrorCode::InvalidConfig);
          throw;
        }
      },
      ErrorException);
}

TEST(UrlTest, APathThatCouldForgeARequestLineIsRefusedAndNotEchoed) {
  for (const char* bad : {"http://a:1/x\r\nX-Injected: y", "http://a:1/x y", "http://a:1/\x01",
                          "http://a:1/caf\xC3\xA9", "http://a:1/x\x7f"}) {
    try {
      Url::parse(bad, "--worker-address");
      FAIL() << bad;
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::InvalidConfig);
      EXPECT_NE(e.error().message.find("visible ASCII"), std::string::npos) << e.error().message;
      for (const char c : e.error().message) {
        EXPECT_GE(static_cast<unsigned char>(c), 0x20) << e.error().message;
        EXPECT_LT(static_cast<unsigned char>(c), 0x7f) << e.error().message;
      }
    }
  }
  EXPECT_EQ(Url::parse("http://a:1/v1/~worker-2_x.y", "x").base_path, "/v1/~worker-2_x.y");
}

}  // namespace
}  // namespace fastchat::http
