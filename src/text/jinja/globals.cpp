// The global functions a template may call: range, namespace, dict, raise_exception (the way a
// chat template refuses a conversation) and strftime_now (transformers' date helper).

#include <array>
#include <ctime>
#include <utility>

#include "text/jinja/builtins.h"
#include "text/jinja/render_state.h"
#include "text/jinja/value_format.h"

namespace fastchat::jinja {
namespace {

std::int64_t int_argument(const Value& v, std::string_view what) {
  if (v.is_int()) return v.as_int();
  if (v.is_bool()) return v.as_bool() ? 1 : 0;
  throw EvalError("range() " + std::string(what) + " must be an integer, not " +
                  std::string(v.type_name()));
}

Value range(const CallArgs& args, RenderState& state) {
  const auto& p = args.positional;
  if (p.empty() || p.size() > 3 || !args.keyword.empty()) {
    throw EvalError("range() takes 1 to 3 positional arguments");
  }
  std::int64_t start = 0;
  std::int64_t stop = int_argument(p[0], "stop");
  std::int64_t step = 1;
  if (p.size() >= 2) {
    start = stop;
    stop = int_argument(p[1], "stop");
  }
  if (p.size() == 3) step = int_argument(p[2], "step");
  if (step == 0) throw EvalError("range() step must not be zero");
  // Count first, in 128 bits, so range(10**12) is refused before anything is built.
  const __int128 span =
      step > 0 ? static_cast<__int128>(stop) - start : static_cast<__int128>(start) - stop;
  const __int128 stride = step > 0 ? step : -static_cast<__int128>(step);
  const __int128 count = span <= 0 ? 0 : (span + stride - 1) / stride;
  state.charge_items(count > static_cast<__int128>(UINT32_MAX) ? UINT32_MAX
                                                               : static_cast<std::size_t>(count));
  std::vector<Value> items;
  items.reserve(static_cast<std::size_t>(count));
  for (__int128 i = 0; i < count; ++i) {
    items.emplace_back(static_cast<std::int64_t>(start + i * step));
  }
  return Value::list(std::move(items));
}

void add_pairs(MapData& map, const Value& source) {
  if (source.is_map()) {
    for (const auto& [key, value] : source.as_map().entries) map.set(key, value);
    return;
  }
  if (!source.is_list()) {
    throw EvalError("namespace() takes a mapping or a list of [key, value] pairs, not " +
                    std::string(source.type_name()));
  }
  for (const Value& pair : source.as_list()) {
    if (!pair.is_list() || pair.as_list().size() != 2 || !pair.as_list()[0].is_string()) {
      throw EvalError("namespace() takes a list of [key, value] pairs with string keys");
    }
    map.set(pair.as_list()[0].as_string(), pair.as_list()[1]);
  }
}

Value make_namespace(const CallArgs& args, RenderState& state) {
  if (args.positional.size() > 1) {
    throw EvalError("namespace() takes at most 1 positional argument, got " +
                    std::to_string(args.positional.size()));
  }
  NamespacePtr ns = state.new_namespace();
  if (!args.positional.empty()) add_pairs(ns->attributes, args.positional.front());
  for (const auto& [key, value] : args.keyword) ns->attributes.set(key, value);
  return Value(ns);
}

Value make_dict(const CallArgs& args, RenderState&) {
  MapData map;
  if (args.positional.size() > 1) throw EvalError("dict() takes at most 1 positional argument");
  if (!args.positional.empty()) add_pairs(map, args.positional.front());
  for (const auto& [key, value] : args.keyword) map.set(key, value);
  return Value::map(std::move(map));
}

Value raise_exception(const CallArgs& args, RenderState&) {
  const std::string message = args.positional.empty() ? "" : to_output(args.positional.front());
  throw EvalError("raise_exception: " + message, ErrorCode::InvalidRequest);
}

// Python's datetime.now().strftime(format), in the server's local time.
Value strftime_now(const CallArgs& args, RenderState& state) {
  if (args.positional.size() != 1 || !args.positional.front().is_string()) {
    throw EvalError("strftime_now() takes one format string");
  }
  const std::string& format = args.positional.front().as_string();
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  std::string out(64 + 16 * format.size(), '\0');
  const std::size_t size = std::strftime(out.data(), out.size(), format.c_str(), &local);
  if (size == 0 && !format.empty()) return Value(std::string());
  out.resize(size);
  state.charge_string(out.size());
  return Value(std::move(out));
}

constexpr std::array<std::pair<std::string_view, GlobalFn>, 5> kGlobals{{
    {"range", range},
    {"namespace", make_namespace},
    {"dict", make_dict},
    {"raise_exception", raise_exception},
    {"strftime_now", strftime_now},
}};

}  // namespace

GlobalFn find_global(std::string_view name) {
  for (const auto& [global_name, fn] : kGlobals) {
    if (global_name == name) return fn;
  }
  return nullptr;
}

}  // namespace fastchat::jinja
