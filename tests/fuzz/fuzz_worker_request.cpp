// The worker's two request protocols: FastChat's (/worker_generate_stream) and the native one
// (/native/generate). Any JSON body must be accepted or refused with ErrorException; an accepted
// request, re-serialized with to_native_json, must parse again to the same settings.

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "protocol/generate_request.h"

using namespace fastchat;

namespace {

void check_round_trip(const protocol::GenerateRequest& request, const char* protocol_name) {
  const nlohmann::json native = protocol::to_native_json(request);
  protocol::GenerateRequest again;
  try {
    again = protocol::parse_native_request(native);
  } catch (const std::exception& e) {
    fuzz::fail(
        std::string(protocol_name) + " request does not survive to_native_json: " + e.what() +
        "\nnative: " + native.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  // The native JSON of the re-parsed request must be the same JSON (a fixed point).
  const nlohmann::json native_again = protocol::to_native_json(again);
  fuzz::check(native == native_again,
              std::string(protocol_name) + " request changes through to_native_json: " +
                  native.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + " vs " +
                  native_again.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto body = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;  // the HTTP layer refuses non-JSON before these parsers
  fuzz::expect_ok_or_error("parse_fastchat_request", [&] {
    auto request = protocol::parse_fastchat_request(body);
    fuzz::check(request.prompt.has_value() != request.messages.has_value(),
                "fastchat request without exactly one of prompt and messages");
    check_round_trip(request, "FastChat");
  });
  fuzz::expect_ok_or_error("parse_native_request", [&] {
    auto request = protocol::parse_native_request(body);
    fuzz::check(request.prompt.has_value() != request.messages.has_value(),
                "native request without exactly one of prompt and messages");
    check_round_trip(request, "native");
  });
  return 0;
}
