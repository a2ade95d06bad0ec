#include "common/error/error.h"

#include <utility>

namespace fastchat {

ErrorException::ErrorException(Error error)
    : std::runtime_error(error.message), error_(std::move(error)) {}

void throw_error(ErrorCode code, std::string message, std::string param) {
  throw ErrorException(Error{code, std::move(message), std::move(param)});
}

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidRequest:
    case ErrorCode::ContextLengthExceeded:
      return 400;
    case ErrorCode::Unauthorized:
      return 401;
    case ErrorCode::Forbidden:
      return 403;
    case ErrorCode::NotFound:
      return 404;
    case ErrorCode::PayloadTooLarge:
      return 413;
    case ErrorCode::Overloaded:
      return 429;
    case ErrorCode::Unavailable:
      return 503;
    case ErrorCode::UpstreamFailed:
      return 502;
    case ErrorCode::UpstreamTimeout:
      return 504;
    case ErrorCode::InvalidModel:
    case ErrorCode::InvalidConfig:
    case ErrorCode::Internal:
      return 500;
  }
  return 500;
}

std::string_view error_type(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidRequest:
      return "invalid_request_error";
    case ErrorCode::ContextLengthExceeded:
      return "context_length_exceeded";
    case ErrorCode::Unauthorized:
      return "authentication_error";
    case ErrorCode::Forbidden:
      return "permission_error";
    case ErrorCode::NotFound:
      return "not_found_error";
    case ErrorCode::PayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::Overloaded:
      return "rate_limit_exceeded";
    case ErrorCode::InvalidModel:
      return "invalid_model";
    case ErrorCode::InvalidConfig:
      return "invalid_config";
    case ErrorCode::Unavailable:
      return "service_unavailable";
    case ErrorCode::UpstreamFailed:
      return "upstream_error";
    case ErrorCode::UpstreamTimeout:
      return "upstream_timeout";
    case ErrorCode::Internal:
      return "internal_error";
  }
  return "internal_error";
}

ErrorCode error_code_from_type(std::string_view type) {
  for (auto code : {ErrorCode::InvalidRequest, ErrorCode::ContextLengthExceeded,
                    ErrorCode::Unauthorized, ErrorCode::Forbidden, ErrorCode::NotFound,
                    ErrorCode::PayloadTooLarge, ErrorCode::Overloaded, ErrorCode::InvalidModel,
                    ErrorCode::InvalidConfig, ErrorCode::Unavailable, ErrorCode::UpstreamFailed,
                    ErrorCode::UpstreamTimeout, ErrorCode::Internal}) {
    if (error_type(code) == type) return code;
  }
  return ErrorCode::UpstreamFailed;
}

}  // namespace fastchat
