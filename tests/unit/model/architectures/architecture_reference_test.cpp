// The engine on random-weight model folders of every supported architecture and config option
// (attention and MLP biases, llama3 rope scaling, a sliding window, tied and bf16 sharded weights),
// against greedy continuations from tests/reference/hf_reference.py: a float64 NumPy forward
// pass written from transformers' conventions that recomputes every step without a cache. The
// ids must match token for token, and each chosen token's log-probability closely, alone,
// batched, across block sizes (the scalar and the vector CPU kernels), with the torch-op
// reference kernels, in small prefill chunks and from the prefix cache.

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "engine_test_support.h"
#include "model/model_registry.h"
#include "test_paths.h"
#include "worker/engine/engine.h"
#include "worker/engine/model_runner.h"

namespace fastchat::engine {
namespace {

using test_support::greedy;

// The cases hf_reference.py writes; a case it adds must be added here too (see AllCasesRun).
const std::vector<std::string> kCases = {"llama_gqa",
                                         "llama_biases",
                                         "llama3_rope_scaling",
                                         "llama_tied_bf16_sharded",
                                         "mistral_sliding_window",
                                         "qwen2"};
// float32 against float64 over two layers of a random model: well above rounding, well below
// what a missing bias, a wrong mask or a wrong rotation does (those move log-probs by > 0.1).
constexpr double kLogprobTolerance = 2e-3;

std::filesystem::path cases_dir() { return testing::test_data_dir() / "reference-models"; }

struct Reference {
  std::vector<int32_t> prompt;
  std::vector<int32_t> generated;
  std::vector<double> logprobs;
  /// The prompt's embedding by pooling ("mean", "cls", "last"), L2-normalised.
  std::map<std::string, std::vector<double>> embeddings;
};

std::vector<Reference> load_reference(const std::string& name) {
  std::ifstream in(cases_dir() / name / "reference.json");
  const auto json = nlohmann::json::parse(in);
  std::vector<Reference> out;
  for (const auto& r : json.at("results")) {
    out.push_back(
        {r.at("prompt_ids"), r.at("generated_ids"), r.at("logprobs"), r.at("embeddings")});
  }
  return out;
}

struct Setup {
  int32_t block_size = 16;
  bool reference_kernels = false;
  int32_t max_batched_tokens = 2048;
  bool prefix_cache = false;
};

std::unique_ptr<Engine> make_engine(const std::string& name, const Setup& setup) {
  model::ModelOptions options;
  options.reference_kernels = setup.reference_kernels;
  auto model = model::load_causal_lm(cases_dir() / name, torch::kFloat32, torch::kCPU, options);
  EngineConfig config;
  config.block_size = setup.block_size;
  config.kv_cache_memory = 8 << 20;
  config.enable_prefix_caching = setup.prefix_cache;
  config.scheduler.max_num_batched_tokens = setup.max_batched_tokens;
  return std::make_unique<Engine>(std::move(model), config);
}

struct Output {
  std::vector<int32_t> ids;
  std::vector<double> logprobs;
};

Output drain(RequestStream& stream) {
  Output out;
  while (true) {
    auto update = stream.next();
    for (const auto& t : update.tokens) {
      out.ids.push_back(t.token);
      out.logprobs.push_back(t.logprob);
    }
    if (update.finish) return out;
  }
}

// Runs every prompt (at once when `batched`, else one after the other) and compares each
// continuation with the reference.
void expect_reference(Engine& engine, const std::vector<Reference>& references, bool batched) {
  auto params = greedy(static_cast<int32_t>(references.front().generated.size()));
  params.logprobs = 0;  // the chosen token's log-probability, no alternatives
  std::vector<std::shared_ptr<RequestStream>> streams;
  std::vector<Output> outputs;
  for (const auto& r : references) {
    streams.push_back(engine.submit({r.prompt, params}));
    if (!batched) outputs.push_back(drain(*streams.back()));
  }
  if (batched) {
    for (auto& stream : streams) outputs.push_back(drain(*stream));
  }
  for (size_t i = 0; i < references.size(); ++i) {
    SCOPED_TRACE("prompt of " + std::to_string(references[i].prompt.size()) + " tokens");
    ASSERT_EQ(outputs[i].ids, references[i].generated);
    for (size_t step = 0; step < outputs[i].logprobs.size(); ++step) {
      EXPECT_NEAR(outputs[i].logprobs[step], references[i].logprobs[step], kLogprobTolerance)
          << "step " << step;
    }
  }
}

class ArchitectureReference : public ::testing::TestWithParam<std::string> {};

TEST_P(ArchitectureReference, EachPromptAloneAndAllBatchedMatch) {
  const auto references = load_reference(GetParam());
  auto engine = make_engine(GetParam(), {});
  expect_reference(*engine, references, /*batched=*/false);
  expect_reference(*engine, references, /*batched=*/true);
}

TEST_P(ArchitectureReference, SmallBlocksAndTheScalarKernelMatch) {
  auto engine = make_engine(GetParam(), {.block_size = 4});
  expect_reference(*engine, load_reference(GetParam()), /*batched=*/true);
}

TEST_P(ArchitectureReference, TorchOpReferenceKernelsMatch) {
  auto engine = make_engine(GetParam(), {.block_size = 8, .reference_kernels = true});
  expect_reference(*engine, load_reference(GetParam()), /*batched=*/true);
}

TEST_P(ArchitectureReference, ChunkedPrefillAndThePrefixCacheMatch) {
  const auto references = load_reference(GetParam());
  auto engine =
      make_engine(GetParam(), {.block_size = 8, .max_batched_tokens = 7, .prefix_cache = true});
  expect_reference(*engine, references, /*batched=*/true);
  // Again: the prompts' full blocks now come from the cache (for a sliding window, those still
  // held or cached after leaving it).
  expect_reference(*engine, references, /*batched=*/true);
}

// Embedding requests: every prompt at once, in chunks of at most 7 tokens (a prompt's pooled
// sums carry across steps), after the same prompts filled the prefix cache (which an embedding
// must not use: the cache keeps no hidden states), by each pooling.
TEST_P(ArchitectureReference, EmbeddingsMatchTheReference) {
  const auto references = load_reference(GetParam());
  auto engine =
      make_engine(GetParam(), {.block_size = 8, .max_batched_tokens = 7, .prefix_cache = true});
  expect_reference(*engine, references, /*batched=*/true);
  const std::vector<std::pair<std::string, Pooling>> poolings = {
      {"mean", Pooling::Mean}, {"cls", Pooling::First}, {"last", Pooling::Last}};
  for (const auto& [name, pooling] : poolings) {
    SCOPED_TRACE(name);
    std::vector<std::shared_ptr<RequestStream>> streams;
    for (const auto& r : references) {
      GenerationRequest request{r.prompt, greedy(1)};
      request.embedding = pooling;
      streams.push_back(engine->submit(std::move(request)));
    }
    for (size_t i = 0; i < references.size(); ++i) {
      SCOPED_TRACE("prompt of " + std::to_string(references[i].prompt.size()) + " tokens");
      auto update = streams[i]->next();
      while (!update.finish) update = streams[i]->next();
      ASSERT_EQ(update.finish, FinishReason::Stop) << update.error;
      EXPECT_TRUE(update.tokens.empty());
      const auto& expected = references[i].embeddings.at(name);
      ASSERT_EQ(update.embedding.size(), expected.size());
      for (size_t d = 0; d < expected.size(); ++d) {
        EXPECT_NEAR(update.embedding[d], expected[d], 1e-4) << "dimension " << d;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, ArchitectureReference, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param; });

TEST(ArchitectureReference, AllCasesRun) {
  std::set<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(cases_dir())) {
    found.insert(entry.path().filename().string());
  }
  EXPECT_EQ(found, std::set<std::string>(kCases.begin(), kCases.end()));
}

// On the CPU the final norm and lm_head stay float32 with bfloat16 weights: logits rounded to
// bfloat16 (8 bits of mantissa) would all be bfloat16 numbers and turn close margins into ties.
TEST(ArchitectureReference, Bfloat16WeightsStillGiveFloat32Logits) {
  for (const std::string name : {"llama_tied_bf16_sharded", "llama_gqa"}) {
    SCOPED_TRACE(name);
    auto model = model::load_causal_lm(cases_dir() / name, torch::kBFloat16, torch::kCPU);
    model::KvCacheStorage storage(kv_cache_shape(model->config(), 16, model->dtype()), 4,
                                  model->dtype(), torch::kCPU);
    model::ForwardBatch batch;
    batch.token_ids = {1, 17, 42, 99, 7};
    batch.positions = {0, 1, 2, 3, 4};
    batch.slots = {0, 1, 2, 3, 4};
    batch.query_starts = {0, 5};
    batch.context_lens = {5};
    batch.block_tables = {0};
    batch.max_blocks_per_sequence = 1;
    batch.logits_rows = {4};
    const auto logits = model->forward(batch, storage).logits;
    ASSERT_EQ(logits.scalar_type(), torch::kFloat32);
    const auto representable = logits.to(torch::kBFloat16).to(torch::kFloat32).eq(logits);
    EXPECT_LT(representable.sum().item<int64_t>(), logits.numel() / 4)
        << "logits look rounded to bfloat16";
  }
}

}  // namespace
}  // namespace fastchat::engine
