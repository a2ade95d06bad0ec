#pragma once
// FastChat's worker stream format (generate_stream_gate in fastchat/serve/model_worker.py, served
// as /worker_generate_stream by fastchat/serve/base_model_worker.py; github.com/lm-sys/FastChat):
// every frame is a JSON object with the *cumulative* text, followed by one NUL byte; errors travel
// in-band with FastChat's numeric error codes (fastchat/constants.py) and HTTP 200. Kept
// byte-compatible so FastChat's own clients (test_message.py, the Gradio server, its OpenAI
// server) work against this worker.

#include <string>

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "protocol/generate_delta.h"

namespace fastchat::protocol {

/// FastChat's constants.py codes for our errors (40302 PARAM_OUT_OF_RANGE, 40303
/// CONTEXT_OVERFLOW, 42903 ENGINE_OVERLOADED, 50001 INTERNAL_ERROR, ...).
int fastchat_error_code(ErrorCode code);

/// Accumulates deltas into FastChat's frames.
class FastChatFrames {
 public:
  /// Adds a delta; returns the frame for the text so far.
  nlohmann::json add(const protocol::GenerateDelta& delta);
  /// The error frame: {"text": message, "error_code": N}.
  static nlohmann::json error(const Error& error);
  /// JSON + NUL, as FastChat writes it.
  static std::string encode(const nlohmann::json& frame);

 private:
  std::string text_;
  nlohmann::json logprobs_ = nullptr;
};

}  // namespace fastchat::protocol
