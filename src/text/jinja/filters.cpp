// The built-in filters on single values: text (trim, upper, lower, title, capitalize, replace,
// indent, wordcount, escape/e, string, safe), numbers (int, float, abs, round), tojson, default/d,
// length/count, items, dictsort and attr. Filters on sequences: sequence_filters.cpp.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "text/jinja/builtins.h"
#include "text/jinja/render_state.h"
#include "text/jinja/sequence_filters.h"
#include "text/jinja/string_functions.h"
#include "text/jinja/unicode_text.h"
#include "text/jinja/value_format.h"
#include "text/jinja/value_ops.h"

namespace fastchat::jinja {
namespace {

[[noreturn]] void wrong_operand(std::string_view filter, const Value& operand) {
  throw EvalError("filter '" + std::string(filter) + "' cannot apply to " +
                  std::string(operand.type_name()));
}

// Text filters take strings, and numbers and booleans as they print (as Jinja2 does). None,
// undefined and containers are errors, as in the reference: a message whose content is none or a
// list fails instead of rendering "None" or JSON into the prompt.
const std::string& text_of(const Value& operand, std::string_view filter, std::string& buffer) {
  if (operand.is_string()) return operand.as_string();
  if (!operand.is_number() && !operand.is_bool()) wrong_operand(filter, operand);
  buffer = to_output(operand);
  return buffer;
}

template <std::string (*kTransform)(std::string_view), const char* kName>
Value text_transform(const Value& operand, const CallArgs&, RenderState&) {
  std::string buffer;
  return Value(kTransform(text_of(operand, kName, buffer)));
}

constexpr char kUpper[] = "upper";
constexpr char kLower[] = "lower";
constexpr char kTitle[] = "title";
constexpr char kCapitalize[] = "capitalize";

Value trim(const Value& operand, const CallArgs& args, RenderState&) {
  std::string buffer;
  return Value(strip_chars(text_of(operand, "trim", buffer), args.get_string(0, "chars", "trim"),
                           true, true));
}

Value replace_filter(const Value& operand, const CallArgs& args, RenderState& state) {
  std::string buffer;
  return Value(replace(text_of(operand, "replace", buffer),
                       args.require_string(0, "old", "replace"),
                       args.require_string(1, "new", "replace"),
                       args.get_int(2, "count", -1, "replace"), state.limits().max_output_bytes));
}

Value indent(const Value& operand, const CallArgs& args, RenderState& state) {
  std::string buffer;
  const std::string& text = text_of(operand, "indent", buffer);
  std::string unit(4, ' ');
  if (const Value* width = args.get(0, "width"); width != nullptr && width->is_string()) {
    unit = width->as_string();
  } else {
    const std::int64_t n = args.get_int(0, "width", 4, "indent");
    if (n < 0 || static_cast<std::uint64_t>(n) > state.limits().max_output_bytes) {
      throw EvalError("indent(): width out of range");
    }
    unit.assign(static_cast<std::size_t>(n), ' ');
  }
  const bool first = args.get_bool(1, "first", false, "indent");
  const bool blank = args.get_bool(2, "blank", false, "indent");
  std::string out;
  std::size_t start = 0;
  for (bool first_line = true;; first_line = false) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line(text.data() + start,
                                (end == std::string::npos ? text.size() : end) - start);
    if ((first || !first_line) && (blank || !line.empty())) out += unit;
    out += line;
    state.charge_string(out.size());
    if (end == std::string::npos) break;
    out += '\n';
    start = end + 1;
  }
  return Value(std::move(out));
}

Value escape(const Value& operand, const CallArgs&, RenderState& state) {
  std::string buffer;
  const std::string& text = text_of(operand, "escape", buffer);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  state.charge_string(out.size());
  return Value(std::move(out));
}

Value wordcount(const Value& operand, const CallArgs&, RenderState&) {
  std::string buffer;
  const std::string& text = text_of(operand, "wordcount", buffer);
  std::int64_t words = 0;
  bool in_word = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t c = decode_utf8(text, pos);
    const bool word = c == '_' || (c >= '0' && c <= '9') ||
                      ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= 0x80 && !is_js_space(c));
    if (word && !in_word) ++words;
    in_word = word;
  }
  return Value(words);
}

// JavaScript's parseInt / parseFloat, as the reference converts strings: leading whitespace,
// then the longest decimal number prefix ("12abc" is 12); no digits at all gives `fallback`.
Value parse_number(const std::string& text, bool integer, const Value& fallback) {
  const std::string_view s = trim_js_space(text, true, false);
  std::size_t end = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  auto digits = [&] {
    const std::size_t start = end;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
    return end - start;
  };
  std::size_t count = digits();
  if (!integer && end < s.size() && s[end] == '.') {
    ++end;
    count += digits();
  }
  if (count == 0) return fallback;
  if (!integer && end < s.size() && (s[end] == 'e' || s[end] == 'E')) {
    const std::size_t mark = end++;
    if (end < s.size() && (s[end] == '+' || s[end] == '-')) ++end;
    if (digits() == 0) end = mark;
  }
  const std::string number(s.substr(0, end));
  if (integer) return Value(static_cast<std::int64_t>(std::strtoll(number.c_str(), nullptr, 10)));
  return Value(std::strtod(number.c_str(), nullptr));
}

template <bool kInteger>
Value to_number(const Value& operand, const CallArgs& args, RenderState&) {
  const char* name = kInteger ? "int" : "float";
  const Value* given = args.get(0, "default");
  const Value fallback = given != nullptr ? *given : (kInteger ? Value(0) : Value(0.0));
  switch (operand.kind()) {
    case Value::Kind::String:
      return parse_number(operand.as_string(), kInteger, fallback);
    case Value::Kind::Bool:
      return kInteger ? Value(operand.as_bool() ? 1 : 0) : Value(operand.as_bool() ? 1.0 : 0.0);
    case Value::Kind::Int:
      return kInteger ? operand : Value(static_cast<double>(operand.as_int()));
    case Value::Kind::Float: {
      const double v = operand.as_float();
      if (!kInteger) return operand;
      if (!std::isfinite(v) || std::fabs(v) >= 9.2e18) return fallback;
      return Value(static_cast<std::int64_t>(std::trunc(v)));
    }
    default:
      wrong_operand(name, operand);
  }
}

Value abs_filter(const Value& operand, const CallArgs&, RenderState&) {
  if (operand.is_float()) return Value(std::fabs(operand.as_float()));
  if (operand.is_int() && operand.as_int() != INT64_MIN)
    return Value(static_cast<std::int64_t>(std::llabs(operand.as_int())));
  if (operand.is_int()) return Value(-static_cast<double>(operand.as_int()));
  wrong_operand("abs", operand);
}

// Jinja2's round(precision=0, method='common'|'ceil'|'floor'): always a float.
Value round_filter(const Value& operand, const CallArgs& args, RenderState&) {
  if (!operand.is_number() && !operand.is_bool()) wrong_operand("round", operand);
  const std::int64_t precision = args.get_int(0, "precision", 0, "round");
  const std::string method = args.get_string(1, "method", "round").value_or("common");
  if (precision < -300 || precision > 300) throw EvalError("round(): precision out of range");
  const double scale = std::pow(10.0, static_cast<double>(precision));
  const double x = operand.as_number() * scale;
  double r = 0;
  if (method == "common") {
    r = std::round(x);
  } else if (method == "ceil") {
    r = std::ceil(x);
  } else if (method == "floor") {
    r = std::floor(x);
  } else {
    throw EvalError("round(): method must be 'common', 'ceil' or 'floor'");
  }
  return Value(r / scale);
}

Value tojson(const Value& operand, const CallArgs& args, RenderState& state) {
  JsonOptions options;
  if (const Value* indent = args.get(0, "indent"); indent != nullptr && !indent->is_none()) {
    if (!indent->is_int()) throw EvalError("tojson(): indent must be an integer");
    options.indent = static_cast<int>(std::clamp<std::int64_t>(indent->as_int(), -1, 64));
  }
  options.ensure_ascii = args.get_bool(1, "ensure_ascii", false, "tojson");
  options.sort_keys = args.get_bool(2, "sort_keys", false, "tojson");
  if (const Value* separators = args.get(3, "separators");
      separators != nullptr && !separators->is_none()) {
    const bool pair = separators->is_list() && separators->as_list().size() == 2 &&
                      separators->as_list()[0].is_string() && separators->as_list()[1].is_string();
    if (!pair) throw EvalError("tojson(): separators must be a pair of strings");
    options.item_separator = separators->as_list()[0].as_string();
    options.key_separator = separators->as_list()[1].as_string();
  }
  std::string json = to_json(operand, options);
  state.charge_string(json.size());
  return Value(std::move(json));
}

Value default_filter(const Value& operand, const CallArgs& args, RenderState&) {
  const Value* fallback = args.get(0, "default_value");
  const bool boolean = args.get_bool(1, "boolean", false, "default");
  if (operand.is_undefined() || (boolean && !operand.truthy())) {
    return fallback != nullptr ? *fallback : Value(std::string());
  }
  return operand;
}

Value string_filter(const Value& operand, const CallArgs&, RenderState&) {
  return Value(to_output(operand));
}

Value safe(const Value& operand, const CallArgs&, RenderState&) { return operand; }

Value length(const Value& operand, const CallArgs&, RenderState&) {
  switch (operand.kind()) {
    case Value::Kind::String:
      return Value(static_cast<std::int64_t>(count_code_points(operand.as_string())));
    case Value::Kind::List:
      return Value(static_cast<std::int64_t>(operand.as_list().size()));
    case Value::Kind::Map:
      return Value(static_cast<std::int64_t>(operand.as_map().entries.size()));
    case Value::Kind::Namespace:
      return Value(static_cast<std::int64_t>(operand.as_namespace().attributes.entries.size()));
    default:
      wrong_operand("length", operand);
  }
}

Value attr(const Value& operand, const CallArgs& args, RenderState&) {
  if (operand.is_undefined()) wrong_operand("attr", operand);
  return get_attribute(operand, args.require_string(0, "name", "attr"));
}

using Entry = std::pair<std::string_view, FilterFn>;

const std::array kFilters = {
    Entry{"trim", trim},
    Entry{"upper", text_transform<to_upper, kUpper>},
    Entry{"lower", text_transform<to_lower, kLower>},
    Entry{"title", text_transform<title_case, kTitle>},
    Entry{"capitalize", text_transform<capitalize, kCapitalize>},
    Entry{"replace", replace_filter},
    Entry{"indent", indent},
    Entry{"wordcount", wordcount},
    Entry{"escape", escape},
    Entry{"e", escape},
    Entry{"string", string_filter},
    Entry{"safe", safe},
    Entry{"int", to_number<true>},
    Entry{"float", to_number<false>},
    Entry{"abs", abs_filter},
    Entry{"round", round_filter},
    Entry{"tojson", tojson},
    Entry{"default", default_filter},
    Entry{"d", default_filter},
    Entry{"length", length},
    Entry{"count", length},
    Entry{"attr", attr},
};

}  // namespace

FilterFn find_filter(std::string_view name) {
  for (const auto& [filter_name, fn] : kFilters) {
    if (filter_name == name) return fn;
  }
  return find_sequence_filter(name);
}

}  // namespace fastchat::jinja
