#include "model/loader/safetensors_file.h"
#include "model/loader/torch_dtype.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>

#include "loader_test_fixtures.h"
#include "tools/model_writer/safetensors_writer.h"

namespace fastchat::loader {
namespace {

using model_writer::write_safetensors;
using testing::expect_error;
using testing::TempDir;

/// A file with a hand-written header: u64 LE length, the header text, then `data_bytes` zeros.
void write_raw(const std::filesystem::path& path, const std::string& header, size_t data_bytes,
               uint64_t declared_length = UINT64_MAX) {
  uint64_t length = declared_length == UINT64_MAX ? header.size() : declared_length;
  std::string bytes(sizeof length, '\0');
  std::memcpy(bytes.data(), &length, sizeof length);
  bytes += header;
  bytes.append(data_bytes, '\0');
  testing::write_text(path, bytes);
}

TEST(SafetensorsTest, RoundTripsF32F16BF16) {
  TempDir dir("loader-st");
  auto f32 = torch::arange(12, torch::kFloat32).reshape({3, 4}) * 0.5;
  auto f16 = torch::tensor({1.5, -2.25, 65504.0}, torch::kFloat16);
  auto bf16 = torch::tensor({0.15625, -3.0}, torch::kBFloat16).reshape({1, 2});
  auto empty = torch::zeros({0, 3}, torch::kFloat32);
  write_safetensors(dir / "a.safetensors",
                    {{"w.f32", f32}, {"w.f16", f16}, {"w.bf16", bf16}, {"w.empty", empty}});

  auto file = SafetensorsFile::open(dir / "a.safetensors");
  EXPECT_EQ(file.path(), dir / "a.safetensors");
  EXPECT_EQ(file.metadata().at("format"), "pt");
  ASSERT_EQ(file.entries().size(), 4u);
  EXPECT_EQ(file.entries()[0].name, "w.f32");  // file order
  ASSERT_NE(file.find("w.f16"), nullptr);
  EXPECT_EQ(file.find("nope"), nullptr);

  const auto& e32 = *file.find("w.f32");
  EXPECT_EQ(e32.dtype, TensorDtype::F32);
  EXPECT_EQ(file.find("w.bf16")->dtype, TensorDtype::BF16);
  EXPECT_EQ(e32.shape, (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(e32.end - e32.begin, 48u);
  EXPECT_TRUE(torch::equal(tensor_view(file, e32), f32));
  EXPECT_TRUE(torch::equal(tensor_view(file, *file.find("w.f16")), f16));
  EXPECT_TRUE(torch::equal(tensor_view(file, *file.find("w.bf16")), bf16));
  EXPECT_EQ(tensor_view(file, *file.find("w.empty")).sizes(), empty.sizes());

  // Released pages are re-read from the file: a view taken afterwards still sees the data.
  file.release(e32);
  EXPECT_TRUE(torch::equal(tensor_view(file, e32), f32));

  // Data section starts 8-byte aligned (header padded).
  EXPECT_EQ(reinterpret_cast<uintptr_t>(tensor_view(file, e32).data_ptr()) % 8, 0u);

  // Moving keeps the mapping valid.
  SafetensorsFile moved = std::move(file);
  EXPECT_TRUE(torch::equal(tensor_view(moved, *moved.find("w.f32")), f32));
}

TEST(SafetensorsTest, WriterRejectsDuplicateNames) {
  TempDir dir("loader-st");
  auto t = torch::zeros({2});
  expect_error(
      [&] {
        write_safetensors(dir / "d.safetensors", {{"x", t}, {"x", t}});
      },
      ErrorCode::InvalidModel, {"duplicate", "x"});
}

TEST(SafetensorsTest, TruncatedFile) {
  TempDir dir("loader-st");
  auto path = dir / "t.safetensors";
  write_safetensors(path, {{"w", torch::ones({16, 16})}});
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 10);
  expect_error([&] { SafetensorsFile::open(path); }, ErrorCode::InvalidModel,
               {path.string(), "'w'", "past the end"});
  std::filesystem::resize_file(path, 5);
  expect_error([&] { SafetensorsFile::open(path); }, ErrorCode::InvalidModel,
               {path.string(), "truncated"});
}

TEST(SafetensorsTest, HeaderErrors) {
  TempDir dir("loader-st");
  auto path = dir / "h.safetensors";
  const std::string good = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";

  write_raw(path, good, 8, /*declared_length=*/good.size() + 100);
  expect_error([&] { SafetensorsFile::open(path); }, ErrorCode::InvalidModel,
               {path.string(), "larger than the file"});

  write_raw(path, good, 8, /*declared_length=*/uint64_t{1} << 40);
  expect_error([&] { SafetensorsFile::open(path); }, ErrorCode::InvalidModel,
               {path.string(), "100 MB"});

  write_raw(path, "{\"w\": [1, 2", 8);
  expect_error([&] { SafetensorsFile::open(path); }, ErrorCode::InvalidModel,
               {path.string(), "not a JSON object"});
}

TEST(SafetensorsTest, EntryErrorsNameFileAndTensor) {
  TempDir dir("loader-st");
  auto path = dir / "e.safetensors";
  struct Case {
    std::string header, fragment;
    size_t data_bytes = 8;
  };
  const std::vector<Case> cases = {
      {R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", "past the end"},
      {R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", "need 12 bytes"},
      {R"({"w":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}})", "F8_E4M3"},
      {R"({"w":{"dtype":"Q4","shape":[8],"data_offsets":[0,8]}})", "dtype 'Q4'"},
      {R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", "begin <= end"},
      {R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", "negative"},
      {R"({"w":{"dtype":"F32","shape":[2]}})", "data_offsets"},
      {R"({"v":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
           "w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
       "overlaps", 16},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.header);
    write_raw(path, c.header, c.data_bytes);
    expect_error([&] { SafetensorsFile::open(path); }, ErrorCode::InvalidModel,
                 {path.string(), "'w'", c.fragment});
  }
}

}  // namespace
}  // namespace fastchat::loader
