#include "model/layers/packed_weight.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>

namespace fastchat::model::layers {
namespace {

// Sixteen floats as one GCC vector: one zmm in the AVX-512 clone, two ymm in the AVX2 one.
typedef float Float16 __attribute__((vector_size(64)));
typedef float Float16Unaligned __attribute__((vector_size(64), aligned(4)));

// x86-64-v4 = AVX-512 with FMA; v3 = AVX2 with FMA; the default keeps old CPUs working.
#define FASTCHAT_GEMM_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

// Rows of x per tile: 8 rows x 2 panels = 16 accumulators, which leaves registers for the two
// weight vectors; each weight vector loaded feeds 8 FMAs.
constexpr int64_t kTileRows = 8;
// x rows kept in L2 per pass over the weights (about 512 KiB of x at most).
constexpr int64_t kBlockBytes = 512 * 1024;
// Below this many multiply-adds a product runs on the calling thread: waking the other
// threads costs more than it saves (stories260K's 64-wide layers).
constexpr int64_t kParallelMacs = int64_t{1} << 19;

struct Problem {
  const float* x;
  int64_t rows;
  int64_t in;
  const float* packed;
  int64_t panels;
  const float* bias;
  float* y;
  int64_t out;
  bool accumulate;
};

// R rows x P panels of y, over the whole input dimension.
template <int R, int P>
[[gnu::always_inline]] inline void tile(const Problem& p, int64_t row, int64_t panel) {
  Float16 acc[R][P];
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < P; ++j) acc[r][j] = Float16{};
  const float* w = p.packed + panel * p.in * kPanelWidth;
  const int64_t panel_stride = p.in * kPanelWidth;
  const float* x = p.x + row * p.in;
  for (int64_t k = 0; k < p.in; ++k) {
    Float16 wv[P];
    for (int j = 0; j < P; ++j)
      wv[j] = *reinterpret_cast<const Float16*>(w + j * panel_stride + k * kPanelWidth);
    for (int r = 0; r < R; ++r) {
      const float a = x[r * p.in + k];
      for (int j = 0; j < P; ++j) acc[r][j] += wv[j] * a;
    }
  }
  for (int r = 0; r < R; ++r) {
    for (int j = 0; j < P; ++j) {
      const int64_t col = (panel + j) * kPanelWidth;
      auto* dst = reinterpret_cast<Float16Unaligned*>(p.y + (row + r) * p.out + col);
      Float16 v = acc[r][j];
      if (p.bias) v += *reinterpret_cast<const Float16Unaligned*>(p.bias + col);
      if (p.accumulate) v += *dst;
      *dst = v;
    }
  }
}

template <int P>
[[gnu::always_inline]] inline void rows_tail(const Problem& p, int64_t row, int64_t count,
                                             int64_t panel) {
  switch (count) {
    case 1:
      return tile<1, P>(p, row, panel);
    case 2:
      return tile<2, P>(p, row, panel);
    case 3:
      return tile<3, P>(p, row, panel);
    case 4:
      return tile<4, P>(p, row, panel);
    case 5:
      return tile<5, P>(p, row, panel);
    case 6:
      return tile<6, P>(p, row, panel);
    case 7:
      return tile<7, P>(p, row, panel);
    default:
      return;
  }
}

// Panels [first, last) for rows [row_begin, row_end): panel pairs outermost, so one pair of
// weight panels serves every row tile of the block while it is in cache.
FASTCHAT_GEMM_CLONES
void run_block(const Problem& p, int64_t row_begin, int64_t row_end, int64_t first, int64_t last) {
  int64_t panel = first;
  for (; panel + 2 <= last; panel += 2) {
    int64_t row = row_begin;
    for (; row + kTileRows <= row_end; row += kTileRows) tile<kTileRows, 2>(p, row, panel);
    rows_tail<2>(p, row, row_end - row, panel);
  }
  if (panel < last) {
    int64_t row = row_begin;
    for (; row + kTileRows <= row_end; row += kTileRows) tile<kTileRows, 1>(p, row, panel);
    rows_tail<1>(p, row, row_end - row, panel);
  }
}

}  // namespace

bool can_pack(const torch::Tensor& weight) {
  return weight.device().is_cpu() && weight.scalar_type() == torch::kFloat32 && weight.dim() == 2 &&
         weight.size(0) % kPanelWidth == 0 && weight.size(0) > 0;
}

torch::Tensor pack_weight(const torch::Tensor& weight) {
  TORCH_CHECK(can_pack(weight), "pack_weight: float32 CPU [out, in] with out % 16 == 0 expected");
  return weight.view({weight.size(0) / kPanelWidth, kPanelWidth, weight.size(1)})
      .transpose(1, 2)
      .contiguous();
}

torch::Tensor packed_rows(const torch::Tensor& packed, const torch::Tensor& ids) {
  auto panel = torch::div(ids.to(torch::kLong), kPanelWidth, "floor");
  auto lane = torch::remainder(ids.to(torch::kLong), kPanelWidth);
  // packed[panel, :, lane] for every id: [n, in].
  return packed.index({panel, torch::indexing::Slice(), lane});
}

void packed_gemm(const float* x, int64_t rows, int64_t in, const float* packed, int64_t out,
                 const float* bias, float* y, bool accumulate) {
  const Problem p{x, rows, in, packed, out / kPanelWidth, bias, y, out, accumulate};
  const int64_t block_rows = std::max<int64_t>(
      kTileRows, kBlockBytes / (in * static_cast<int64_t>(sizeof(float))) / kTileRows * kTileRows);
  const int64_t pairs = (p.panels + 1) / 2;
  const bool parallel = rows * in * out >= kParallelMacs;
  for (int64_t row = 0; row < rows; row += block_rows) {
    const int64_t row_end = std::min(rows, row + block_rows);
    // Threads split the panels: each streams its own share of the weights.
    at::parallel_for(0, pairs, parallel ? 1 : pairs, [&](int64_t begin, int64_t end) {
      run_block(p, row, row_end, begin * 2, std::min(p.panels, end * 2));
    });
  }
}

}  // namespace fastchat::model::layers
