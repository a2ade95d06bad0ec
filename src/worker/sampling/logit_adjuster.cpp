#include "worker/sampling/logit_adjuster.h"

#include <torch/torch.h>

#include <limits>

#include "worker/sampling/sampler.h"

namespace fastchat::sampling {
namespace {

constexpr uint8_t kTouched = 1;
constexpr uint8_t kRepeated = 2;  // seen in prompt or output: repetition penalty applies
constexpr uint8_t kSuppressed = 4;

}  // namespace

bool LogitAdjuster::needs_adjustment(const SamplingRow& row) {
  const protocol::SamplingParams& p = *row.params;
  const bool has_history = !row.prompt_tokens.empty() || !row.output_tokens.empty();
  return (p.repetition_penalty != 1.0f && has_history) ||
         ((p.presence_penalty != 0.0f || p.frequency_penalty != 0.0f) &&
          !row.output_tokens.empty()) ||
         !p.logit_bias.empty() || !row.suppressed_tokens.empty();
}

void LogitAdjuster::touch(int32_t token) {
  if (!(flags_[token] & kTouched)) {
    flags_[token] = kTouched;
    touched_.push_back(token);
  }
}

void LogitAdjuster::collect_row(int64_t row_index, const SamplingRow& row, int64_t vocab) {
  const protocol::SamplingParams& p = *row.params;
  auto in_vocab = [vocab](int32_t t) { return t >= 0 && t < vocab; };

  if (p.repetition_penalty != 1.0f) {
    for (auto tokens : {row.prompt_tokens, row.output_tokens}) {
      for (int32_t t : tokens) {
        if (!in_vocab(t)) continue;
        touch(t);
        flags_[t] |= kRepeated;
      }
    }
  }
  if (p.presence_penalty != 0.0f || p.frequency_penalty != 0.0f) {
    for (int32_t t : row.output_tokens) {
      if (!in_vocab(t)) continue;
      touch(t);
      ++counts_[t];
    }
  }
  for (const auto& [t, bias] : p.logit_bias) {
    if (!in_vocab(t)) continue;
    touch(t);
    delta_[t] += bias;
  }
  for (int32_t t : row.suppressed_tokens) {
    if (!in_vocab(t)) continue;
    touch(t);
    flags_[t] |= kSuppressed;
  }

  for (int32_t t : touched_) {
    float delta = delta_[t];
    if (counts_[t] > 0) {
      delta -= p.presence_penalty + p.frequency_penalty * static_cast<float>(counts_[t]);
    }
    edits_.push_back(Edit{row_index * vocab + t,
                          (flags_[t] & kRepeated) ? p.repetition_penalty : 1.0f, delta,
                          (flags_[t] & kSuppressed) != 0});
    counts_[t] = 0;
    flags_[t] = 0;
    delta_[t] = 0.0f;
  }
  touched_.clear();
}

void LogitAdjuster::apply(torch::Tensor& logits, std::span<const SamplingRow> rows) {
  const int64_t vocab = logits.size(1);
  if (static_cast<int64_t>(counts_.size()) != vocab) {
    counts_.assign(vocab, 0);
    flags_.assign(vocab, 0);
    delta_.assign(vocab, 0.0f);
  }
  edits_.clear();
  for (size_t r = 0; r < rows.size(); ++r) {
    if (needs_adjustment(rows[r])) collect_row(static_cast<int64_t>(r), rows[r], vocab);
  }
  if (edits_.empty()) return;

  const auto n = static_cast<int64_t>(edits_.size());
  auto index = torch::empty({n}, torch::kLong);
  auto values = torch::empty({3, n}, torch::kFloat32);  // divisor, delta, suppress (0/1)
  auto* index_ptr = index.data_ptr<int64_t>();
  auto* values_ptr = values.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i) {
    index_ptr[i] = edits_[i].flat_index;
    values_ptr[i] = edits_[i].divisor;
    values_ptr[n + i] = edits_[i].delta;
    values_ptr[2 * n + i] = edits_[i].suppress ? 1.0f : 0.0f;
  }
  index = index.to(logits.device());
  values = values.to(logits.device());

  // Indices are unique per call, so gather/edit/scatter is deterministic (no atomic adds).
  auto flat = logits.view({-1});
  auto picked = flat.index_select(0, index);
  auto divisor = values[0];
  picked = torch::where(picked > 0, picked / divisor, picked * divisor) + values[1];
  picked = picked.masked_fill(values[2] > 0.5, -std::numeric_limits<float>::infinity());
  flat.index_copy_(0, index, picked);
}

}  // namespace fastchat::sampling
