#include "text/jinja/template.h"

#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/error/error.h"
#include "text/jinja/ast.h"
#include "text/jinja/interpreter.h"
#include "text/jinja/parser.h"

namespace fastchat::jinja {

struct Template::Parsed {
  std::string source;
  Program program;
  std::unordered_map<std::string, std::uint32_t> symbols;  // variable name -> symbol id
};

Template::Template(std::shared_ptr<const Parsed> parsed, const RenderLimits& limits)
    : parsed_(std::move(parsed)), limits_(limits) {}

Template Template::parse(std::string_view source, const RenderLimits& limits) {
  auto parsed = std::make_shared<Parsed>();
  parsed->source = std::string(source);
  parsed->program = Parser::parse(parsed->source);
  for (std::uint32_t id = 0; id < parsed->program.symbols.size(); ++id) {
    parsed->symbols.emplace(parsed->program.symbols[id], id);
  }
  return Template(std::move(parsed), limits);
}

const std::string& Template::source() const { return parsed_->source; }

template <typename Json>
std::string Template::render_json(const Json& context) const {
  if (!context.is_object() && !context.is_null()) {
    throw_error(ErrorCode::InvalidRequest, "chat template context must be a JSON object");
  }
  RenderState state(limits_);
  Interpreter interpreter(parsed_->program, parsed_->source, state);
  Scope globals(nullptr, interpreter.scopes());
  if (context.is_object()) {
    for (auto it = context.begin(); it != context.end(); ++it) {
      // Variables the template never names cannot matter to it: skip converting them.
      const auto symbol = parsed_->symbols.find(it.key());
      if (symbol == parsed_->symbols.end() || symbol->second < kReservedCount) continue;
      try {
        globals.set(symbol->second, Value::from_json(it.value()));
      } catch (const EvalError& error) {
        throw_error(ErrorCode::InvalidRequest,
                    "chat template context '" + it.key() + "': " + error.what(), it.key());
      }
    }
  }
  return interpreter.render(globals);
}

std::string Template::render(const nlohmann::ordered_json& context) const {
  return render_json(context);
}

std::string Template::render_sorted(const nlohmann::json& context) const {
  return render_json(context);
}

}  // namespace fastchat::jinja
