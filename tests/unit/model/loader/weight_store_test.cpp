#include "model/loader/weight_store.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>

#include "loader_test_fixtures.h"
#include "model/loader/dtype_choice.h"
#include "model/loader/model_config.h"
#include "tools/model_writer/safetensors_writer.h"

namespace fastchat::loader {
namespace {

using model_writer::write_safetensors;
using testing::expect_error;
using testing::TempDir;
using testing::write_text;

const torch::Device kCpu(torch::kCPU);

TEST(WeightStoreTest, LoadsStories260K) {
  const auto folder = fastchat::testing::test_data_dir() / "models" / "stories260K";
  const auto config = load_model_config(folder);
  auto store = WeightStore::open(folder);
  EXPECT_EQ(store.names().size(), 48u);

  const int64_t h = config.hidden_size, f = config.intermediate_size, d = config.head_dim;
  const int64_t q = config.num_attention_heads * d, kv = config.num_key_value_heads * d;
  std::vector<std::pair<std::string, std::vector<int64_t>>> expected = {
      {"model.embed_tokens.weight", {config.vocab_size, h}},
      {"model.norm.weight", {h}},
      {"lm_head.weight", {config.vocab_size, h}}};
  for (int64_t i = 0; i < config.num_hidden_layers; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    expected.push_back({p + "self_attn.q_proj.weight", {q, h}});
    expected.push_back({p + "self_attn.k_proj.weight", {kv, h}});
    expected.push_back({p + "self_attn.v_proj.weight", {kv, h}});
    expected.push_back({p + "self_attn.o_proj.weight", {h, q}});
    expected.push_back({p + "mlp.gate_proj.weight", {f, h}});
    expected.push_back({p + "mlp.up_proj.weight", {f, h}});
    expected.push_back({p + "mlp.down_proj.weight", {h, f}});
    expected.push_back({p + "input_layernorm.weight", {h}});
    expected.push_back({p + "post_attention_layernorm.weight", {h}});
  }
  ASSERT_EQ(expected.size(), 48u);
  for (const auto& [name, shape] : expected) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(store.contains(name));
    auto t = store.load(name, shape, torch::kFloat32, kCpu);
    EXPECT_EQ(t.sizes(), torch::IntArrayRef(shape));
    EXPECT_EQ(t.scalar_type(), torch::kFloat32);
  }

  auto embed = store.load("model.embed_tokens.weight", {512, 64}, torch::kFloat32, kCpu);
  auto head = store.load("lm_head.weight", {512, 64}, torch::kFloat32, kCpu);
  ASSERT_TRUE(embed.is_contiguous() && head.is_contiguous());
  EXPECT_EQ(std::memcmp(embed.data_ptr(), head.data_ptr(), embed.nbytes()), 0);
  // The loaded tensor owns its bytes: it survives the store.
  store = WeightStore::open(folder);
  EXPECT_TRUE(torch::isfinite(embed).all().item<bool>());
}

TEST(WeightStoreTest, ConvertsF16AndBF16ToF32) {
  TempDir dir("loader-ws");
  auto f16 = torch::tensor({1.5, -2.25, 0.0009765625, 65504.0}, torch::kFloat16);
  auto bf16 = torch::tensor({0.15625, -3.0, 1e30, 256.0}, torch::kBFloat16);
  auto f32 = torch::tensor({0.1f, 2.0f, -7.5f, 3.0f}, torch::kFloat32);
  write_safetensors(dir / "model.safetensors", {{"a", f16}, {"b", bf16}, {"c", f32}});
  auto store = WeightStore::open(dir.path());

  auto a = store.load("a", {4}, torch::kFloat32, kCpu);
  EXPECT_EQ(a.scalar_type(), torch::kFloat32);
  EXPECT_TRUE(torch::equal(a, torch::tensor({1.5f, -2.25f, 0.0009765625f, 65504.0f})));
  auto b = store.load("b", {4}, torch::kFloat32, kCpu);
  EXPECT_TRUE(torch::equal(b, bf16.to(torch::kFloat32)));
  EXPECT_FLOAT_EQ(b[0].item<float>(), 0.15625f);
  EXPECT_FLOAT_EQ(b[1].item<float>(), -3.0f);
  // F32 -> BF16 rounds once; F32 -> F32 is still an owned copy.
  EXPECT_TRUE(torch::equal(store.load("c", {4}, torch::kBFloat16, kCpu), f32.to(torch::kBFloat16)));
  auto c = store.load("c", {4}, torch::kFloat32, kCpu);
  EXPECT_TRUE(torch::equal(c, f32));
  EXPECT_EQ(store.find("a")->dtype, TensorDtype::F16);
}

TEST(WeightStoreTest, LoadsShardsThroughIndex) {
  TempDir dir("loader-ws");
  auto x = torch::randn({3, 2});
  auto y = torch::randn({5}).to(torch::kBFloat16);
  auto z = torch::randn({2, 2}).to(torch::kFloat16);
  write_safetensors(dir / "model-00001-of-00002.safetensors", {{"x", x}, {"y", y}});
  write_safetensors(dir / "model-00002-of-00002.safetensors", {{"z", z}});
  write_text(dir / "model.safetensors.index.json",
             R"({"metadata": {"total_size": 52}, "weight_map": {
               "x": "model-00001-of-00002.safetensors", "y": "model-00001-of-00002.safetensors",
               "z": "model-00002-of-00002.safetensors"}})");
  auto store = WeightStore::open(dir.path());
  EXPECT_EQ(store.names(), (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_TRUE(torch::equal(store.load("x", {3, 2}, torch::kFloat32, kCpu), x));
  EXPECT_TRUE(torch::equal(store.load("y", {5}, torch::kBFloat16, kCpu), y));
  EXPECT_TRUE(torch::equal(store.load("z", {2, 2}, torch::kFloat32, kCpu), z.to(torch::kFloat32)));
}

TEST(WeightStoreTest, OpenErrors) {
  TempDir dir("loader-ws");
  expect_error([&] { WeightStore::open(dir.path()); }, ErrorCode::InvalidModel,
               {"no model.safetensors or model.safetensors.index.json in", dir.path().string()});

  write_safetensors(dir / "shard-1.safetensors", {{"x", torch::zeros({2})}});
  write_text(dir / "model.safetensors.index.json",
             R"({"weight_map": {"x": "shard-1.safetensors", "y": "shard-2.safetensors"}})");
  expect_error([&] { WeightStore::open(dir.path()); }, ErrorCode::InvalidModel,
               {"model.safetensors.index.json", "shard-2.safetensors", "'y'"});

  write_text(dir / "model.safetensors.index.json",
             R"({"weight_map": {"x": "shard-1.safetensors", "w": "shard-1.safetensors"}})");
  expect_error([&] { WeightStore::open(dir.path()); }, ErrorCode::InvalidModel,
               {"model.safetensors.index.json", "'w'", "shard-1.safetensors"});

  write_text(dir / "model.safetensors.index.json", R"({"weight_map": {"x": "../x.safetensors"}})");
  expect_error([&] { WeightStore::open(dir.path()); }, ErrorCode::InvalidModel,
               {"../x.safetensors"});
}

TEST(WeightStoreTest, LoadErrors) {
  TempDir dir("loader-ws");
  write_safetensors(dir / "model.safetensors",
                    {{"w", torch::zeros({4, 2})}, {"ids", torch::zeros({3}, torch::kInt64)}});
  auto store = WeightStore::open(dir.path());
  const auto file = (dir / "model.safetensors").string();
  expect_error(
      [&] {
        store.load("missing.weight", {4, 2}, torch::kFloat32, kCpu);
      },
      ErrorCode::InvalidModel, {file, "'missing.weight'", "missing"});
  expect_error(
      [&] {
        store.load("w", {2, 4}, torch::kFloat32, kCpu);
      },
      ErrorCode::InvalidModel, {file, "'w'", "[4, 2]", "expected [2, 4]"});
  expect_error([&] { store.load("ids", {3}, torch::kFloat32, kCpu); }, ErrorCode::InvalidModel,
               {file, "'ids'", "Long"});
}

/// Resident file-backed memory of this process (RssFile in /proc/self/status), in bytes.
int64_t resident_file_bytes() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "RssFile:") {
      int64_t kb = 0;
      status >> kb;
      return kb * 1024;
    }
    status.ignore(1 << 20, '\n');
  }
  return -1;
}

TEST(WeightStoreTest, LoadingDoesNotKeepMappedPagesResident) {
  TempDir dir("loader-ws");
  constexpr int64_t kTensors = 16, kElements = 1 << 20;  // 16 x 4 MB of F32
  // Built with append: GCC 12 -O3 gives a bogus -Wstringop-overflow on "t" + to_string(i).
  auto name = [](int64_t i) {
    std::string n = "t";
    n += std::to_string(i);
    return n;
  };
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (int64_t i = 0; i < kTensors; ++i) {
    tensors.emplace_back(name(i), torch::full({kElements}, float(i)));
  }
  write_safetensors(dir / "model.safetensors", tensors);
  tensors.clear();

  auto store = WeightStore::open(dir.path());
  const int64_t before = resident_file_bytes();
  ASSERT_GE(before, 0) << "no RssFile in /proc/self/status";
  std::vector<torch::Tensor> loaded;
  for (int64_t i = 0; i < kTensors; ++i) {
    loaded.push_back(store.load(name(i), {kElements}, torch::kBFloat16, kCpu));
  }
  // Without release() all 64 MB of mapped pages would stay resident next to the copies.
  EXPECT_LT(resident_file_bytes() - before, 16 << 20);
  EXPECT_EQ(loaded.back()[0].item<float>(), float(kTensors - 1));
}

TEST(DtypeChoiceTest, ResolvesDtype) {
  ModelConfig config;
  config.torch_dtype = "bfloat16";
  EXPECT_EQ(resolve_dtype("auto", config, kCpu), torch::kFloat32);
  EXPECT_EQ(resolve_dtype("auto", config, torch::Device(torch::kCUDA, 0)), torch::kBFloat16);
  EXPECT_EQ(resolve_dtype("float16", config, torch::Device(torch::kCUDA, 0)), torch::kFloat16);
  // No fast float16 matmul on the CPU: refused, naming the flag and the alternatives.
  expect_error([&] { resolve_dtype("float16", config, kCpu); }, ErrorCode::InvalidConfig,
               {"--dtype", "bfloat16"});
  EXPECT_EQ(resolve_dtype("bfloat16", config, kCpu), torch::kBFloat16);
  EXPECT_EQ(resolve_dtype("float32", config, kCpu), torch::kFloat32);
  for (const char* bad : {"float64", "", "fp16", "AUTO"}) {
    SCOPED_TRACE(bad);
    expect_error([&] { resolve_dtype(bad, config, kCpu); }, ErrorCode::InvalidConfig, {"--dtype"});
  }
}

TEST(DtypeChoiceTest, ParsesDevice) {
  EXPECT_EQ(parse_device("cpu"), kCpu);
  for (const char* bad : {"gpu", "", "cuda:", "cuda:x", "cuda:-1", "cuda0", "cpu:0", "cudax"}) {
    SCOPED_TRACE(bad);
    expect_error([&] { parse_device(bad); }, ErrorCode::InvalidConfig, {"--device"});
  }
  if (torch::cuda::is_available()) {
    EXPECT_EQ(parse_device("cuda"), torch::Device(torch::kCUDA, 0));
    EXPECT_EQ(parse_device("cuda:0"), torch::Device(torch::kCUDA, 0));
    expect_error([&] { parse_device("cuda:99"); }, ErrorCode::InvalidConfig, {"--device"});
  } else {
    expect_error([&] { parse_device("cuda"); }, ErrorCode::InvalidConfig,
                 {"--device", "CUDA is not available"});
    expect_error([&] { parse_device("cuda:1"); }, ErrorCode::InvalidConfig, {"--device"});
  }
}

}  // namespace
}  // namespace fastchat::loader
