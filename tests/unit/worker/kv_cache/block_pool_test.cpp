#include "worker/kv_cache/block_pool.h"

#include <gtest/gtest.h>

#include <set>

#include "worker/kv_cache/kv_cache_manager.h"

namespace fastchat::kv_cache {
namespace {

TEST(BlockPool, AllocatesDistinctBlocksAndRefusesPartialRequests) {
  BlockPool pool(4);
  auto a = pool.allocate(3);
  ASSERT_TRUE(a);
  EXPECT_EQ(std::set<BlockId>(a->begin(), a->end()).size(), 3u);
  EXPECT_EQ(pool.num_free(), 1);
  EXPECT_FALSE(pool.allocate(2));
  EXPECT_EQ(pool.num_free(), 1);  // a refused request takes nothing
  pool.release(*a);
  EXPECT_EQ(pool.num_free(), 4);
}

TEST(BlockPool, DoubleFreeIsRejected) {
  BlockPool pool(2);
  auto a = pool.allocate(1);
  pool.release(*a);
  EXPECT_THROW(pool.release(*a), std::logic_error);
  const std::vector<BlockId> unknown{7};
  EXPECT_THROW(pool.release(unknown), std::logic_error);
}

TEST(KvCacheManager, GrowsTablesBlockByBlock) {
  KvCacheManager manager(8, 4);
  EXPECT_EQ(manager.blocks_for_tokens(0), 0);
  EXPECT_EQ(manager.blocks_for_tokens(4), 1);
  EXPECT_EQ(manager.blocks_for_tokens(5), 2);
  ASSERT_TRUE(manager.allocate(1, 5));
  EXPECT_EQ(manager.block_table(1).size(), 2u);
  auto first = manager.block_table(1);
  ASSERT_TRUE(manager.allocate(1, 9));
  ASSERT_EQ(manager.block_table(1).size(), 3u);
  // Append-only: earlier blocks keep their ids.
  EXPECT_EQ(manager.block_table(1)[0], first[0]);
  EXPECT_EQ(manager.block_table(1)[1], first[1]);
  EXPECT_EQ(manager.num_free_blocks(), 5);
}

TEST(KvCacheManager, FailedAllocationChangesNothing) {
  KvCacheManager manager(3, 2);
  ASSERT_TRUE(manager.allocate(1, 4));
  EXPECT_FALSE(manager.allocate(2, 3));
  EXPECT_FALSE(manager.contains(2));
  EXPECT_EQ(manager.num_free_blocks(), 1);
  manager.free(1);
  manager.free(1);  // second free of a finished sequence is harmless
  EXPECT_EQ(manager.num_free_blocks(), 3);
  EXPECT_DOUBLE_EQ(manager.usage(), 0.0);
}

}  // namespace
}  // namespace fastchat::kv_cache
