#pragma once
// Host-side description of one ragged forward step: several sequences, each contributing a
// chunk of new tokens (a whole or partial prompt in prefill, one token in decode) at its own
// position, reading and writing its own KV blocks. Plain data built by the runner; the model
// turns it into device tensors as its kernels need.

#include <cstdint>
#include <vector>

namespace fastchat::model {

struct ForwardBatch {
  /// New tokens of all sequences, concatenated in sequence order. [T]
  std::vector<int32_t> token_ids;
  /// Absolute position of each new token. [T]
  std::vector<int32_t> positions;
  /// Cache slot (block_id * block_size + offset) that receives each new token's K/V. [T]
  std::vector<int64_t> slots;
  /// Row offsets of each sequence's chunk in token_ids. [S + 1]
  std::vector<int32_t> query_starts;
  /// Tokens in each sequence's cache once this step's tokens are written. [S]
  std::vector<int32_t> context_lens;
  /// Block tables, row-major [S, max_blocks_per_sequence], padded with 0.
  std::vector<int32_t> block_tables;
  int32_t max_blocks_per_sequence = 0;
  /// Rows of token_ids whose logits are returned, in order (last token of sampling sequences).
  std::vector<int32_t> logits_rows;
  /// Sequences (indices into query_starts) whose chunk's final hidden states are pooled
  /// (embedding requests), in order.
  std::vector<int32_t> pooled_sequences;

  int32_t num_tokens() const { return static_cast<int32_t>(token_ids.size()); }
  int32_t num_sequences() const { return static_cast<int32_t>(context_lens.size()); }
};

}  // namespace fastchat::model
