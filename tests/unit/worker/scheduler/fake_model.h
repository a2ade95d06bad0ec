#pragma once
// A fake model over a fake paged KV cache, for scheduler tests without tensors.
//
// Each computed token "writes" a key derived from (token, position) into the slot its
// sequence's block table gives it, and the next token of a sequence is a hash of every key
// read back through the block table. So the greedy output equals the pure reference output
// only when the block tables, the blocks' contents and num_computed are all right: a lost,
// overwritten or misplaced block, or a num_computed that skips tokens nobody wrote (after a
// preemption, or a wrong prefix-cache hit), changes the tokens that follow.

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "worker/kv_cache/kv_cache_manager.h"
#include "worker/scheduler/sequence.h"

namespace fastchat::scheduler::testing {

/// Small, so that prompts drawn from it share prefixes often (what prefix caching feeds on).
inline constexpr int32_t kFakeVocabSize = 50;

inline uint64_t mix64(uint64_t x) {  // splitmix64's finalizer: every input bit moves the output
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline std::vector<int32_t> random_tokens(std::mt19937& rng, int32_t count) {
  std::vector<int32_t> tokens(count);
  for (auto& token : tokens) token = static_cast<int32_t>(rng() % kFakeVocabSize);
  return tokens;
}

/// The "key" a token leaves in the cache; never 0, which marks a slot nobody wrote.
inline uint64_t fake_key(int32_t token, int32_t position) {
  const uint64_t key = mix64((static_cast<uint64_t>(static_cast<uint32_t>(position)) << 32) |
                             static_cast<uint32_t>(token));
  return key == 0 ? 1 : key;
}

/// The token that follows a context whose keys are `keys` in position order.
inline int32_t next_token_from_keys(std::span<const uint64_t> keys) {
  uint64_t h = 0;
  for (uint64_t key : keys) h = mix64(h ^ key);
  return static_cast<int32_t>(h % kFakeVocabSize);
}

/// What an uninterrupted greedy run produces from `prompt`, computed without any cache.
inline std::vector<int32_t> reference_output(const std::vector<int32_t>& prompt,
                                             int32_t num_output_tokens) {
  std::vector<int32_t> tokens = prompt;
  std::vector<uint64_t> keys;
  for (int32_t p = 0; p < static_cast<int32_t>(prompt.size()); ++p) {
    keys.push_back(fake_key(prompt[p], p));
  }
  std::vector<int32_t> output;
  for (int32_t i = 0; i < num_output_tokens; ++i) {
    const int32_t token = next_token_from_keys(keys);
    output.push_back(token);
    keys.push_back(fake_key(token, static_cast<int32_t>(tokens.size())));
    tokens.push_back(token);
  }
  return output;
}

/// One key slot per (block, offset), like the device tensors of KvCacheStorage. Freed blocks
/// keep their contents, as device memory does: that is what a prefix cache reuses.
class FakeKvStore {
 public:
  explicit FakeKvStore(const kv_cache::KvCacheManager& manager)
      : manager_(manager),
        slots_(static_cast<size_t>(manager.num_blocks()) * manager.block_size(), 0) {}

  /// Slot of `position` in `sequence`'s block table; -1 (and a test failure) when the table
  /// does not reach that far.
  int64_t slot(uint64_t sequence, int32_t position) const {
    const auto& table = manager_.block_table(sequence);
    const int32_t index = position / manager_.block_size();
    if (index >= static_cast<int32_t>(table.size())) {
      ADD_FAILURE() << "sequence " << sequence << ": position " << position
                    << " is past its block table of " << table.size() << " blocks";
      return -1;
    }
    return static_cast<int64_t>(table[index]) * manager_.block_size() +
           position % manager_.block_size();
  }

  void write(uint64_t sequence, int32_t position, uint64_t key) {
    const int64_t s = slot(sequence, position);
    if (s >= 0) slots_[s] = key;
  }
  uint64_t read(uint64_t sequence, int32_t position) const {
    const int64_t s = slot(sequence, position);
    return s >= 0 ? slots_[s] : 0;
  }

 private:
  const kv_cache::KvCacheManager& manager_;
  std::vector<uint64_t> slots_;
};

/// The fake forward pass. Counts every key it reads that differs from what the sequence's
/// own tokens would have written, and describes the first, so that a test can name the
/// corruption precisely rather than only see an output diverge many tokens later.
class FakeModel {
 public:
  explicit FakeModel(FakeKvStore& store) : store_(store) {}

  /// Writes the keys of tokens [start, start + num_tokens) of `sequence`.
  void write_chunk(const Sequence& sequence, int32_t start, int32_t num_tokens) {
    for (int32_t p = start; p < start + num_tokens; ++p) {
      store_.write(sequence.id, p, fake_key(sequence.tokens[p], p));
    }
  }

  /// Reads back the keys of positions [0, context_length), as attention would.
  std::vector<uint64_t> read_context(const Sequence& sequence, int32_t context_length) {
    std::vector<uint64_t> keys;
    keys.reserve(context_length);
    for (int32_t p = 0; p < context_length; ++p) {
      const uint64_t key = store_.read(sequence.id, p);
      if (key != fake_key(sequence.tokens[p], p) && num_bad_reads_++ == 0) {
        first_bad_read_ = "sequence " + std::to_string(sequence.id) +
                          " read a wrong key at position " + std::to_string(p) +
                          (key == 0 ? " (slot never written)" : "") + " of " +
                          std::to_string(context_length);
      }
      keys.push_back(key);
    }
    return keys;
  }

  /// Greedy next token of a sequence whose first `context_length` tokens are in the cache.
  int32_t sample(const Sequence& sequence, int32_t context_length) {
    return next_token_from_keys(read_context(sequence, context_length));
  }

  int64_t num_bad_reads() const { return num_bad_reads_; }
  const std::string& first_bad_read() const { return first_bad_read_; }

 private:
  FakeKvStore& store_;
  int64_t num_bad_reads_ = 0;
  std::string first_bad_read_;
};

}  // namespace fastchat::scheduler::testing
