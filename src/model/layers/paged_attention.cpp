#include "model/layers/paged_attention.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>

#include "model/layers/fast_math.h"
#include "model/layers/float8.h"

// The kernel's inner loops are compiled for AVX-512, AVX2 and the baseline, and the loader
// picks by CPU features, so one binary is both portable and fast. (Clones by "arch=" would be
// picked by CPU model name, not by features.)
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FASTCHAT_CPU_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define FASTCHAT_CPU_CLONES
#endif

namespace fastchat::model::layers {
namespace {

using torch::indexing::Slice;

struct RowRange {
  int32_t sequence;
  int32_t kv_head;
  int32_t row_begin;
  int32_t row_end;
};

struct KernelArgs {
  const float* qkv;
  int64_t qkv_stride;
  const float* keys;
  const float* values;
  float* out;
  const ForwardBatch* batch;
  AttentionShape shape;
  float scale;
};

void write_cache_cpu(const KernelArgs& args, float* keys, float* values) {
  const auto& s = args.shape;
  const int64_t kv_offset = s.num_heads * s.head_dim;
  const int64_t v_offset = kv_offset + s.num_kv_heads * s.head_dim;
  const auto& slots = args.batch->slots;
  for (size_t t = 0; t < slots.size(); ++t) {
    const int64_t block = slots[t] / s.block_size;
    const int64_t offset = slots[t] % s.block_size;
    const float* row = args.qkv + static_cast<int64_t>(t) * args.qkv_stride;
    for (int64_t g = 0; g < s.num_kv_heads; ++g) {
      const int64_t head_base = (block * s.num_kv_heads + g) * s.block_size * s.head_dim;
      const float* k = row + kv_offset + g * s.head_dim;
      float* key_dst = keys + head_base + offset;  // transposed: [head_dim, block_size]
      for (int64_t i = 0; i < s.head_dim; ++i) key_dst[i * s.block_size] = k[i];
      std::copy_n(row + v_offset + g * s.head_dim, s.head_dim,
                  values + head_base + offset * s.head_dim);
    }
  }
}

// One query head of one token against the cached tokens [skip, num_keys) of `table`'s blocks,
// scalar: any block size and head dim.
void attend_one_scalar(const KernelArgs& args, const int32_t* table, int64_t kv_head,
                       const float* q, int64_t num_keys, int64_t skip, float* scores, float* out) {
  const int64_t d = args.shape.head_dim;
  const int64_t bs = args.shape.block_size;
  const int64_t kv_heads = args.shape.num_kv_heads;
  const int64_t num_blocks = (num_keys + bs - 1) / bs;
  float max_score = -std::numeric_limits<float>::infinity();
  std::fill_n(scores, skip, 0.0f);
  for (int64_t j = skip; j < num_keys; ++j) {
    // Keys are [head_dim, block_size] inside a block.
    const float* kb =
        args.keys + (static_cast<int64_t>(table[j / bs]) * kv_heads + kv_head) * bs * d;
    float acc = 0.0f;
    for (int64_t i = 0; i < d; ++i) acc += q[i] * kb[i * bs + j % bs];
    scores[j] = acc * args.scale;
    max_score = std::max(max_score, scores[j]);
  }
  float sum = 0.0f;
  for (int64_t j = skip; j < num_keys; ++j) {
    scores[j] = fast_exp(scores[j] - max_score);
    sum += scores[j];
  }
  std::fill_n(out, d, 0.0f);
  for (int64_t b = 0; b < num_blocks; ++b) {
    const float* vb = args.values + (static_cast<int64_t>(table[b]) * kv_heads + kv_head) * bs * d;
    const int64_t n = std::min(bs, num_keys - b * bs);
    for (int64_t t = 0; t < n; ++t) {
      for (int64_t i = 0; i < d; ++i) out[i] += scores[b * bs + t] * vb[t * d + i];
    }
  }
  for (int64_t i = 0; i < d; ++i) out[i] /= sum;
}

// out[0, 8*kChunks) of one head = inv * sum_t p[t] * V[t][offset, offset + 8*kChunks). The
// accumulators are a compile-time array so that they stay in registers; small head dims get
// several accumulator sets over consecutive keys, so that the FMAs do not wait on each other.
template <int kChunks>
[[gnu::always_inline]] inline void weighted_values(const KernelArgs& args, const int32_t* table,
                                                   int64_t kv_head, const float* probs,
                                                   int64_t num_keys, float inv, float* out,
                                                   int64_t offset = 0) {
  constexpr int kUnroll = kChunks >= 4 ? 1 : 4 / kChunks;
  const int64_t d = args.shape.head_dim;
  const int64_t bs = args.shape.block_size;
  Float8 acc[kUnroll][kChunks] = {};
  for (int64_t b = 0; b * bs < num_keys; ++b) {
    const float* vb =
        args.values +
        (static_cast<int64_t>(table[b]) * args.shape.num_kv_heads + kv_head) * bs * d + offset;
    const int64_t n = std::min(bs, num_keys - b * bs);
    const float* pb = probs + b * bs;
    int64_t t = 0;
    for (; t + kUnroll <= n; t += kUnroll) {
      for (int u = 0; u < kUnroll; ++u) {
        const Float8 p = broadcast8(pb[t + u]);
        for (int c = 0; c < kChunks; ++c) acc[u][c] += p * load8(vb + (t + u) * d + c * 8);
      }
    }
    for (; t < n; ++t) {
      const Float8 p = broadcast8(pb[t]);
      for (int c = 0; c < kChunks; ++c) acc[0][c] += p * load8(vb + t * d + c * 8);
    }
  }
  for (int c = 0; c < kChunks; ++c) {
    Float8 total = acc[0][c];
    for (int u = 1; u < kUnroll; ++u) total += acc[u][c];
    store8(out + offset + c * 8, total * inv);
  }
}

// Scaled scores of one query against every key of `num_blocks` blocks of 8*kBlockChunks keys
// (keys stored [head_dim, block_size] per block). Four blocks at a time: their accumulators are
// independent, which hides the FMA latency along head_dim.
template <int kBlockChunks>
[[gnu::always_inline]] inline void block_scores(const KernelArgs& args, const int32_t* table,
                                                int64_t kv_head, const float* q, int64_t num_blocks,
                                                float* scores) {
  constexpr int64_t kBs = kBlockChunks * 8;
  constexpr int kBlocks = 4;
  const int64_t d = args.shape.head_dim;
  const int64_t stride = args.shape.num_kv_heads * kBs * d;
  const float* keys = args.keys + kv_head * kBs * d;
  int64_t b = 0;
  for (; b + kBlocks <= num_blocks; b += kBlocks) {
    const float* kb[kBlocks];
    for (int j = 0; j < kBlocks; ++j) kb[j] = keys + static_cast<int64_t>(table[b + j]) * stride;
    Float8 acc[kBlocks][kBlockChunks] = {};
    for (int64_t i = 0; i < d; ++i) {
      const Float8 qi = broadcast8(q[i]);
      for (int j = 0; j < kBlocks; ++j) {
        for (int c = 0; c < kBlockChunks; ++c) acc[j][c] += qi * load8(kb[j] + i * kBs + c * 8);
      }
    }
    for (int j = 0; j < kBlocks; ++j) {
      for (int c = 0; c < kBlockChunks; ++c) {
        store8(scores + (b + j) * kBs + c * 8, acc[j][c] * args.scale);
      }
    }
  }
  for (; b < num_blocks; ++b) {
    const float* kb = keys + static_cast<int64_t>(table[b]) * stride;
    Float8 acc[kBlockChunks] = {};
    for (int64_t i = 0; i < d; ++i) {
      const Float8 qi = broadcast8(q[i]);
      for (int c = 0; c < kBlockChunks; ++c) acc[c] += qi * load8(kb + i * kBs + c * 8);
    }
    for (int c = 0; c < kBlockChunks; ++c) store8(scores + b * kBs + c * 8, acc[c] * args.scale);
  }
}

// The same with eight-float vectors, for block sizes and head dims that are multiples of 8
// (every real model): a block's scores are bs/8 vector accumulators over head_dim, and the
// output row is head_dim/8 accumulators over the block's tokens.
FASTCHAT_CPU_CLONES
void attend_one_vector(const KernelArgs& args, const int32_t* table, int64_t kv_head,
                       const float* q, int64_t num_keys, int64_t skip, float* scores, float* out) {
  const int64_t d = args.shape.head_dim;
  const int64_t bs = args.shape.block_size;
  const int64_t kv_heads = args.shape.num_kv_heads;
  const int64_t num_blocks = (num_keys + bs - 1) / bs;
  Float8 max8 = broadcast8(-std::numeric_limits<float>::infinity());
  switch (bs / 8) {
    case 1:
      block_scores<1>(args, table, kv_head, q, num_blocks, scores);
      break;
    case 2:
      block_scores<2>(args, table, kv_head, q, num_blocks, scores);
      break;
    case 4:
      block_scores<4>(args, table, kv_head, q, num_blocks, scores);
      break;
    default:
      for (int64_t b = 0; b < num_blocks; ++b) {
        const float* kb =
            args.keys + (static_cast<int64_t>(table[b]) * kv_heads + kv_head) * bs * d;
        for (int64_t c = 0; c < bs; c += 8) {
          Float8 acc{};
          for (int64_t i = 0; i < d; ++i) acc += broadcast8(q[i]) * load8(kb + i * bs + c);
          store8(scores + b * bs + c, acc * args.scale);
        }
      }
  }
  // Keys before the sliding window, in its first block, take no part in the softmax.
  std::fill_n(scores, skip, -std::numeric_limits<float>::infinity());
  // Slots past the last key of the final block hold stale data: mask them out of the max.
  const int64_t full = num_keys / 8 * 8;
  for (int64_t j = 0; j < full; j += 8) {
    const Float8 v = load8(scores + j);
    max8 = v > max8 ? v : max8;
  }
  float max_score = horizontal_max(max8);
  for (int64_t j = full; j < num_keys; ++j) max_score = std::max(max_score, scores[j]);
  Float8 sum8{};
  for (int64_t j = 0; j < full; j += 8) {
    const Float8 e = exp8(load8(scores + j) - max_score);
    store8(scores + j, e);
    sum8 += e;
  }
  float sum = horizontal_sum(sum8);
  for (int64_t j = full; j < num_keys; ++j) {
    scores[j] = fast_exp(scores[j] - max_score);
    sum += scores[j];
  }
  // fast_exp clamps its argument, so a masked key got a tiny weight instead of zero: remove it.
  for (int64_t j = 0; j < skip; ++j) {
    sum -= scores[j];
    scores[j] = 0.0f;
  }

  const float inv = 1.0f / sum;
  switch (d / 8) {
    case 1:
      return weighted_values<1>(args, table, kv_head, scores, num_keys, inv, out);
    case 2:
      return weighted_values<2>(args, table, kv_head, scores, num_keys, inv, out);
    case 4:
      return weighted_values<4>(args, table, kv_head, scores, num_keys, inv, out);
    case 8:
      return weighted_values<8>(args, table, kv_head, scores, num_keys, inv, out);
    case 16:
      return weighted_values<16>(args, table, kv_head, scores, num_keys, inv, out);
    default:
      for (int64_t c = 0; c < d; c += 8) {
        weighted_values<1>(args, table, kv_head, scores, num_keys, inv, out, c);
      }
  }
}

// One query head of the token at `position` against its keys: every earlier one, or those of
// its sliding window. The kernels start at the window's first block, so blocks before it are
// never read (they may have been given back); `skip` masks the keys before the window in it.
void attend_one(const KernelArgs& args, const int32_t* table, int64_t kv_head, const float* q,
                int64_t position, float* scores, float* out) {
  const int64_t d = args.shape.head_dim;
  const int64_t bs = args.shape.block_size;
  const int64_t window = args.shape.sliding_window;
  const int64_t first_key = window > 0 ? std::max<int64_t>(0, position + 1 - window) : 0;
  const int64_t first_block = first_key / bs;
  const int64_t num_keys = position + 1 - first_block * bs;
  const int64_t skip = first_key - first_block * bs;
  if (d % 8 == 0 && bs % 8 == 0) {
    attend_one_vector(args, table + first_block, kv_head, q, num_keys, skip, scores, out);
  } else {
    attend_one_scalar(args, table + first_block, kv_head, q, num_keys, skip, scores, out);
  }
}

void attend_range(const KernelArgs& args, const RowRange& range, std::vector<float>& scores) {
  const auto& batch = *args.batch;
  const auto& s = args.shape;
  const int32_t start = batch.query_starts[range.sequence];
  const int32_t query_len = batch.query_starts[range.sequence + 1] - start;
  const int32_t context = batch.context_lens[range.sequence];
  const int32_t* table = batch.block_tables.data() +
                         static_cast<int64_t>(range.sequence) * batch.max_blocks_per_sequence;
  const int64_t group = s.num_heads / s.num_kv_heads;
  // Scores are padded to whole blocks so the per-block loops never check bounds twice.
  scores.resize(static_cast<size_t>((context + s.block_size - 1) / s.block_size * s.block_size));
  for (int32_t r = range.row_begin; r < range.row_end; ++r) {
    const int64_t position = context - query_len + r;
    const int64_t token = start + r;
    for (int64_t h = range.kv_head * group; h < (range.kv_head + 1) * group; ++h) {
      const float* q = args.qkv + token * args.qkv_stride + h * s.head_dim;
      float* out = args.out + token * s.num_heads * s.head_dim + h * s.head_dim;
      attend_one(args, table, range.kv_head, q, position, scores.data(), out);
    }
  }
}

torch::Tensor paged_attention_cpu(const torch::Tensor& qkv, torch::Tensor& key_cache,
                                  torch::Tensor& value_cache, const ForwardBatch& batch,
                                  const AttentionShape& shape) {
  auto out = torch::empty({qkv.size(0), shape.num_heads * shape.head_dim}, qkv.options());
  KernelArgs args{qkv.data_ptr<float>(),
                  qkv.stride(0),
                  key_cache.data_ptr<float>(),
                  value_cache.data_ptr<float>(),
                  out.data_ptr<float>(),
                  &batch,
                  shape,
                  static_cast<float>(1.0 / std::sqrt(static_cast<double>(shape.head_dim)))};
  write_cache_cpu(args, key_cache.data_ptr<float>(), value_cache.data_ptr<float>());

  // Work items: (sequence, kv head, up to 32 query rows); the cost estimate decides whether
  // waking the thread pool pays off. Measured with fastchat-bench: splitting from a cost of
  // 0.2M up took stories260K's batch-32 decode (cost ~0.4M) from 12-13k to 18-22k tokens/s;
  // batch 1 (cost ~0.01M) stays on the calling thread.
  constexpr int32_t kRowsPerItem = 32;
  std::vector<RowRange> items;
  int64_t cost = 0;
  for (int32_t seq = 0; seq < batch.num_sequences(); ++seq) {
    const int32_t query_len = batch.query_starts[seq + 1] - batch.query_starts[seq];
    const int64_t keys = shape.sliding_window > 0
                             ? std::min<int64_t>(batch.context_lens[seq], shape.sliding_window)
                             : batch.context_lens[seq];
    cost += query_len * keys;
    for (int32_t g = 0; g < shape.num_kv_heads; ++g) {
      for (int32_t r = 0; r < query_len; r += kRowsPerItem) {
        items.push_back({seq, g, r, std::min(query_len, r + kRowsPerItem)});
      }
    }
  }
  cost *= shape.num_heads * shape.head_dim;
  const int64_t num_items = static_cast<int64_t>(items.size());
  const int64_t grain = cost < 200000 ? std::max<int64_t>(num_items, 1) : 1;
  at::parallel_for(0, num_items, grain, [&](int64_t begin, int64_t end) {
    std::vector<float> scores;
    for (int64_t i = begin; i < end; ++i) attend_range(args, items[i], scores);
  });
  return out;
}

torch::Tensor paged_attention_reference(const torch::Tensor& qkv, torch::Tensor& key_cache,
                                        torch::Tensor& value_cache, const ForwardBatch& batch,
                                        const BatchTensors& tensors, const AttentionShape& s) {
  const int64_t tokens = qkv.size(0);
  const int64_t q_width = s.num_heads * s.head_dim;
  const int64_t kv_width = s.num_kv_heads * s.head_dim;
  auto q = qkv.narrow(1, 0, q_width).view({tokens, s.num_heads, s.head_dim});
  auto k = qkv.narrow(1, q_width, kv_width).view({tokens, s.num_kv_heads, s.head_dim});
  auto v = qkv.narrow(1, q_width + kv_width, kv_width).view({tokens, s.num_kv_heads, s.head_dim});
  key_cache.index_put_({tensors.slot_blocks, Slice(), Slice(), tensors.slot_offsets}, k);
  value_cache.index_put_({tensors.slot_blocks, Slice(), tensors.slot_offsets}, v);

  auto out = torch::empty({tokens, q_width}, qkv.options());
  const int64_t group = s.num_heads / s.num_kv_heads;
  const double scale = 1.0 / std::sqrt(static_cast<double>(s.head_dim));
  for (int32_t seq = 0; seq < batch.num_sequences(); ++seq) {
    const int64_t start = batch.query_starts[seq];
    const int64_t query_len = batch.query_starts[seq + 1] - start;
    const int64_t context = batch.context_lens[seq];
    // Blocks wholly before the first query's sliding window are not read (they may be gone).
    const int64_t first_key =
        s.sliding_window > 0 ? std::max<int64_t>(0, context - query_len + 1 - s.sliding_window) : 0;
    const int64_t first_block = first_key / s.block_size;
    const int64_t num_blocks = (context + s.block_size - 1) / s.block_size - first_block;
    const int64_t num_keys = context - first_block * s.block_size;
    const auto row = batch.block_tables.begin() + seq * batch.max_blocks_per_sequence;
    std::vector<int64_t> table(row + first_block, row + first_block + num_blocks);
    auto table_t = torch::tensor(table, torch::kInt64).to(qkv.device());
    // -> [H, ctx, D]; keys are stored [.., D, block_size], values [.., block_size, D].
    auto gather = [&](const torch::Tensor& cache, bool transposed) {
      auto blocks = cache.index_select(0, table_t)
                        .permute(transposed ? std::vector<int64_t>{1, 0, 3, 2}
                                            : std::vector<int64_t>{1, 0, 2, 3});
      auto seq_kv = blocks.reshape({s.num_kv_heads, num_blocks * s.block_size, s.head_dim})
                        .narrow(1, 0, num_keys);
      return seq_kv.repeat_interleave(group, 0).to(torch::kFloat32);
    };
    auto keys = gather(key_cache, true);
    auto values = gather(value_cache, false);
    auto queries = q.narrow(0, start, query_len).transpose(0, 1).to(torch::kFloat32);
    auto scores = torch::matmul(queries, keys.transpose(1, 2)) * scale;  // [H, qlen, ctx]
    auto key_pos =
        torch::arange(first_block * s.block_size, context, qkv.options().dtype(torch::kInt64))
            .unsqueeze(0);
    auto query_pos = torch::arange(query_len, qkv.options().dtype(torch::kInt64)).unsqueeze(1) +
                     (context - query_len);
    auto hidden = key_pos > query_pos;
    if (s.sliding_window > 0) hidden.logical_or_(key_pos <= query_pos - s.sliding_window);
    scores.masked_fill_(hidden, -std::numeric_limits<float>::infinity());
    auto attended = torch::matmul(torch::softmax(scores, -1), values);  // [H, qlen, D]
    out.narrow(0, start, query_len)
        .copy_(attended.transpose(0, 1).reshape({query_len, q_width}).to(qkv.scalar_type()));
  }
  return out;
}

}  // namespace

torch::Tensor paged_attention(const torch::Tensor& qkv, torch::Tensor& key_cache,
                              torch::Tensor& value_cache, const ForwardBatch& batch,
                              const BatchTensors& tensors, const AttentionShape& shape, bool fast) {
  if (fast) return paged_attention_cpu(qkv, key_cache, value_cache, batch, shape);
  return paged_attention_reference(qkv, key_cache, value_cache, batch, tensors, shape);
}

}  // namespace fastchat::model::layers
