#pragma once

#include <cstdint>

#include "worker/scheduler/scheduler_config.h"

namespace fastchat::engine {

struct EngineConfig {
  /// Tokens per KV block.
  int32_t block_size = 16;
  /// KV cache budget in bytes; 0 = automatic (a fraction of free memory on CUDA, on CPU
  /// enough for max_num_seqs full contexts capped at 2 GiB).
  int64_t kv_cache_memory = 0;
  /// Share of free device memory the KV cache may take when sized automatically on CUDA.
  double device_memory_fraction = 0.85;
  /// Intra-op threads for torch on CPU; 0 = one per core.
  int32_t num_threads = 0;
  /// Requests waiting to start beyond which submit() refuses with Overloaded at once (0: no
  /// limit). Overload is answered before any work is done instead of piling up.
  int32_t max_queue_len = 1024;
  /// Seconds a request may wait to start before it fails with Timeout (0: no limit).
  double max_queue_time_s = 0.0;
  /// Keep full KV blocks after their sequence ends and reuse them for later requests with
  /// the same prefix (--no-prefix-cache turns it off).
  bool enable_prefix_caching = true;
  scheduler::SchedulerConfig scheduler;
};

}  // namespace fastchat::engine
