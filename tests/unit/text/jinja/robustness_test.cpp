// Hostile templates never crash, hang or run away: random mutations of the five real templates
// (and every prefix of them) are parsed and rendered, and each either renders or throws
// ErrorException naming a template position. Deterministic (fixed seeds) and bounded (small
// render limits), in the manner of a libFuzzer corpus run.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "chat_templates.h"
#include "common/error/error.h"
#include "text/jinja/template.h"

namespace fastchat::jinja {
namespace {

using nlohmann::ordered_json;

// Pieces a mutation inserts: the template language's punctuation and keywords, so mutants get
// past the lexer and into the parser and interpreter.
const std::vector<std::string>& fragments() {
  static const std::vector<std::string> pieces{"{%",          "%}",
                                               "{{",          "}}",
                                               "{#",          "#}",
                                               "-",           "(",
                                               ")",           "[",
                                               "]",           "{",
                                               "}",           ",",
                                               ".",           ":",
                                               "|",           "'",
                                               "\"",          "\\",
                                               "=",           "==",
                                               "+",           "*",
                                               "**",          "~",
                                               " not ",       " in ",
                                               " is ",        " if ",
                                               " else ",      "for x in messages",
                                               "endfor",      "endif",
                                               "set ns.a = ", "loop.index0",
                                               "namespace(",  "range(",
                                               "macro m(a)",  "endmacro",
                                               "m(m)",        "caller()",
                                               "raw",         "endraw",
                                               "1",           "-1",
                                               "0.5",         "none",
                                               "tojson",      "items()",
                                               "[::-1]",      "\xC3\xA9",
                                               "\xFF",        std::string(1, '\0'),
                                               "\n",          " "};
  return pieces;
}

std::string mutate(std::string text, std::mt19937& rng) {
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n)(rng); };
  const std::size_t edits = 1 + pick(3);
  for (std::size_t e = 0; e < edits; ++e) {
    const std::size_t at = pick(text.size());
    switch (pick(3)) {
      case 0:
        text.erase(at, 1 + pick(8));
        break;
      case 1:
        text.insert(at, fragments()[pick(fragments().size() - 1)]);
        break;
      case 2: {
        const std::size_t from = pick(text.size());
        text.insert(at, text.substr(from, pick(40)));
        break;
      }
      default:
        text.insert(at, 1, static_cast<char>(pick(255)));
        break;
    }
  }
  return text;
}

ordered_json contexts() {
  return ordered_json::array(
      {ordered_json{
           {"messages", ordered_json::parse(R"([
          {"role": "system", "content": "S"}, {"role": "user", "content": "Hi"},
          {"role": "assistant", "content": "<think>r</think>Yo", "tool_calls": [
            {"type": "function", "function": {"name": "f", "arguments": {"a": 1}}}]},
          {"role": "tool", "content": "42"}, {"role": "user", "content": "Ok"}])")},
           {"tools", ordered_json::parse(R"([{"type": "function", "function": {"name": "f"}}])")},
           {"add_generation_prompt", true},
           {"bos_token", "<s>"}},
       ordered_json{{"messages", ordered_json::array()}}});
}

// Parses and renders `source`; fails the test on anything but success or an ErrorException.
void exercise(const std::string& source, const ordered_json& all_contexts) {
  RenderLimits limits;
  limits.max_steps = 50'000;
  limits.max_output_bytes = 256 * 1024;
  limits.max_call_depth = 16;
  try {
    const Template tpl = Template::parse(source, limits);
    for (const auto& context : all_contexts) {
      try {
        tpl.render(context);
      } catch (const ErrorException& e) {
        EXPECT_EQ(e.error().message.rfind("chat template ", 0), 0u) << e.error().message;
      }
    }
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().code, ErrorCode::InvalidModel) << e.error().message;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected " << e.what() << " for template:\n" << source;
  }
}

TEST(JinjaRobustness, RandomMutationsOfRealTemplatesFailCleanly) {
  const ordered_json all_contexts = contexts();
  for (const std::string& name : testing::template_names()) {
    const std::string original = testing::chat_template(name);
    std::mt19937 rng(20240611);
    for (int i = 0; i < 1000; ++i) exercise(mutate(original, rng), all_contexts);
  }
}

TEST(JinjaRobustness, EveryPrefixOfRealTemplatesFailsCleanly) {
  const ordered_json empty = ordered_json::array({ordered_json::object()});
  for (const std::string& name : testing::template_names()) {
    const std::string original = testing::chat_template(name);
    for (std::size_t n = 0; n <= original.size(); n += 3) exercise(original.substr(0, n), empty);
  }
}

TEST(JinjaRobustness, RandomBytesFailCleanly) {
  const ordered_json empty = ordered_json::array({ordered_json::object()});
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string noise(std::uniform_int_distribution<std::size_t>(0, 64)(rng), ' ');
    for (char& c : noise) {
      c = fragments()[std::uniform_int_distribution<std::size_t>(0, fragments().size() - 1)(rng)]
                     [0];
    }
    exercise(noise, empty);
  }
}

}  // namespace
}  // namespace fastchat::jinja
