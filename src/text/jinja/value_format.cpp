#include "text/jinja/value_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "text/jinja/callable.h"
#include "text/jinja/unicode_text.h"

namespace fastchat::jinja {
namespace {

// Resolved separators and indentation of one to_json() call.
struct JsonStyle {
  const JsonOptions& options;
  std::string item_separator;
  std::string key_separator;
  std::string indent_unit;  // empty: one line
  bool undefined_as_null = true;
};

void append_hex4(std::string& out, unsigned value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

void append_newline_indent(std::string& out, const JsonStyle& style, int depth) {
  out += '\n';
  for (int i = 0; i < depth; ++i) out += style.indent_unit;
}

void write_json(std::string& out, const Value& value, const JsonStyle& style, int depth);

template <typename Entries>
void write_object(std::string& out, const Entries& entries, const JsonStyle& style, int depth) {
  std::vector<const std::pair<std::string, Value>*> order;
  order.reserve(entries.size());
  for (const auto& entry : entries) order.push_back(&entry);
  if (style.options.sort_keys) {
    std::stable_sort(order.begin(), order.end(),
                     [](const auto* a, const auto* b) { return a->first < b->first; });
  }
  out += '{';
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i > 0) out += style.item_separator;
    if (!style.indent_unit.empty()) append_newline_indent(out, style, depth + 1);
    append_json_string(out, order[i]->first, style.options.ensure_ascii);
    out += style.key_separator;
    write_json(out, order[i]->second, style, depth + 1);
  }
  if (!style.indent_unit.empty() && !order.empty()) append_newline_indent(out, style, depth);
  out += '}';
}

void write_json(std::string& out, const Value& value, const JsonStyle& style, int depth) {
  if (depth > static_cast<int>(kMaxNesting)) {
    throw EvalError("cannot write a value nested more than " + std::to_string(kMaxNesting) +
                    " levels");
  }
  switch (value.kind()) {
    case Value::Kind::Undefined:
      out += style.undefined_as_null ? "null" : "undefined";
      return;
    case Value::Kind::None:
      out += "null";
      return;
    case Value::Kind::Bool:
      out += value.as_bool() ? "true" : "false";
      return;
    case Value::Kind::Int:
      out += std::to_string(value.as_int());
      return;
    case Value::Kind::Float:
      out += std::isfinite(value.as_float()) ? format_js_number(value.as_float()) : "null";
      return;
    case Value::Kind::String:
      append_json_string(out, value.as_string(), style.options.ensure_ascii);
      return;
    case Value::Kind::List: {
      const auto& items = value.as_list();
      out += '[';
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += style.item_separator;
        if (!style.indent_unit.empty()) append_newline_indent(out, style, depth + 1);
        write_json(out, items[i], style, depth + 1);
      }
      if (!style.indent_unit.empty() && !items.empty()) append_newline_indent(out, style, depth);
      out += ']';
      return;
    }
    case Value::Kind::Map:
      write_object(out, value.as_map().entries, style, depth);
      return;
    case Value::Kind::Namespace:
      write_object(out, value.as_namespace().attributes.entries, style, depth);
      return;
    case Value::Kind::Callable:
      throw EvalError("cannot convert " + value.as_callable().describe() + " to JSON");
  }
}

JsonStyle make_style(const JsonOptions& options) {
  const bool indented = options.indent && *options.indent > 0;
  // json.dumps drops the space of ", " when items end lines.
  return JsonStyle{options, options.item_separator.value_or(indented ? "," : ", "),
                   options.key_separator.value_or(": "),
                   std::string(indented ? static_cast<std::size_t>(*options.indent) : 0, ' '),
                   true};
}

}  // namespace

void append_json_string(std::string& out, std::string_view text, bool ensure_ascii) {
  out += '"';
  for (std::size_t pos = 0; pos < text.size();) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte >= 0x80 && ensure_ascii) {
      const char32_t c = decode_utf8(text, pos);
      if (c > 0xFFFF) {  // a surrogate pair, as JavaScript strings hold it
        const char32_t v = c - 0x10000;
        append_hex4(out, 0xD800 + (v >> 10));
        append_hex4(out, 0xDC00 + (v & 0x3FF));
      } else {
        append_hex4(out, c);
      }
      continue;
    }
    ++pos;
    switch (byte) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20) {
          append_hex4(out, byte);
        } else if (byte == 0x7F && ensure_ascii) {
          append_hex4(out, byte);
        } else {
          out += static_cast<char>(byte);
        }
    }
  }
  out += '"';
}

std::string to_json(const Value& value, const JsonOptions& options) {
  std::string out;
  write_json(out, value, make_style(options), 0);
  return out;
}

void append_output(std::string& out, const Value& value) {
  switch (value.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
      return;
    case Value::Kind::Bool:
      out += value.as_bool() ? "true" : "false";
      return;
    case Value::Kind::Int:
      out += std::to_string(value.as_int());
      return;
    case Value::Kind::Float:
      out += format_float(value.as_float());
      return;
    case Value::Kind::String:
      out += value.as_string();
      return;
    case Value::Kind::List:
    case Value::Kind::Map:
    case Value::Kind::Namespace: {
      static const JsonOptions kDefault;
      JsonStyle style = make_style(kDefault);
      style.undefined_as_null = false;
      write_json(out, value, style, 0);
      return;
    }
    case Value::Kind::Callable:
      out += value.as_callable().describe();
      return;
  }
}

std::string to_output(const Value& value) {
  if (value.is_string()) return value.as_string();
  std::string out;
  append_output(out, value);
  return out;
}

std::string format_js_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (value == 0) return "0";
  if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
  // Shortest round-trip digits d.ddde±x, laid out as JavaScript's Number.prototype.toString does.
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), std::fabs(value),
                                    std::chars_format::scientific);
  const std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  const std::size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  const int k = static_cast<int>(digits.size());
  const int n = std::atoi(std::string(text.substr(e + 1)).c_str()) + 1;  // point after n digits
  std::string out = value < 0 ? "-" : "";
  if (k <= n && n <= 21) {  // an integer: the digits, then zeros
    out.append(digits).append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {  // the point inside the digits
    out.append(digits, 0, static_cast<std::size_t>(n)).append(1, '.').append(digits, n);
  } else if (-6 < n && n <= 0) {  // 0.000ddd
    out.append("0.").append(static_cast<std::size_t>(-n), '0').append(digits);
  } else {  // d.ddde+x
    out.append(digits, 0, 1);
    if (k > 1) out.append(1, '.').append(digits, 1);
    out.append(n - 1 >= 0 ? "e+" : "e-").append(std::to_string(std::abs(n - 1)));
  }
  return out;
}

std::string format_float(double value) {
  if (value == 0 && std::signbit(value)) return "-0.0";
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e21) {
    char buffer[64];
    const int length = std::snprintf(buffer, sizeof(buffer), "%.1f", value);
    return std::string(buffer, static_cast<std::size_t>(length));
  }
  return format_js_number(value);
}

}  // namespace fastchat::jinja
