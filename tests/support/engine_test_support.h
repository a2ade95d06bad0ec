#pragma once
// What the engine tests share: greedy parameters that run exactly max_tokens steps, and a
// stream read to its end.

#include <cstdint>
#include <vector>

#include "protocol/sampling_params.h"
#include "worker/engine/request_stream.h"

namespace fastchat::engine::test_support {

/// Greedy, EOS ignored: the references run exactly max_tokens steps, whatever they generate.
inline protocol::SamplingParams greedy(int32_t max_tokens) {
  protocol::SamplingParams params;
  params.temperature = 0.0f;
  params.max_tokens = max_tokens;
  params.ignore_eos = true;
  return params;
}

/// Every token id of the stream, once it has finished.
inline std::vector<int32_t> drain_ids(RequestStream& stream) {
  std::vector<int32_t> ids;
  while (true) {
    auto update = stream.next();
    for (const auto& t : update.tokens) ids.push_back(t.token);
    if (update.finish) return ids;
  }
}

}  // namespace fastchat::engine::test_support
