#pragma once
// Shorthands of the jinja unit tests: render a template source with a JSON context, or capture
// the ErrorException a parse or render throws.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "text/jinja/template.h"

namespace fastchat::jinja::testing {

inline std::string render(std::string_view source, const nlohmann::ordered_json& context = {},
                          const RenderLimits& limits = {}) {
  return Template::parse(source, limits).render(context);
}

/// The error of parsing and rendering `source`; a test failure (and an Internal error) when
/// there is none.
inline Error render_error(std::string_view source, const nlohmann::ordered_json& context = {},
                          const RenderLimits& limits = {}) {
  try {
    const std::string out = render(source, context, limits);
    ADD_FAILURE() << "expected an error, rendered: " << out;
  } catch (const ErrorException& e) {
    return e.error();
  }
  return Error{};
}

}  // namespace fastchat::jinja::testing
