#pragma once
// Typed reads of request fields with one wording for every error, so that each endpoint parser
// states only its rules: a wrong type or value becomes InvalidRequest
// "'<field>' must be <rule>, got <what>" whose param is the field's name or JSON path.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fastchat {

/// Throws InvalidRequest "'<param>' <rest>" with `param`.
[[noreturn]] void reject_field(const std::string& param, const std::string& rest);

/// `object[name]`, or nullptr when absent or null: OpenAI clients send null for "not given".
const nlohmann::json* find_field(const nlohmann::json& object, std::string_view name);

/// A value as shown after "got": numbers, booleans and short strings as JSON; others by type.
std::string describe_value(const nlohmann::json& value);

bool read_bool(const nlohmann::json& value, const std::string& param);
const std::string& read_string(const nlohmann::json& value, const std::string& param);
/// Any JSON number. Booleans are not numbers (JSON says so; Python's bool-is-int does not apply).
double read_number(const nlohmann::json& value, const std::string& param);
/// An integer; a float is accepted when integral (2.0), since some clients write every number as
/// a float. Non-integral values and integers outside int64 are rejected.
int64_t read_integer(const nlohmann::json& value, const std::string& param);
/// read_integer, then lo <= value <= hi: "'n' must be in [1, 16], got 17".
int64_t read_integer_in(const nlohmann::json& value, const std::string& param, int64_t lo,
                        int64_t hi);

/// A range of real numbers, printed in the message as "[0, 2]" or "(0, 1]".
struct Interval {
  double lo = 0.0;
  double hi = 0.0;
  bool lo_open = false;
  bool hi_open = false;

  bool contains(double value) const;
  std::string text() const;
};

/// read_number, then inside `range`: "'top_p' must be in (0, 1], got 1.5".
double read_number_in(const nlohmann::json& value, const std::string& param, const Interval& range);

}  // namespace fastchat
