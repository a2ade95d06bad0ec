#include "model/layers/packed_weight.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/layers/linear.h"

namespace fastchat::model::layers {
namespace {

TEST(PackedWeight, OnlyFloat32CpuMatricesWithWholePanelsArePacked) {
  EXPECT_TRUE(can_pack(torch::zeros({32, 5})));
  EXPECT_FALSE(can_pack(torch::zeros({30, 5})));
  EXPECT_FALSE(can_pack(torch::zeros({32, 5}, torch::kBFloat16)));
  EXPECT_FALSE(can_pack(torch::zeros({32})));
  EXPECT_EQ(pack_weight(torch::zeros({48, 7})).sizes(), (std::vector<int64_t>{3, 7, 16}));
}

// Every row count up to two tiles and beyond (remainder tiles), odd and even panel counts,
// with and without bias, overwrite and accumulate: equal to torch's matmul.
TEST(PackedWeight, GemmMatchesTorch) {
  torch::manual_seed(7);
  for (int64_t out : {16, 48, 64, 208}) {
    for (int64_t in : {1, 13, 64, 300}) {
      auto weight = torch::randn({out, in});
      auto bias = torch::randn({out});
      auto packed = pack_weight(weight);
      for (int64_t rows : {1, 3, 8, 9, 17, 40}) {
        auto x = torch::randn({rows, in});
        auto expected = torch::addmm(bias, x, weight.t());
        auto got = layers::linear(x, packed, bias);
        ASSERT_TRUE(torch::allclose(got, expected, 1e-4, 1e-4))
            << out << "x" << in << " rows " << rows;
        auto residual = torch::randn({rows, out});
        auto accumulated = residual.clone();
        layers::linear_accumulate(accumulated, x, packed);
        ASSERT_TRUE(torch::allclose(accumulated, residual + torch::mm(x, weight.t()), 1e-4, 1e-4));
      }
    }
  }
}

TEST(PackedWeight, LargeProductsSplitAcrossThreadsGiveTheSameResult) {
  torch::manual_seed(3);
  auto weight = torch::randn({2048, 512});
  auto x = torch::randn({64, 512});  // well above the parallel threshold, several row blocks
  ASSERT_TRUE(torch::allclose(layers::linear(x, pack_weight(weight)), torch::mm(x, weight.t()),
                              1e-3, 1e-3));
}

TEST(PackedWeight, RowsCanBeReadBackFromThePackedForm) {
  auto weight = torch::randn({64, 10});
  auto ids = torch::tensor({0, 17, 63, 17}, torch::kInt32);
  EXPECT_TRUE(torch::equal(packed_rows(pack_weight(weight), ids), weight.index_select(0, ids)));
}

}  // namespace
}  // namespace fastchat::model::layers
