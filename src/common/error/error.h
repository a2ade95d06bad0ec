#pragma once
// One error type for the whole platform: every layer reports failures as Error{code, message,
// param}, and http_status() is the only place that turns a code into an HTTP status.

#include <stdexcept>
#include <string>
#include <string_view>

namespace fastchat {

enum class ErrorCode {
  InvalidRequest,         ///< a request field breaks a rule (400)
  ContextLengthExceeded,  ///< prompt + max_tokens exceed the model's context (400)
  Unauthorized,           ///< missing or wrong API key / token (401)
  Forbidden,              ///< authenticated or not, this is not allowed (403)
  NotFound,               ///< unknown model, template or route (404)
  PayloadTooLarge,        ///< body over the limit (413)
  Overloaded,             ///< queue full (429)
  InvalidModel,           ///< a model folder or file is unusable (config, weights, tokenizer)
  InvalidConfig,          ///< a flag or config file value is unusable
  Unavailable,            ///< no worker / shutting down (503)
  UpstreamFailed,         ///< a worker failed (502)
  UpstreamTimeout,        ///< a worker did not answer in time (504)
  Internal,               ///< a bug: never expected (500)
};

/// A failure as reported to users: `param` names the offending field or file, when there is one.
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  std::string param;
};

/// Exception carrying an Error, for code paths where returning one would be noise
/// (loading, validation). Catch at the boundary (main, HTTP handler) and report `error()`.
class ErrorException : public std::runtime_error {
 public:
  explicit ErrorException(Error error);
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

[[noreturn]] void throw_error(ErrorCode code, std::string message, std::string param = {});

/// HTTP status for a code; the single mapping used by every server.
int http_status(ErrorCode code);

/// Stable snake_case name of a code ("invalid_request_error", ...), as sent in JSON bodies.
std::string_view error_type(ErrorCode code);

/// The code whose error_type() is `type`, for errors relayed from another process; an unknown
/// type becomes UpstreamFailed.
ErrorCode error_code_from_type(std::string_view type);

}  // namespace fastchat
