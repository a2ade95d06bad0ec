// Overload is answered early: a full queue refuses at submit, and a request that waited too
// long to start fails with Timeout, while the running request is untouched.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <thread>

#include "common/error/error.h"
#include "model/model_registry.h"
#include "test_paths.h"
#include "worker/engine/engine.h"

namespace fastchat::engine {
namespace {

std::unique_ptr<Engine> one_at_a_time(int32_t max_queue_len, double max_queue_time_s) {
  auto model = model::load_causal_lm(testing::test_data_dir() / "models" / "stories260K",
                                     torch::kFloat32, torch::kCPU, {});
  EngineConfig config;
  config.kv_cache_memory = 16 << 20;
  config.scheduler.max_num_seqs = 1;  // everything after the first request waits
  config.max_queue_len = max_queue_len;
  config.max_queue_time_s = max_queue_time_s;
  return std::make_unique<Engine>(std::move(model), config);
}

GenerationRequest long_request() {
  GenerationRequest request{{1, 403, 407}, {}};
  request.params.temperature = 0.0f;
  request.params.max_tokens = 500;
  request.params.ignore_eos = true;
  return request;
}

FinishReason drain(RequestStream& stream) {
  for (int i = 0; i < 100000; ++i) {
    auto update = stream.next();
    if (update.finish) return *update.finish;
  }
  ADD_FAILURE() << "stream did not finish";
  return FinishReason::Error;
}

TEST(EngineQueue, AFullQueueRefusesAtSubmit) {
  auto engine = one_at_a_time(/*max_queue_len=*/2, 0.0);
  auto running = engine->submit(long_request());
  running->next();  // it holds the only slot
  auto b = engine->submit(long_request());
  auto c = engine->submit(long_request());
  for (int i = 0; i < 400 && engine->stats().num_waiting < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  try {
    engine->submit(long_request());
    FAIL() << "a third waiting request was accepted";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::Overloaded);
    EXPECT_NE(e.error().message.find("--max-queue-len 2"), std::string::npos) << e.error().message;
  }
  engine->abort(running->id());
  engine->abort(b->id());
  engine->abort(c->id());
}

TEST(EngineQueue, ARequestWaitingPastTheQueueTimeFailsWithTimeout) {
  auto engine = one_at_a_time(0, /*max_queue_time_s=*/0.005);
  // Under load the engine thread itself may take longer than 5 ms to start a request, which
  // then (rightly) times out too; retry until one has started and holds the only slot.
  std::shared_ptr<RequestStream> running;
  for (int attempt = 0; attempt < 50 && !running; ++attempt) {
    auto candidate = engine->submit(long_request());
    if (!candidate->next().finish) running = candidate;
  }
  ASSERT_TRUE(running) << "no request ever started within the queue time";
  auto waiting = engine->submit(long_request());
  EXPECT_EQ(drain(*waiting), FinishReason::Timeout);
  EXPECT_EQ(drain(*running), FinishReason::Length);  // the one already running is untouched
}

}  // namespace
}  // namespace fastchat::engine
