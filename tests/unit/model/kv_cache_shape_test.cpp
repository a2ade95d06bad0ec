#include "model/kv_cache_shape.h"

#include <gtest/gtest.h>

namespace fastchat::model {
namespace {

TEST(KvCacheSizing, CountsKeysAndValuesOfEveryLayer) {
  KvCacheShape shape{5, 4, 8, 16, 4};
  EXPECT_EQ(bytes_per_block(shape), 2 * 5 * 16 * 4 * 8 * 4);
  EXPECT_EQ(blocks_for_budget(shape, bytes_per_block(shape) * 10 + 1), 10);
  EXPECT_EQ(blocks_for_budget(shape, 0), 0);
}

}  // namespace
}  // namespace fastchat::model
