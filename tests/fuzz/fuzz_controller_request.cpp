// The controller's request bodies (FastChat's controller protocol): register_worker,
// receive_heart_beat, get_worker_address and a worker's status answer. Any bytes must be accepted
// or refused with ErrorException.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "controller/worker_protocol.h"
#include "fuzz_check.h"

using namespace fastchat;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json body;
  if (!fuzz::expect_ok_or_error("parse_json_object",
                                [&] { body = controller::parse_json_object(text); })) {
    return 0;
  }
  fuzz::expect_ok_or_error("parse_register_request", [&] {
    auto request = controller::parse_register_request(body);
    // The canonical name must parse back to the same URL.
    nlohmann::json again = {{"worker_name", request.worker_name}};
    auto url = controller::parse_worker_url(again);
    fuzz::check(url.to_string() == request.worker_name,
                "worker_name is not canonical: " + request.worker_name + " vs " + url.to_string());
    if (request.status) (void)controller::to_json(*request.status).dump();
  });
  fuzz::expect_ok_or_error("parse_heartbeat_request",
                           [&] { (void)controller::parse_heartbeat_request(body); });
  fuzz::expect_ok_or_error("parse_address_request",
                           [&] { (void)controller::parse_address_request(body); });
  fuzz::expect_ok_or_error("parse_worker_status", [&] {
    auto status = controller::parse_worker_status(body, "", ErrorCode::UpstreamFailed);
    // What the controller answers must be valid JSON text that parses to the same status.
    auto json = controller::to_json(status);
    auto reparsed = controller::parse_worker_status(nlohmann::json::parse(json.dump()), "");
    fuzz::check(controller::to_json(reparsed) == json, "worker status changes through to_json");
  });
  return 0;
}
