#include <gtest/gtest.h>

#include <stdlib.h>

#include <fstream>
#include <thread>

#include "controller/controller_options.h"
#include "controller/expiry_sweeper.h"
#include "fake_clock.h"
#include "test_paths.h"

namespace fastchat::controller {
namespace {

using namespace std::chrono_literals;
using testing::status;

TEST(ExpirySweeper, PeriodIsATenthOfTheExpiryWithinBounds) {
  EXPECT_EQ(ExpirySweeper::period_for(90s), 1000ms);
  EXPECT_EQ(ExpirySweeper::period_for(5s), 500ms);
  EXPECT_EQ(ExpirySweeper::period_for(300ms), 100ms);
}

TEST(ExpirySweeper, SweepRemovesStaleWorkers) {
  testing::FakeClock clock;
  WorkerRegistry registry(clock.fn());
  registry.upsert("http://a:1", status({"m"}), true, false);
  registry.upsert("http://b:1", status({"m"}), false, false);
  clock.advance(91s);
  EXPECT_EQ(ExpirySweeper::sweep(registry, 90s), 1u);
  EXPECT_FALSE(registry.find("http://a:1"));
  EXPECT_TRUE(registry.find("http://b:1"));
}

TEST(ExpirySweeper, RemovesPromptlyAndStopsPromptly) {
  WorkerRegistry registry;
  registry.upsert("http://a:1", status({"m"}), true, false);
  const auto start = std::chrono::steady_clock::now();
  ExpirySweeper sweeper(registry, 300ms);
  while (registry.size() > 0 && std::chrono::steady_clock::now() - start < 3s) {
    std::this_thread::sleep_for(20ms);
  }
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(registry.size(), 0u);
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 1s);  // expiry + one period, with slack for a loaded machine
  const auto stop_start = std::chrono::steady_clock::now();
  sweeper.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_start, 100ms);
}

// Parses a command line the way main() does.
ControllerOptions parse(const std::string& args) {
  CLI::App app;
  ControllerOptions options;
  add_controller_flags(app, options);
  app.parse(args, /*program_name_included=*/false);
  return options;
}

TEST(ControllerOptions, DefaultsMatchFastChatExceptTheBindAddress) {
  unsetenv("FASTCHAT_CONTROLLER_HEART_BEAT_EXPIRATION");
  unsetenv("FASTCHAT_CONTROLLER_TOKEN");
  const auto options = parse("");
  EXPECT_EQ(options.host, "127.0.0.1");
  EXPECT_EQ(options.port, 21001);
  EXPECT_EQ(options.dispatch_method, "shortest_queue");
  EXPECT_EQ(heart_beat_expiration(options), 90s);
  const auto service = make_service_options(options);
  EXPECT_FALSE(service.auth_token);
  EXPECT_TRUE(service.allowed_hosts.allows("127.0.0.1"));
  EXPECT_FALSE(service.allowed_hosts.allows("10.0.0.1"));
}

TEST(ControllerOptions, ReadsFlagsAndAddsOwnHostToTheDefaultAllowlist) {
  const auto options = parse(
      "--host 10.0.0.7 --port 0 --dispatch-method lottery --heart-beat-expiration 0.25 "
      "--auth-token tok --log-level debug");
  EXPECT_EQ(options.port, 0);
  EXPECT_EQ(options.dispatch_method, "lottery");
  EXPECT_EQ(heart_beat_expiration(options), 250ms);
  const auto service = make_service_options(options);
  EXPECT_EQ(service.auth_token, "tok");
  EXPECT_TRUE(service.allowed_hosts.allows("10.0.0.7"));
  EXPECT_TRUE(service.allowed_hosts.allows("localhost"));
  EXPECT_FALSE(make_service_options(parse("--allowed-worker-hosts 10.0.0.0/8"))
                   .allowed_hosts.allows("127.0.0.1"));
}

TEST(ControllerOptions, HonoursFastChatEnvironmentVariables) {
  setenv("FASTCHAT_CONTROLLER_HEART_BEAT_EXPIRATION", "1.5", 1);
  setenv("FASTCHAT_CONTROLLER_TOKEN", "from-env", 1);
  auto options = parse("");
  EXPECT_EQ(heart_beat_expiration(options), 1500ms);
  EXPECT_EQ(options.auth_token, "from-env");
  options = parse("--heart-beat-expiration 3");  // a flag beats the environment
  EXPECT_EQ(heart_beat_expiration(options), 3s);
  unsetenv("FASTCHAT_CONTROLLER_HEART_BEAT_EXPIRATION");
  unsetenv("FASTCHAT_CONTROLLER_TOKEN");
}

TEST(ControllerOptions, ReadsATomlConfigFile) {
  const auto dir = fastchat::testing::make_temp_dir("controller-config");
  const auto file = dir / "controller.toml";
  std::ofstream(file)
      << "port = 0\ndispatch-method = \"lottery\"\nallowed-worker-hosts = \"gpu-1,10.0.0.0/8\"\n";
  const auto options = parse("--config " + file.string());
  EXPECT_EQ(options.port, 0);
  EXPECT_EQ(options.dispatch_method, "lottery");
  EXPECT_TRUE(make_service_options(options).allowed_hosts.allows("gpu-1"));
  std::filesystem::remove_all(dir);
}

TEST(ControllerOptions, RejectsBadValuesNamingTheFlag) {
  for (const auto& [args, flag] : std::vector<std::pair<std::string, std::string>>{
           {"--port 70000", "--port"},
           {"--dispatch-method round_robin", "--dispatch-method"},
           {"--heart-beat-expiration 0", "--heart-beat-expiration"},
           {"--heart-beat-expiration soon", "--heart-beat-expiration"},
           {"--auth-token \"\"", "--auth-token"},
           {"--allowed-worker-hosts 10.0.0.0/99", "--allowed-worker-hosts"},
           {"--log-level loud", "--log-level"}}) {
    SCOPED_TRACE(args);
    try {
      parse(args);
      ADD_FAILURE() << "accepted";
    } catch (const CLI::ParseError& e) {
      EXPECT_NE(std::string(e.what()).find(flag), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace fastchat::controller
