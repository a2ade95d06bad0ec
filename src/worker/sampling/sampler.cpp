#include "worker/sampling/sampler.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "common/error/error.h"
#include "worker/sampling/inverse_cdf.h"

namespace fastchat::sampling {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

bool is_plain_greedy(const SamplingRow& row) {
  return row.params->is_greedy() && row.params->logprobs < 0 &&
         !LogitAdjuster::needs_adjustment(row);
}

torch::Tensor to_device(const std::vector<int64_t>& values, const torch::Device& device) {
  return torch::tensor(values, torch::kLong).to(device);
}

torch::Tensor column(const std::vector<float>& values, const torch::Device& device) {
  return torch::tensor(values, torch::kFloat32).view({-1, 1}).to(device);
}

// Masks tokens below each row's k-th largest logit (rows with k == 0 untouched). Ties with the
// k-th value are kept, so the kept set does not depend on how topk orders equal values.
void apply_top_k(torch::Tensor& x, const std::vector<int64_t>& k) {
  const int64_t k_max = *std::max_element(k.begin(), k.end());
  if (k_max == 0) return;
  const auto device = x.device();
  std::vector<int64_t> position(k.size());
  std::vector<float> active(k.size());
  for (size_t i = 0; i < k.size(); ++i) {
    position[i] = k[i] > 0 ? k[i] - 1 : 0;
    active[i] = k[i] > 0 ? 1.0f : 0.0f;
  }
  auto top = std::get<0>(torch::topk(x, k_max, /*dim=*/-1, /*largest=*/true, /*sorted=*/true));
  auto threshold = top.gather(1, to_device(position, device).view({-1, 1}));
  threshold = threshold.masked_fill(column(active, device) < 0.5f, kNegInf);
  x.masked_fill_(x < threshold, kNegInf);
}

// Candidates examined before falling back to a full sort: LLM nuclei are almost always far
// smaller, and a topk of this size is much cheaper than sorting a 150K vocab.
constexpr int64_t kTopPCandidates = 1024;

// Logit threshold of the nucleus given descending logits and their probabilities: the value of
// the last token of the smallest prefix whose mass reaches top_p (at least one token).
torch::Tensor nucleus_threshold(const torch::Tensor& sorted, const torch::Tensor& probs,
                                const torch::Tensor& top_p) {
  auto mass_before = torch::cumsum(probs, -1) - probs;
  auto kept = (mass_before < top_p).sum(-1, /*keepdim=*/true).clamp_min(1);
  return sorted.gather(1, kept - 1);
}

// Keeps the top_p nucleus of each listed row (ties with the threshold kept). Each row is first
// tried on its top kTopPCandidates; only rows whose nucleus is not inside them are fully sorted,
// so a row's result does not depend on which other rows share the batch.
void apply_top_p(torch::Tensor& x, const std::vector<int64_t>& rows, const std::vector<float>& p) {
  if (rows.empty()) return;
  const auto device = x.device();
  auto index = to_device(rows, device);
  auto sub = x.index_select(0, index);
  auto top_p = column(p, device);

  torch::Tensor threshold;
  if (sub.size(1) > kTopPCandidates) {
    auto top =
        std::get<0>(torch::topk(sub, kTopPCandidates, -1, /*largest=*/true, /*sorted=*/true));
    auto probs = torch::exp(top - torch::logsumexp(sub, -1, /*keepdim=*/true));
    threshold = nucleus_threshold(top, probs, top_p);
    // A float32 margin so rounding never truncates a nucleus that really is larger.
    auto outside = (probs.sum(-1) < top_p.squeeze(1) + 1e-4f).nonzero().squeeze(1);
    if (outside.numel() > 0) {
      auto wide = sub.index_select(0, outside);
      auto sorted = std::get<0>(torch::sort(wide, /*dim=*/-1, /*descending=*/true));
      threshold.index_copy_(
          0, outside,
          nucleus_threshold(sorted, torch::softmax(sorted, -1), top_p.index_select(0, outside)));
    }
  } else {
    auto sorted = std::get<0>(torch::sort(sub, /*dim=*/-1, /*descending=*/true));
    threshold = nucleus_threshold(sorted, torch::softmax(sorted, -1), top_p);
  }
  sub.masked_fill_(sub < threshold, kNegInf);
  x.index_copy_(0, index, sub);
}

// Drops tokens with prob < min_p * max prob, i.e. logit < max logit + log(min_p).
void apply_min_p(torch::Tensor& x, const std::vector<float>& log_min_p) {
  auto threshold = std::get<0>(x.max(-1, /*keepdim=*/true)) + column(log_min_p, x.device());
  x.masked_fill_(x < threshold, kNegInf);
}

}  // namespace

std::vector<SampledToken> Sampler::sample(const torch::Tensor& logits,
                                          std::span<const SamplingRow> rows) {
  if (logits.dim() != 2 || logits.size(0) != static_cast<int64_t>(rows.size())) {
    throw_error(ErrorCode::Internal, "sampler: logits must be [" + std::to_string(rows.size()) +
                                         ", vocab], got " + std::to_string(logits.dim()) + " dims");
  }
  std::vector<SampledToken> out(rows.size(),
                                SampledToken{-1, std::numeric_limits<float>::quiet_NaN(), {}});
  if (rows.empty()) return out;

  torch::NoGradGuard no_grad;
  if (std::all_of(rows.begin(), rows.end(), is_plain_greedy)) {
    auto tokens = logits.argmax(-1).to(torch::kCPU).contiguous();
    const auto* ptr = tokens.data_ptr<int64_t>();
    for (size_t r = 0; r < rows.size(); ++r) out[r].token = static_cast<int32_t>(ptr[r]);
    return out;
  }

  // A private float32 copy: penalties edit it in place and the caller's logits stay intact.
  auto x = logits.to(logits.device(), torch::kFloat32, /*non_blocking=*/false, /*copy=*/true)
               .contiguous();
  adjuster_.apply(x, rows);

  std::vector<int64_t> greedy;
  std::vector<int64_t> sampled;
  for (size_t r = 0; r < rows.size(); ++r) {
    (rows[r].params->is_greedy() ? greedy : sampled).push_back(static_cast<int64_t>(r));
  }
  if (!greedy.empty()) {
    auto tokens = x.index_select(0, to_device(greedy, x.device())).argmax(-1).to(torch::kCPU);
    const auto* ptr = tokens.data_ptr<int64_t>();
    for (size_t i = 0; i < greedy.size(); ++i) out[greedy[i]].token = static_cast<int32_t>(ptr[i]);
  }
  if (!sampled.empty()) {
    auto tokens = sample_rows(x, rows, sampled);
    for (size_t i = 0; i < sampled.size(); ++i) out[sampled[i]].token = tokens[i];
  }
  fill_logprobs(x, rows, out);
  return out;
}

std::vector<int32_t> Sampler::sample_rows(const torch::Tensor& logits,
                                          std::span<const SamplingRow> rows,
                                          const std::vector<int64_t>& indices) {
  const auto device = logits.device();
  const int64_t vocab = logits.size(1);
  const auto m = static_cast<int64_t>(indices.size());

  std::vector<float> temperature(m);
  std::vector<int64_t> top_k(m);
  std::vector<int64_t> top_p_rows;
  std::vector<float> top_p;
  std::vector<float> log_min_p(m);
  bool any_min_p = false;
  for (int64_t i = 0; i < m; ++i) {
    const SamplingRow& row = rows[indices[i]];
    if (row.rng == nullptr) {
      throw_error(ErrorCode::Internal, "sampler: a sampled row has no RequestRng");
    }
    const protocol::SamplingParams& p = *row.params;
    temperature[i] = p.temperature;
    top_k[i] = (p.top_k > 0 && p.top_k < vocab) ? p.top_k : 0;
    if (p.top_p < 1.0f) {
      top_p_rows.push_back(i);
      top_p.push_back(p.top_p);
    }
    log_min_p[i] = p.min_p > 0.0f ? std::log(p.min_p) : kNegInf;
    any_min_p = any_min_p || p.min_p > 0.0f;
  }

  auto x = logits.index_select(0, to_device(indices, device)) / column(temperature, device);
  apply_top_k(x, top_k);
  apply_top_p(x, top_p_rows, top_p);
  if (any_min_p) apply_min_p(x, log_min_p);

  // Two-level inverse CDF: per-block sums to the host, pick a block there, then fetch only that
  // block of each row. Padding with zeros keeps block boundaries fixed at multiples of kCdfBlock.
  auto probs = torch::softmax(x.to(torch::kFloat64), -1);
  const int64_t blocks = (vocab + kCdfBlock - 1) / kCdfBlock;
  probs = torch::constant_pad_nd(probs, {0, blocks * kCdfBlock - vocab}, 0)
              .view({m, blocks, kCdfBlock});
  auto sums = probs.sum(-1).to(torch::kCPU).contiguous();
  const auto* sums_ptr = sums.data_ptr<double>();

  std::vector<int64_t> block(m);
  std::vector<double> target(m);
  for (int64_t i = 0; i < m; ++i) {
    std::span<const double> row_sums(sums_ptr + i * blocks, static_cast<size_t>(blocks));
    double total = 0.0;
    for (double s : row_sums) total += s > 0.0 ? s : 0.0;
    target[i] = rows[indices[i]].rng->next_uniform() * total;
    block[i] = std::max<int64_t>(pick_block(row_sums, target[i]), 0);
  }
  auto chosen = probs.gather(1, to_device(block, device).view({m, 1, 1}).expand({m, 1, kCdfBlock}))
                    .squeeze(1)
                    .to(torch::kCPU)
                    .contiguous();
  const auto* chosen_ptr = chosen.data_ptr<double>();

  std::vector<int32_t> tokens(m);
  for (int64_t i = 0; i < m; ++i) {
    std::span<const double> row_probs(chosen_ptr + i * kCdfBlock, static_cast<size_t>(kCdfBlock));
    const int64_t j = pick_in_block(row_probs, target[i]);
    // j < 0 only when every token was masked (all suppressed): fall back to the adjusted argmax.
    tokens[i] = j >= 0 ? static_cast<int32_t>(block[i] * kCdfBlock + j)
                       : static_cast<int32_t>(logits[indices[i]].argmax().item<int64_t>());
  }
  return tokens;
}

void Sampler::fill_logprobs(const torch::Tensor& logits, std::span<const SamplingRow> rows,
                            std::vector<SampledToken>& out) {
  std::vector<int64_t> wanted;
  std::vector<int64_t> chosen;
  int64_t top_n = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].params->logprobs < 0) continue;
    wanted.push_back(static_cast<int64_t>(r));
    chosen.push_back(out[r].token);
    top_n = std::max<int64_t>(top_n, rows[r].params->logprobs);
  }
  if (wanted.empty()) return;
  const auto device = logits.device();
  top_n = std::min(top_n, logits.size(1));

  auto logprobs = torch::log_softmax(logits.index_select(0, to_device(wanted, device)), -1);
  auto chosen_lp =
      logprobs.gather(1, to_device(chosen, device).view({-1, 1})).to(torch::kCPU).contiguous();
  const auto* chosen_ptr = chosen_lp.data_ptr<float>();
  torch::Tensor top_values;
  torch::Tensor top_indices;
  if (top_n > 0) {
    auto [values, indices] = torch::topk(logprobs, top_n, -1, true, true);
    top_values = values.to(torch::kCPU).contiguous();
    top_indices = indices.to(torch::kCPU).contiguous();
  }
  for (size_t i = 0; i < wanted.size(); ++i) {
    SampledToken& token = out[wanted[i]];
    token.logprob = chosen_ptr[i];
    const int64_t n = std::min<int64_t>(rows[wanted[i]].params->logprobs, top_n);
    token.top_logprobs.reserve(n);
    for (int64_t j = 0; j < n; ++j) {
      token.top_logprobs.push_back(
          TopLogprob{static_cast<int32_t>(top_indices.data_ptr<int64_t>()[i * top_n + j]),
                     top_values.data_ptr<float>()[i * top_n + j]});
    }
  }
}

}  // namespace fastchat::sampling
