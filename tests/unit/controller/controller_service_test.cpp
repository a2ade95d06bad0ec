#include "controller/controller_service.h"

#include <gtest/gtest.h>

#include <mutex>

#include "controller/dispatch/shortest_queue_policy.h"
#include "fake_clock.h"
#include "fake_responder.h"

namespace fastchat::controller {
namespace {

using nlohmann::json;
using testing::FakeResponder;
using testing::make_request;
using testing::status;

// A worker "network": fetches answer from this table, and every call is recorded.
struct FakeWorkers {
  std::mutex mutex;
  std::map<std::string, WorkerStatus> statuses;
  std::vector<std::string> calls;

  StatusFetcher fetcher() {
    return [this](const http::Url& url) {
      std::lock_guard lock(mutex);
      calls.push_back(url.to_string());
      const auto it = statuses.find(url.to_string());
      if (it == statuses.end()) {
        throw_error(ErrorCode::UpstreamFailed, "POST " + url.to_string() + ": connection refused");
      }
      return it->second;
    };
  }
};

class ControllerServiceTest : public ::testing::Test {
 protected:
  explicit ControllerServiceTest(ServiceOptions options = {})
      : registry_(clock_.fn()),
        service_(registry_, policy_, std::move(options), workers_.fetcher()),
        router_(service_.make_router()) {}

  FakeResponder call(const std::string& method, const std::string& path, const std::string& body,
                     http::Headers headers = {}) {
    FakeResponder responder;
    router_->dispatch(make_request(method, path, body, std::move(headers)), responder);
    EXPECT_TRUE(responder.responded());
    return responder;
  }
  FakeResponder post(const std::string& path, const json& body = json::object(),
                     http::Headers headers = {}) {
    return call("POST", path, body.dump(), std::move(headers));
  }
  FakeResponder register_worker(const std::string& name, std::vector<std::string> models,
                                int queue_length = 0, bool multimodal = false) {
    return post(
        "/register_worker",
        {{"worker_name", name},
         {"check_heart_beat", true},
         {"worker_status", {{"model_names", models}, {"speed", 1}, {"queue_length", queue_length}}},
         {"multimodal", multimodal}});
  }
  static void expect_error(const FakeResponder& r, int status, const std::string& param) {
    EXPECT_EQ(r.status(), status) << r.response().body;
    const auto body = r.json();
    ASSERT_TRUE(body.contains("error")) << body;
    EXPECT_EQ(body["error"]["param"], param.empty() ? json(nullptr) : json(param)) << body;
  }

  testing::FakeClock clock_;
  WorkerRegistry registry_;
  ShortestQueuePolicy policy_;
  FakeWorkers workers_;
  ControllerService service_;
  std::shared_ptr<http::Router> router_;
};

TEST_F(ControllerServiceTest, RegistersWithStatusAndAnswersNull) {
  const auto r = register_worker("http://127.0.0.1:21002/", {"vicuna"}, 2);
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.response().body, "null");
  const auto w = registry_.find("http://127.0.0.1:21002");  // canonical: no trailing slash
  ASSERT_TRUE(w);
  EXPECT_EQ(w->status.queue_length, 2);
  EXPECT_TRUE(workers_.calls.empty());  // status given: nobody called
}

TEST_F(ControllerServiceTest, RegistersWithoutStatusByAskingTheWorker) {
  workers_.statuses["http://localhost:21002"] = status({"a", "b"}, 1, 0);
  for (const json& missing : {json(nullptr), json::object()}) {
    auto body = json{{"worker_name", "http://localhost:21002"}, {"check_heart_beat", false}};
    if (!missing.is_null()) body["worker_status"] = missing;
    EXPECT_EQ(post("/register_worker", body).status(), 200);
  }
  EXPECT_EQ(workers_.calls,
            (std::vector<std::string>{"http://localhost:21002", "http://localhost:21002"}));
  EXPECT_EQ(registry_.find("http://localhost:21002")->status.model_names,
            (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(registry_.find("http://localhost:21002")->check_heart_beat);
}

TEST_F(ControllerServiceTest, RegistrationFailsWhenTheWorkerDoesNotAnswer) {
  const auto r = post("/register_worker", {{"worker_name", "http://127.0.0.1:9"}});
  expect_error(r, 502, "worker_name");
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("http://127.0.0.1:9"),
            std::string::npos);
  EXPECT_EQ(registry_.size(), 0u);
}

TEST_F(ControllerServiceTest, RegistrationValidatesEveryField) {
  const json ok_status = {{"model_names", {"m"}}, {"speed", 1}, {"queue_length", 0}};
  auto with_status = [&](const char* key, json value) {
    json s = ok_status;
    if (value.is_discarded())
      s.erase(key);
    else
      s[key] = value;
    return json{{"worker_name", "http://127.0.0.1:1"}, {"worker_status", s}};
  };
  const json discarded = json(json::value_t::discarded);
  const std::vector<std::pair<json, std::string>> cases = {
      {json::object(), "worker_name"},
      {{{"worker_name", 5}}, "worker_name"},
      {{{"worker_name", "ftp://127.0.0.1:1"}}, "worker_name"},
      {{{"worker_name", "127.0.0.1:1"}}, "worker_name"},
      {{{"worker_name", "http://127.0.0.1:1"}, {"check_heart_beat", "yes"}}, "check_heart_beat"},
      {{{"worker_name", "http://127.0.0.1:1"}, {"multimodal", 1}}, "multimodal"},
      {{{"worker_name", "http://127.0.0.1:1"}, {"worker_status", "busy"}}, "worker_status"},
      {with_status("model_names", discarded), "worker_status.model_names"},
      {with_status("model_names", json::array()), "worker_status.model_names"},
      {with_status("model_names", {""}), "worker_status.model_names"},
      {with_status("model_names", {1}), "worker_status.model_names"},
      {with_status("model_names", "m"), "worker_status.model_names"},
      {with_status("speed", 0), "worker_status.speed"},
      {with_status("speed", -1.5), "worker_status.speed"},
      {with_status("speed", "1"), "worker_status.speed"},
      {with_status("queue_length", -1), "worker_status.queue_length"},
      {with_status("queue_length", 1.5), "worker_status.queue_length"},
      {with_status("queue_length", "2"), "worker_status.queue_length"},
  };
  for (const auto& [body, param] : cases) {
    SCOPED_TRACE(body.dump());
    expect_error(post("/register_worker", body), 400, param);
  }
  expect_error(call("POST", "/register_worker", "{not json"), 400, "");
  expect_error(call("POST", "/register_worker", "[1]"), 400, "");
  expect_error(
      call("POST", "/register_worker", std::string(100000, '[') + std::string(100000, ']')), 400,
      "");  // nesting that would exhaust the stack
  EXPECT_EQ(registry_.size(), 0u);
  EXPECT_TRUE(workers_.calls.empty());
}

TEST_F(ControllerServiceTest, HeartbeatUpdatesKnownWorkersAndAsksOthersToReRegister) {
  register_worker("http://127.0.0.1:21002", {"m"});
  auto r =
      post("/receive_heart_beat", {{"worker_name", "http://127.0.0.1:21002"}, {"queue_length", 4}});
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.json(), json({{"exist", true}}));
  EXPECT_EQ(registry_.find("http://127.0.0.1:21002")->status.queue_length, 4);
  r = post("/receive_heart_beat", {{"worker_name", "http://127.0.0.1:21003"}, {"queue_length", 0}});
  EXPECT_EQ(r.json(), json({{"exist", false}}));
  expect_error(post("/receive_heart_beat", {{"worker_name", "http://127.0.0.1:21002"}}), 400,
               "queue_length");
  expect_error(post("/receive_heart_beat", {{"queue_length", 1}}), 400, "worker_name");
  expect_error(post("/receive_heart_beat", {{"worker_name", "x"}, {"queue_length", 1}}), 400,
               "worker_name");
  expect_error(call("POST", "/receive_heart_beat", ""), 400, "");
}

TEST_F(ControllerServiceTest, ListsModelsInFastChatShapes) {
  register_worker("http://127.0.0.1:1", {"vicuna", "alpaca"});
  register_worker("http://127.0.0.1:2", {"llava", "vicuna"}, 0, true);
  EXPECT_EQ(post("/list_models").json(), json({{"models", {"alpaca", "llava", "vicuna"}}}));
  EXPECT_EQ(post("/list_language_models").json(), json({{"models", {"alpaca", "vicuna"}}}));
  EXPECT_EQ(post("/list_multimodal_models").json(), json({{"models", {"llava", "vicuna"}}}));
  // FastChat clients post these with no body at all.
  EXPECT_EQ(call("POST", "/list_models", "").status(), 200);
}

TEST_F(ControllerServiceTest, GetWorkerAddressDispatchesAndHonoursExclude) {
  register_worker("http://127.0.0.1:1", {"m"}, 1);
  register_worker("http://127.0.0.1:2", {"m"}, 0);
  EXPECT_EQ(post("/get_worker_address", {{"model", "m"}}).json(),
            json({{"address", "http://127.0.0.1:2"}}));
  // 2 now counts 1 in queue: a tie, the first registered wins.
  EXPECT_EQ(post("/get_worker_address", {{"model", "m"}}).json()["address"], "http://127.0.0.1:1");
  EXPECT_EQ(post("/get_worker_address", {{"model", "m"}, {"exclude", {"http://127.0.0.1:2/"}}})
                .json()["address"],
            "http://127.0.0.1:1");
  EXPECT_EQ(post("/get_worker_address",
                 {{"model", "m"}, {"exclude", {"http://127.0.0.1:1", "http://127.0.0.1:2"}}})
                .json(),
            json({{"address", ""}}));
  EXPECT_EQ(post("/get_worker_address", {{"model", "nope"}}).json(), json({{"address", ""}}));
  expect_error(post("/get_worker_address", json::object()), 400, "model");
  expect_error(post("/get_worker_address", {{"model", 3}}), 400, "model");
  expect_error(post("/get_worker_address", {{"model", "m"}, {"exclude", "x"}}), 400, "exclude");
  expect_error(post("/get_worker_address", {{"model", "m"}, {"exclude", {"nope"}}}), 400,
               "exclude");
}

TEST_F(ControllerServiceTest, UnregisterRemovesTheWorker) {
  register_worker("http://127.0.0.1:1", {"m"});
  EXPECT_EQ(post("/unregister_worker", {{"worker_name", "http://127.0.0.1:1/"}}).json(),
            json({{"removed", true}}));
  EXPECT_EQ(post("/unregister_worker", {{"worker_name", "http://127.0.0.1:1"}}).json(),
            json({{"removed", false}}));
  EXPECT_EQ(post("/list_models").json(), json({{"models", json::array()}}));
  expect_error(post("/unregister_worker", json::object()), 400, "worker_name");
}

TEST_F(ControllerServiceTest, RefreshUpdatesLiveWorkersAndDropsDeadOnes) {
  register_worker("http://127.0.0.1:1", {"m"}, 5);
  register_worker("http://127.0.0.1:2", {"m"}, 5);
  workers_.statuses["http://127.0.0.1:1"] = status({"m", "n"}, 2, 0);
  const auto r = post("/refresh_all_workers");
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.response().body, "null");
  ASSERT_EQ(registry_.size(), 1u);
  const auto w = registry_.find("http://127.0.0.1:1");
  EXPECT_EQ(w->status.queue_length, 0);
  EXPECT_EQ(w->status.model_names, (std::vector<std::string>{"m", "n"}));
}

TEST_F(ControllerServiceTest, WorkerGetStatusAggregatesLiveWorkers) {
  register_worker("http://127.0.0.1:1", {"m"});
  register_worker("http://127.0.0.1:2", {"m"});
  register_worker("http://127.0.0.1:3", {"x"});  // does not answer: left out
  workers_.statuses["http://127.0.0.1:1"] = status({"zeta", "m"}, 1, 2);
  workers_.statuses["http://127.0.0.1:2"] = status({"m"}, 2, 3);
  EXPECT_EQ(post("/worker_get_status").json(),
            json({{"model_names", {"m", "zeta"}}, {"speed", 3}, {"queue_length", 5}}));
}

TEST_F(ControllerServiceTest, TestConnectionAndHealth) {
  const auto r = call("GET", "/test_connection", "");
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.response().body, "\"success\"");
  register_worker("http://127.0.0.1:1", {"m"});
  EXPECT_EQ(call("GET", "/health", "").json(), json({{"status", "ok"}, {"workers", 1}}));
  EXPECT_EQ(call("GET", "/register_worker", "").status(), 405);
  EXPECT_EQ(call("POST", "/nope", "{}").status(), 404);
}

TEST_F(ControllerServiceTest, RefusesHostsOutsideTheAllowlistWithoutCallingThem) {
  for (const char* name :
       {"http://169.254.169.254:80", "http://10.0.0.5:21002", "http://evil.com:1"}) {
    SCOPED_TRACE(name);
    auto r = post("/register_worker", {{"worker_name", name}});  // would need a status fetch
    expect_error(r, 403, "worker_name");
    EXPECT_NE(r.json()["error"]["message"].get<std::string>().find(name), std::string::npos);
    r = register_worker(name, {"vicuna"});  // spoofing with a status: refused too
    expect_error(r, 403, "worker_name");
  }
  EXPECT_TRUE(workers_.calls.empty());
  EXPECT_EQ(registry_.size(), 0u);
}

class AuthenticatedControllerTest : public ControllerServiceTest {
 protected:
  static ServiceOptions with_token() {
    ServiceOptions options;
    options.auth_token = "s3cret-token";
    options.allowed_hosts = HostAllowlist::parse("127.0.0.1,10.0.0.0/8");
    return options;
  }
  AuthenticatedControllerTest() : ControllerServiceTest(with_token()) {}
  const http::Headers good_{{"Authorization", "Bearer s3cret-token"}};
};

TEST_F(AuthenticatedControllerTest, WriteRoutesNeedTheBearerToken) {
  const json reg = {{"worker_name", "http://10.1.2.3:21002"},
                    {"worker_status", {{"model_names", {"m"}}, {"speed", 1}, {"queue_length", 0}}}};
  const json beat = {{"worker_name", "http://10.1.2.3:21002"}, {"queue_length", 1}};
  const json unreg = {{"worker_name", "http://10.1.2.3:21002"}};
  const std::vector<std::pair<std::string, json>> routes = {
      {"/register_worker", reg},
      {"/receive_heart_beat", beat},
      {"/refresh_all_workers", json::object()},
      {"/unregister_worker", unreg}};
  const std::vector<http::Headers> bad = {{},
                                          {{"Authorization", "Bearer s3cret-tokeN"}},
                                          {{"Authorization", "Bearer s3cret"}},
                                          {{"Authorization", "Basic s3cret-token"}},
                                          {{"Authorization", "s3cret-token"}}};
  for (const auto& [path, body] : routes) {
    for (const auto& headers : bad) {
      SCOPED_TRACE(path);
      const auto r = post(path, body, headers);
      EXPECT_EQ(r.status(), 401);
      EXPECT_EQ(r.json()["error"]["type"], "authentication_error");
      EXPECT_EQ(r.response().body.find("s3cret"), std::string::npos);  // never echoed
    }
  }
  EXPECT_EQ(registry_.size(), 0u);
  EXPECT_EQ(post("/register_worker", reg, good_).status(), 200);
  EXPECT_EQ(post("/receive_heart_beat", beat, good_).json(), json({{"exist", true}}));
  // Readers need no token: front-ends only ask where models are.
  EXPECT_EQ(post("/list_models").json(), json({{"models", {"m"}}}));
  EXPECT_EQ(post("/get_worker_address", {{"model", "m"}}).json()["address"],
            "http://10.1.2.3:21002");
  EXPECT_EQ(post("/unregister_worker", unreg, good_).json(), json({{"removed", true}}));
}

TEST_F(AuthenticatedControllerTest, ExplicitAllowlistReplacesLoopbackDefault) {
  expect_error(post("/register_worker", {{"worker_name", "http://localhost:1"}}, good_), 403,
               "worker_name");
  EXPECT_TRUE(workers_.calls.empty());
}

}  // namespace
}  // namespace fastchat::controller
