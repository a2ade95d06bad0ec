#include "controller/dispatch/dispatch_policy.h"

#include <string>

#include "common/error/error.h"
#include "controller/dispatch/lottery_policy.h"
#include "controller/dispatch/shortest_queue_policy.h"

namespace fastchat::controller {

std::unique_ptr<DispatchPolicy> make_dispatch_policy(std::string_view method,
                                                     std::optional<uint64_t> seed) {
  if (method == "shortest_queue") return std::make_unique<ShortestQueuePolicy>();
  if (method == "lottery") {
    return seed ? std::make_unique<LotteryPolicy>(*seed) : std::make_unique<LotteryPolicy>();
  }
  throw_error(
      ErrorCode::InvalidConfig,
      "unknown dispatch method '" + std::string(method) + "' (expected shortest_queue or lottery)",
      "dispatch-method");
}

}  // namespace fastchat::controller
