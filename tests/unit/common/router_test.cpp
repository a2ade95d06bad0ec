#include "common/http/router.h"

#include "common/http/path_pattern.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fastchat::http {
namespace {

struct RecordingResponder : Responder {
  std::optional<Response> response;
  void send(Response r) override { response = std::move(r); }
  std::shared_ptr<ResponseStream> stream(int, std::string, Headers) override { return nullptr; }
  bool responded() const override { return response.has_value(); }
};

Request make(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = path;
  request.target = std::move(path);
  return request;
}

TEST(RouterTest, RoutesByMethodAndPath) {
  Router router;
  router.add("GET", "/a",
             [](const Request&, Responder& r) { r.send(Response::text(200, "get a")); });
  router.add("POST", "/a",
             [](const Request&, Responder& r) { r.send(Response::text(201, "post a")); });
  RecordingResponder get, post;
  router.dispatch(make("GET", "/a"), get);
  router.dispatch(make("POST", "/a"), post);
  EXPECT_EQ(get.response->body, "get a");
  EXPECT_EQ(post.response->status, 201);
}

TEST(PathPattern, VariableSegmentsMatchOneDecodedSegment) {
  constexpr std::string_view kPattern = "/v1/models/{model}";
  EXPECT_TRUE(path_matches(kPattern, "/v1/models/vicuna"));
  EXPECT_FALSE(path_matches(kPattern, "/v1/models/"));
  EXPECT_FALSE(path_matches(kPattern, "/v1/models"));
  EXPECT_FALSE(path_matches(kPattern, "/v1/models/a/b"));
  EXPECT_FALSE(path_matches(kPattern, "/v2/models/a"));
  EXPECT_TRUE(path_matches("/plain", "/plain"));
  EXPECT_FALSE(path_matches("/plain", "/plain/"));
  EXPECT_EQ(path_param(kPattern, "/v1/models/vicuna", "model"), "vicuna");
  // SDKs encode a '/' in a name; the handler sees the name.
  EXPECT_EQ(path_param(kPattern, "/v1/models/meta-llama%2FLlama-3%2e1", "model"),
            "meta-llama/Llama-3.1");
  EXPECT_EQ(path_param(kPattern, "/v1/models/bad%2", "model"), std::nullopt);
  EXPECT_EQ(path_param(kPattern, "/v1/models/bad%zz", "model"), std::nullopt);
  EXPECT_EQ(path_param(kPattern, "/v1/models/x", "other"), std::nullopt);
  EXPECT_EQ(path_param(kPattern, "/v1/other/x", "model"), std::nullopt);
  EXPECT_EQ(path_param("/v1/engines/{model}/embeddings", "/v1/engines/m1/embeddings", "model"),
            "m1");
}

TEST(RouterTest, RoutesWithAVariableSegment) {
  Router router;
  router.add("GET", "/v1/models",
             [](const Request&, Responder& r) { r.send(Response::text(200, "list")); });
  router.add("GET", "/v1/models/{model}", [](const Request& request, Responder& r) {
    r.send(Response::text(200, *path_param("/v1/models/{model}", request.path, "model")));
  });
  RecordingResponder list, one, wrong_method;
  router.dispatch(make("GET", "/v1/models"), list);
  router.dispatch(make("GET", "/v1/models/org%2Fm"), one);
  router.dispatch(make("POST", "/v1/models/m"), wrong_method);
  EXPECT_EQ(list.response->body, "list");
  EXPECT_EQ(one.response->body, "org/m");
  EXPECT_EQ(wrong_method.response->status, 405);
}

TEST(RouterTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  Router router;
  router.add("POST", "/x", [](const Request&, Responder& r) { r.send(Response::text(200, "")); });
  RecordingResponder missing, wrong;
  router.dispatch(make("GET", "/nope"), missing);
  router.dispatch(make("GET", "/x"), wrong);
  EXPECT_EQ(missing.response->status, 404);
  EXPECT_EQ(nlohmann::json::parse(missing.response->body)["error"]["type"], "not_found_error");
  EXPECT_EQ(wrong.response->status, 405);
  EXPECT_EQ(find_header(wrong.response->headers, "allow").value_or(""), "POST");
}

TEST(RouterTest, ErrorsBecomeRenderedResponsesAndSurprisesA500WithoutDetails) {
  Router router;
  router.add("GET", "/bad", [](const Request&, Responder&) {
    throw_error(ErrorCode::InvalidRequest, "'n' must be at least 1, got 0", "n");
  });
  router.add("GET", "/bug", [](const Request&, Responder&) { throw std::runtime_error("secret"); });
  router.add("GET", "/silent", [](const Request&, Responder&) {});
  RecordingResponder bad, bug, silent;
  router.dispatch(make("GET", "/bad"), bad);
  router.dispatch(make("GET", "/bug"), bug);
  router.dispatch(make("GET", "/silent"), silent);
  auto body = nlohmann::json::parse(bad.response->body);
  EXPECT_EQ(bad.response->status, 400);
  EXPECT_EQ(body["error"]["param"], "n");
  EXPECT_EQ(body["error"]["message"], "'n' must be at least 1, got 0");
  EXPECT_EQ(bug.response->status, 500);
  EXPECT_EQ(bug.response->body.find("secret"), std::string::npos);
  EXPECT_EQ(silent.response->status, 500);
}

TEST(RouterTest, CustomRendererShapesErrors) {
  Router router(
      [](const Error& e) { return Response::text(http_status(e.code), "E:" + e.message); });
  RecordingResponder r;
  router.dispatch(make("GET", "/none"), r);
  EXPECT_EQ(r.response->status, 404);
  EXPECT_EQ(r.response->body.rfind("E:", 0), 0u);
}

TEST(RequestTest, BearerTokenAndCaseInsensitiveHeaders) {
  Request request;
  request.headers = {{"authorization", "bearer  sk-123 "}, {"X-Thing", "1"}};
  EXPECT_EQ(request.bearer_token().value_or(""), "sk-123");
  EXPECT_EQ(request.header("x-thing").value_or(""), "1");
  request.headers = {{"Authorization", "Basic abc"}};
  EXPECT_FALSE(request.bearer_token().has_value());
}

}  // namespace
}  // namespace fastchat::http
