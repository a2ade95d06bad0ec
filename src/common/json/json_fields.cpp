#include "common/json/json_fields.h"

#include <cmath>
#include <sstream>

#include "common/error/error.h"

namespace fastchat {
namespace {

using nlohmann::json;

// Longest string value quoted back in a message; longer ones are described by type only.
constexpr std::size_t kMaxQuotedString = 40;

[[noreturn]] void reject_type(const std::string& param, const char* expected, const json& value) {
  reject_field(param, std::string("must be ") + expected + ", got " + value.type_name());
}

std::string format_bound(double bound) {
  std::ostringstream out;
  out << bound;
  return out.str();
}

}  // namespace

void reject_field(const std::string& param, const std::string& rest) {
  throw_error(ErrorCode::InvalidRequest, "'" + param + "' " + rest, param);
}

const json* find_field(const json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string describe_value(const json& value) {
  if (value.is_number() || value.is_boolean() || value.is_null()) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  if (value.is_string() && value.get_ref<const std::string&>().size() <= kMaxQuotedString) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return value.type_name();
}

bool read_bool(const json& value, const std::string& param) {
  if (!value.is_boolean()) reject_type(param, "a boolean", value);
  return value.get<bool>();
}

const std::string& read_string(const json& value, const std::string& param) {
  if (!value.is_string()) reject_type(param, "a string", value);
  return value.get_ref<const std::string&>();
}

double read_number(const json& value, const std::string& param) {
  if (!value.is_number()) reject_type(param, "a number", value);
  return value.get<double>();
}

int64_t read_integer(const json& value, const std::string& param) {
  if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<int64_t>();
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<uint64_t>();
    if (unsigned_value > static_cast<uint64_t>(INT64_MAX)) {
      reject_field(param, "must be an integer that fits in 64 bits, got " + describe_value(value));
    }
    return static_cast<int64_t>(unsigned_value);
  }
  if (!value.is_number_float()) reject_type(param, "an integer", value);
  const double number = value.get<double>();
  // 2^63 is exactly representable; the open upper bound keeps the cast defined.
  if (std::trunc(number) != number || !(number >= -9223372036854775808.0) ||
      !(number < 9223372036854775808.0)) {
    reject_field(param, "must be an integer, got " + describe_value(value));
  }
  return static_cast<int64_t>(number);
}

int64_t read_integer_in(const json& value, const std::string& param, int64_t lo, int64_t hi) {
  const int64_t number = read_integer(value, param);
  if (number < lo || number > hi) {
    reject_field(param, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                            "], got " + describe_value(value));
  }
  return number;
}

bool Interval::contains(double value) const {
  // Written so that NaN is outside every interval.
  const bool above_lo = lo_open ? value > lo : value >= lo;
  const bool below_hi = hi_open ? value < hi : value <= hi;
  return above_lo && below_hi;
}

std::string Interval::text() const {
  return std::string(lo_open ? "(" : "[") + format_bound(lo) + ", " + format_bound(hi) +
         (hi_open ? ")" : "]");
}

double read_number_in(const json& value, const std::string& param, const Interval& range) {
  const double number = read_number(value, param);
  if (!range.contains(number)) {
    reject_field(param, "must be in " + range.text() + ", got " + describe_value(value));
  }
  return number;
}

}  // namespace fastchat
