// Prefix caching in the block pool and the KV cache manager: which blocks are found, shared,
// kept after release and evicted, and that a lookup never returns a block holding other tokens.

#include <gtest/gtest.h>

#include <numeric>

#include "worker/kv_cache/block_pool.h"
#include "worker/kv_cache/kv_cache_manager.h"

namespace fastchat::kv_cache {
namespace {

std::vector<int32_t> iota_tokens(int32_t n, int32_t first = 100) {
  std::vector<int32_t> tokens(n);
  std::iota(tokens.begin(), tokens.end(), first);
  return tokens;
}

TEST(BlockPool, ReleasedCachedBlocksStayFindableUntilEvicted) {
  BlockPool pool(3);
  auto blocks = pool.allocate(2);
  ASSERT_TRUE(blocks);
  const BlockKey key = make_block_key(0, std::vector<int32_t>{1, 2});
  pool.cache((*blocks)[0], key);
  pool.release(*blocks);
  EXPECT_EQ(pool.num_free(), 3);
  EXPECT_EQ(pool.num_cached_free(), 1);
  EXPECT_EQ(pool.find_cached(key), (*blocks)[0]);

  // Two never-cached blocks are handed out before the cached one is evicted.
  auto two = pool.allocate(2);
  ASSERT_TRUE(two);
  EXPECT_EQ(pool.find_cached(key), (*blocks)[0]);
  auto last = pool.allocate(1);
  ASSERT_TRUE(last);
  EXPECT_EQ((*last)[0], (*blocks)[0]);
  EXPECT_FALSE(pool.find_cached(key));
}

TEST(BlockPool, AcquiringAFreeCachedBlockTakesItOffTheFreeList) {
  BlockPool pool(2);
  auto blocks = pool.allocate(1);
  const BlockKey key = make_block_key(0, std::vector<int32_t>{5});
  pool.cache((*blocks)[0], key);
  pool.release(*blocks);
  pool.acquire((*blocks)[0]);
  EXPECT_EQ(pool.num_free(), 1);
  EXPECT_EQ(pool.ref_count((*blocks)[0]), 1);
  EXPECT_FALSE(pool.allocate(2));
  pool.release(*blocks);
  EXPECT_EQ(pool.num_free(), 2);
}

TEST(BlockPool, HashCollisionIsAMiss) {
  BlockPool pool(2);
  auto blocks = pool.allocate(1);
  BlockKey key = make_block_key(0, std::vector<int32_t>{1, 2});
  pool.cache((*blocks)[0], key);
  BlockKey impostor = key;
  impostor.tokens = {1, 3};  // same hash, other tokens
  EXPECT_FALSE(pool.find_cached(impostor));
  EXPECT_EQ(pool.find_cached(key), (*blocks)[0]);
}

TEST(BlockHash, ChainsOverEveryEarlierBlock) {
  const std::vector<int32_t> block{7, 8};
  EXPECT_NE(make_block_key(1, block).hash, make_block_key(2, block).hash);
  EXPECT_EQ(make_block_key(1, block), make_block_key(1, block));
  EXPECT_NE(make_block_key(1, block).hash, make_block_key(1, std::vector<int32_t>{8, 7}).hash);
}

class PrefixCacheManager : public ::testing::Test {
 protected:
  static constexpr int32_t kBlock = 4;
  KvCacheManager manager{8, kBlock, /*enable_prefix_caching=*/true, /*model_seed=*/42};

  // Runs a sequence through a full prefill, as the scheduler does.
  void compute(SequenceId id, const std::vector<int32_t>& tokens) {
    auto prefix = manager.match_prefix(tokens);
    ASSERT_TRUE(manager.allocate(id, static_cast<int64_t>(tokens.size()), prefix));
    manager.cache_full_blocks(id, tokens, static_cast<int32_t>(tokens.size()));
  }
};

TEST_F(PrefixCacheManager, LaterSequenceSharesTheFullBlocksOfAnEarlierOne) {
  const auto tokens = iota_tokens(10);  // two full blocks and a partial one
  compute(1, tokens);
  auto longer = tokens;
  longer.push_back(999);
  const auto match = manager.match_prefix(longer);
  EXPECT_EQ(match.num_tokens, 8);
  ASSERT_EQ(match.blocks.size(), 2u);
  EXPECT_EQ(match.blocks[0], manager.block_table(1)[0]);
  EXPECT_EQ(match.blocks[1], manager.block_table(1)[1]);

  const int32_t free_before = manager.num_free_blocks();
  ASSERT_TRUE(manager.allocate(2, 11, match));
  EXPECT_EQ(manager.num_free_blocks(), free_before - 1);  // only the third block is new
  EXPECT_NE(manager.block_table(2)[2], manager.block_table(1)[2]);
  const auto stats = manager.prefix_cache_stats();
  EXPECT_EQ(stats.queried_tokens, 10 + 11);
  EXPECT_EQ(stats.hit_tokens, 8);
}

TEST_F(PrefixCacheManager, TheLastTokenIsAlwaysLeftToCompute) {
  const auto tokens = iota_tokens(8);
  compute(1, tokens);
  EXPECT_EQ(manager.match_prefix(tokens).num_tokens, 4);
}

TEST_F(PrefixCacheManager, ADifferentEarlierBlockBreaksTheMatch) {
  compute(1, iota_tokens(9));
  auto other = iota_tokens(9);
  other[0] = 5;  // same second block, different first: keys and values differ
  EXPECT_EQ(manager.match_prefix(other).num_tokens, 0);
}

TEST_F(PrefixCacheManager, BlocksOutliveTheirSequenceAndFreeingEverythingLeaksNothing) {
  const auto tokens = iota_tokens(9);
  compute(1, tokens);
  manager.free(1);
  EXPECT_EQ(manager.num_free_blocks(), 8);
  EXPECT_EQ(manager.num_cached_free_blocks(), 2);
  EXPECT_EQ(manager.match_prefix(tokens).num_tokens, 8);

  // Filling the whole pool evicts the cached blocks too.
  ASSERT_TRUE(manager.allocate(2, 8 * kBlock));
  EXPECT_EQ(manager.num_free_blocks(), 0);
  EXPECT_EQ(manager.match_prefix(tokens).num_tokens, 0);
  manager.free(2);
  EXPECT_EQ(manager.num_free_blocks(), 8);
  EXPECT_DOUBLE_EQ(manager.usage(), 0.0);
}

TEST_F(PrefixCacheManager, AllocationCountsFreeCachedPrefixBlocksAsTaken) {
  compute(1, iota_tokens(9));
  manager.free(1);
  const auto tokens = iota_tokens(9);
  const auto match = manager.match_prefix(tokens);
  ASSERT_EQ(match.blocks.size(), 2u);
  // 8 free blocks, 2 of them the prefix: 6 more blocks fit, 7 do not.
  EXPECT_FALSE(manager.allocate(2, (2 + 7) * kBlock, match));
  EXPECT_FALSE(manager.contains(2));
  EXPECT_EQ(manager.num_free_blocks(), 8);
  EXPECT_TRUE(manager.allocate(2, (2 + 6) * kBlock, match));
  EXPECT_EQ(manager.num_free_blocks(), 0);
}

TEST(KvCacheManagerWithoutPrefixCache, NeverMatches) {
  KvCacheManager manager(8, 4);
  const auto tokens = iota_tokens(9);
  ASSERT_TRUE(manager.allocate(1, 9, manager.match_prefix(tokens)));
  manager.cache_full_blocks(1, tokens, 9);
  manager.free(1);
  EXPECT_EQ(manager.match_prefix(tokens).num_tokens, 0);
  EXPECT_EQ(manager.num_cached_free_blocks(), 0);
  EXPECT_EQ(manager.prefix_cache_stats().queried_tokens, 0);
}

}  // namespace
}  // namespace fastchat::kv_cache
