// The batched, paged forward against a plain unbatched full-recompute forward written here
// with torch ops in float64, on a tiny Qwen2-shaped model (q/k/v bias, GQA, untied lm_head)
// whose random weights the test writes itself.

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "common/error/error.h"
#include "model/model_registry.h"
#include "test_paths.h"
#include "tools/model_writer/safetensors_writer.h"
#include "worker/kv_cache/kv_cache_manager.h"

namespace fastchat::model {
namespace {

// head_dim is given explicitly and differs from hidden / heads, as some models do.
constexpr int64_t kHidden = 32, kHeads = 4, kKvHeads = 2, kHeadDim = 16, kInter = 48, kLayers = 2,
                  kVocab = 50, kMaxPos = 64;

class TinyQwen2 : public ::testing::TestWithParam<std::tuple<bool, int32_t, torch::ScalarType>> {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("tiny-qwen2");
    nlohmann::json config = {{"architectures", {"Qwen2ForCausalLM"}},
                             {"model_type", "qwen2"},
                             {"hidden_size", kHidden},
                             {"intermediate_size", kInter},
                             {"num_hidden_layers", kLayers},
                             {"num_attention_heads", kHeads},
                             {"num_key_value_heads", kKvHeads},
                             {"head_dim", kHeadDim},
                             {"vocab_size", kVocab},
                             {"max_position_embeddings", kMaxPos},
                             {"rms_norm_eps", 1e-6},
                             {"rope_theta", 1000.0},
                             {"tie_word_embeddings", false},
                             {"torch_dtype", "float32"},
                             {"eos_token_id", 0}};
    std::ofstream(dir_ / "config.json") << config.dump();
    torch::manual_seed(0);
    auto rand = [](std::vector<int64_t> shape) { return torch::randn(shape) * 0.3; };
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    tensors.emplace_back("model.embed_tokens.weight", rand({kVocab, kHidden}));
    tensors.emplace_back("lm_head.weight", rand({kVocab, kHidden}));
    tensors.emplace_back("model.norm.weight", 1 + rand({kHidden}) * 0.1);
    for (int64_t l = 0; l < kLayers; ++l) {
      const std::string p = "model.layers." + std::to_string(l) + ".";
      tensors.emplace_back(p + "input_layernorm.weight", 1 + rand({kHidden}) * 0.1);
      tensors.emplace_back(p + "post_attention_layernorm.weight", 1 + rand({kHidden}) * 0.1);
      tensors.emplace_back(p + "self_attn.q_proj.weight", rand({kHeads * kHeadDim, kHidden}));
      tensors.emplace_back(p + "self_attn.q_proj.bias", rand({kHeads * kHeadDim}));
      tensors.emplace_back(p + "self_attn.k_proj.weight", rand({kKvHeads * kHeadDim, kHidden}));
      tensors.emplace_back(p + "self_attn.k_proj.bias", rand({kKvHeads * kHeadDim}));
      tensors.emplace_back(p + "self_attn.v_proj.weight", rand({kKvHeads * kHeadDim, kHidden}));
      tensors.emplace_back(p + "self_attn.v_proj.bias", rand({kKvHeads * kHeadDim}));
      tensors.emplace_back(p + "self_attn.o_proj.weight", rand({kHidden, kHeads * kHeadDim}));
      tensors.emplace_back(p + "mlp.gate_proj.weight", rand({kInter, kHidden}));
      tensors.emplace_back(p + "mlp.up_proj.weight", rand({kInter, kHidden}));
      tensors.emplace_back(p + "mlp.down_proj.weight", rand({kHidden, kInter}));
    }
    for (const auto& [name, t] : tensors) weights_[name] = t.to(torch::kFloat64);
    model_writer::write_safetensors(dir_ / "model.safetensors", tensors);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // With bf16 weights under test, the reference uses the same bf16-rounded matrices, so only
  // the kernels' own rounding of matmul inputs remains to be bounded.
  torch::Tensor w(const std::string& name) {
    const auto& t = weights_.at(name);
    return bf16_matrices_ && t.dim() == 2 && name != "model.embed_tokens.weight"
               ? t.to(torch::kBFloat16).to(torch::kFloat64)
               : t;
  }
  bool bf16_matrices_ = false;

  // Full causal recompute of one sequence, float64, HF Qwen2 math. Returns logits [L, vocab].
  torch::Tensor naive_forward(const std::vector<int32_t>& ids) {
    const int64_t n = static_cast<int64_t>(ids.size());
    auto idx = torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()));
    auto rms = [](const torch::Tensor& x, const torch::Tensor& g) {
      return g * (x * torch::rsqrt(x.pow(2).mean(-1, true) + 1e-6));
    };
    auto inv_freq =
        1.0 / torch::pow(1000.0, torch::arange(0, kHeadDim, 2, torch::kFloat64) / kHeadDim);
    auto angles = torch::outer(torch::arange(n, torch::kFloat64), inv_freq);
    auto cos = torch::cat({angles.cos(), angles.cos()}, -1).unsqueeze(1);
    auto sin = torch::cat({angles.sin(), angles.sin()}, -1).unsqueeze(1);
    auto rope = [&](const torch::Tensor& x) {
      auto halves = x.chunk(2, -1);
      return x * cos + torch::cat({-halves[1], halves[0]}, -1) * sin;
    };
    auto x = w("model.embed_tokens.weight").index_select(0, idx);
    auto mask = torch::ones({n, n}, torch::kBool).triu(1);
    for (int64_t l = 0; l < kLayers; ++l) {
      const std::string p = "model.layers." + std::to_string(l) + ".";
      auto h = rms(x, w(p + "input_layernorm.weight"));
      auto proj = [&](const std::string& name) {
        return torch::addmm(w(p + name + ".bias"), h, w(p + name + ".weight").t());
      };
      auto q = rope(proj("self_attn.q_proj").view({n, kHeads, kHeadDim}));
      auto k = rope(proj("self_attn.k_proj").view({n, kKvHeads, kHeadDim}));
      auto v = proj("self_attn.v_proj").view({n, kKvHeads, kHeadDim});
      k = k.repeat_interleave(kHeads / kKvHeads, 1);
      v = v.repeat_interleave(kHeads / kKvHeads, 1);
      auto scores = torch::einsum("qhd,khd->hqk", {q, k}) / std::sqrt(double(kHeadDim));
      scores.masked_fill_(mask, -INFINITY);
      auto attn = torch::einsum("hqk,khd->qhd", {scores.softmax(-1), v}).reshape({n, -1});
      x = x + torch::mm(attn, w(p + "self_attn.o_proj.weight").t());
      h = rms(x, w(p + "post_attention_layernorm.weight"));
      auto gate = torch::mm(h, w(p + "mlp.gate_proj.weight").t());
      auto up = torch::mm(h, w(p + "mlp.up_proj.weight").t());
      x = x + torch::mm(torch::silu(gate) * up, w(p + "mlp.down_proj.weight").t());
    }
    return torch::mm(rms(x, w("model.norm.weight")), w("lm_head.weight").t());
  }

  std::filesystem::path dir_;
  std::map<std::string, torch::Tensor> weights_;
};

// Three sequences of different prompt lengths prefilled together (one of them in two chunks),
// then decoded together for several steps. Block size 4 makes tables span many blocks and
// takes the scalar CPU kernel; 8 takes the vector kernel.
TEST_P(TinyQwen2, PagedBatchedForwardMatchesNaiveRecompute) {
  ModelOptions options;
  options.reference_kernels = std::get<0>(GetParam());
  const auto weight_dtype = std::get<2>(GetParam());
  auto model = load_causal_lm(dir_, weight_dtype, torch::kCPU, options);
  EXPECT_EQ(model->dtype(), torch::kFloat32);  // activations stay float32 on the CPU
  bf16_matrices_ = weight_dtype == torch::kBFloat16;
  const int32_t kBlock = std::get<1>(GetParam());
  // bf16 weights carry 8 bits of mantissa: compare at that precision.
  const double tolerance = weight_dtype == torch::kBFloat16 ? 5e-2 : 1e-4;
  kv_cache::KvCacheManager manager(64, kBlock);
  model::KvCacheStorage storage({kLayers, kKvHeads, kHeadDim, kBlock, 4}, 64, torch::kFloat32,
                                torch::kCPU);
  std::vector<std::vector<int32_t>> seqs = {{3, 17, 42, 8, 9, 11, 30}, {5}, {7, 7, 21, 33, 2}};
  std::vector<int32_t> computed(seqs.size(), 0);

  auto run_step = [&](const std::vector<std::pair<size_t, int32_t>>& chunks) {
    ForwardBatch batch;
    batch.query_starts.push_back(0);
    int32_t max_blocks = 0;
    for (auto [s, n] : chunks)
      max_blocks = std::max(max_blocks, manager.blocks_for_tokens(computed[s] + n));
    batch.max_blocks_per_sequence = max_blocks;
    for (auto [s, n] : chunks) {
      EXPECT_TRUE(manager.allocate(s, computed[s] + n));
      const auto& table = manager.block_table(s);
      for (int32_t p = computed[s]; p < computed[s] + n; ++p) {
        batch.token_ids.push_back(seqs[s][p]);
        batch.positions.push_back(p);
        batch.slots.push_back(int64_t{table[p / kBlock]} * kBlock + p % kBlock);
      }
      batch.query_starts.push_back(batch.num_tokens());
      batch.context_lens.push_back(computed[s] + n);
      std::vector<int32_t> padded(table.begin(), table.end());
      padded.resize(max_blocks, 0);
      batch.block_tables.insert(batch.block_tables.end(), padded.begin(), padded.end());
      batch.logits_rows.push_back(batch.num_tokens() - 1);
      computed[s] += n;
    }
    return model->forward(batch, storage).logits;
  };
  auto expect_matches = [&](const torch::Tensor& logits, const std::vector<size_t>& order) {
    for (size_t row = 0; row < order.size(); ++row) {
      const auto& ids = seqs[order[row]];
      auto expected =
          naive_forward(std::vector<int32_t>(ids.begin(), ids.begin() + computed[order[row]]));
      auto last = expected[computed[order[row]] - 1].to(torch::kFloat32);
      // bf16 rounds every matmul input (relative 2^-9), which this random, poorly conditioned
      // model amplifies to about 2% of the logits' scale; a broken kernel is off by the scale.
      const double bound =
          weight_dtype == torch::kBFloat16 ? tolerance * last.abs().max().item<double>() : 0.0;
      EXPECT_TRUE(weight_dtype == torch::kBFloat16
                      ? (logits[row] - last).abs().max().item<double>() <= bound
                      : torch::allclose(logits[row], last, tolerance, tolerance))
          << "sequence " << order[row] << " max diff "
          << (logits[row] - last).abs().max().item<float>() << " logits scale "
          << last.abs().max().item<float>();
    }
  };

  expect_matches(run_step({{0, 4}, {1, 1}, {2, 5}}), {0, 1, 2});
  expect_matches(run_step({{0, 3}}), {0});  // second prefill chunk
  for (int step = 0; step < 6; ++step) {
    for (auto& s : seqs) s.push_back(static_cast<int32_t>((s.back() * 7 + step) % kVocab));
    expect_matches(run_step({{0, 1}, {1, 1}, {2, 1}}), {0, 1, 2});
  }
}

INSTANTIATE_TEST_SUITE_P(Kernels, TinyQwen2,
                         ::testing::Combine(::testing::Bool(), ::testing::Values(4, 8),
                                            ::testing::Values(torch::kFloat32, torch::kBFloat16)),
                         [](const auto& info) {
                           return (std::get<0>(info.param) ? std::string("Reference")
                                                           : std::string("CpuKernels")) +
                                  "Block" + std::to_string(std::get<1>(info.param)) +
                                  (std::get<2>(info.param) == torch::kBFloat16 ? "Bf16Weights"
                                                                               : "Fp32");
                         });

TEST(ModelRegistry, UnknownArchitectureIsAClearError) {
  auto dir = testing::make_temp_dir("bad-arch");
  std::ofstream(dir / "config.json") << R"({"architectures":["GPT2LMHeadModel"],"hidden_size":8,
    "intermediate_size":8,"num_hidden_layers":1,"num_attention_heads":1,"vocab_size":4,
    "max_position_embeddings":8,"rms_norm_eps":1e-5})";
  try {
    load_causal_lm(dir, torch::kFloat32, torch::kCPU);
    ADD_FAILURE() << "loaded an unsupported architecture";
  } catch (const fastchat::ErrorException& e) {
    EXPECT_NE(std::string(e.what()).find("GPT2LMHeadModel"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fastchat::model
