// Blocks that leave a sliding window go back to the pool: which ones, when, and that freeing the
// sequence afterwards releases each block exactly once, with the prefix cache on and off.

#include <gtest/gtest.h>

#include <numeric>

#include "worker/kv_cache/kv_cache_manager.h"

namespace fastchat::kv_cache {
namespace {

TEST(KvCacheSlidingWindow, BlocksWhollyBeforeTheNextWindowAreGivenBack) {
  // Window 6, blocks of 4: the token at position p reads keys p - 5 .. p.
  KvCacheManager manager(/*num_blocks=*/8, /*block_size=*/4, false, 0, /*sliding_window=*/6);
  ASSERT_TRUE(manager.allocate(1, 12));  // 3 blocks
  manager.release_outside_window(1, 9);  // next query 9 reads keys 4..9: block 0 is behind it
  EXPECT_EQ(manager.block_table(1)[0], kReleasedBlock);
  EXPECT_NE(manager.block_table(1)[1], kReleasedBlock);
  EXPECT_EQ(manager.num_free_blocks(), 6);
  manager.release_outside_window(1, 9);  // nothing more to give back, nothing given twice
  EXPECT_EQ(manager.num_free_blocks(), 6);
  manager.release_outside_window(1, 8);  // next query 8 reads keys 3..8: block 0 only
  EXPECT_EQ(manager.num_free_blocks(), 6);
  ASSERT_TRUE(manager.allocate(1, 16));
  manager.release_outside_window(1, 14);  // keys 9..14: blocks 0 and 1 are behind
  EXPECT_EQ(manager.block_table(1)[1], kReleasedBlock);
  EXPECT_EQ(manager.num_free_blocks(), 6);  // took one, gave one back
  manager.free(1);
  EXPECT_EQ(manager.num_free_blocks(), 8);
}

TEST(KvCacheSlidingWindow, NothingIsGivenBackWithoutAWindowOrBeforeItFills) {
  KvCacheManager no_window(8, 4);
  ASSERT_TRUE(no_window.allocate(1, 32));
  no_window.release_outside_window(1, 31);
  EXPECT_EQ(no_window.num_free_blocks(), 0);

  KvCacheManager manager(8, 4, false, 0, 16);
  ASSERT_TRUE(manager.allocate(1, 16));
  manager.release_outside_window(1, 15);  // keys 0..15 are all still read
  EXPECT_EQ(manager.num_free_blocks(), 4);
  manager.release_outside_window(2, 15);  // unknown sequence: ignored
}

TEST(KvCacheSlidingWindow, CachedBlocksThatLeaveTheWindowStayFindable) {
  KvCacheManager manager(8, 4, /*enable_prefix_caching=*/true, 7, /*sliding_window=*/4);
  std::vector<int32_t> tokens(13);
  std::iota(tokens.begin(), tokens.end(), 100);
  ASSERT_TRUE(manager.allocate(1, 13));
  manager.cache_full_blocks(1, tokens, 13);
  manager.release_outside_window(1, 13);  // keys 10..13: blocks 0 and 1 are behind
  EXPECT_EQ(manager.num_cached_free_blocks(), 2);
  // Another sequence with the same start finds all three full blocks.
  const auto match = manager.match_prefix(tokens);
  EXPECT_EQ(match.num_tokens, 12);
  ASSERT_TRUE(manager.allocate(2, 13, match));
  manager.free(1);
  manager.free(2);
  EXPECT_EQ(manager.num_free_blocks(), 8);
}

}  // namespace
}  // namespace fastchat::kv_cache
