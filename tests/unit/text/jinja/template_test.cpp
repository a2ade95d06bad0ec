// The public API: a Template is parsed once and rendered many times, by many threads at once,
// with contexts given as ordered_json or json; variables the template never names are ignored.

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "chat_templates.h"
#include "render_helper.h"

namespace fastchat::jinja {
namespace {

using nlohmann::ordered_json;

ordered_json chat(int turns) {
  ordered_json messages = ordered_json::array();
  for (int i = 0; i < turns; ++i) {
    messages.push_back({{"role", i % 2 == 0 ? "user" : "assistant"},
                        {"content", "turn " + std::to_string(i) + " ünïcode"}});
  }
  return {{"messages", messages}, {"add_generation_prompt", true}, {"eos_token", "<|im_end|>"}};
}

TEST(JinjaTemplate, ParsesOnceAndRendersManyContexts) {
  const Template tpl = Template::parse("{% for m in messages %}{{ m.content }};{% endfor %}");
  EXPECT_EQ(tpl.render(chat(1)), "turn 0 ünïcode;");
  EXPECT_EQ(tpl.render(chat(2)), "turn 0 ünïcode;turn 1 ünïcode;");
  const Template copy = tpl;  // copies share the parsed template
  EXPECT_EQ(copy.render(chat(1)), tpl.render(chat(1)));
  EXPECT_EQ(copy.source(), tpl.source());
}

TEST(JinjaTemplate, AcceptsJsonAndOrderedJsonContexts) {
  const Template tpl = Template::parse("{{ x }}-{{ y | tojson }}");
  EXPECT_EQ(tpl.render(nlohmann::json{{"x", 1}, {"y", {{"b", 1}, {"a", 2}}}}),
            "1-{\"a\": 2, \"b\": 1}");
  EXPECT_EQ(tpl.render({{"x", 1}, {"y", {{"b", 1}, {"a", 2}}}}), "1-{\"b\": 1, \"a\": 2}");
  EXPECT_EQ(tpl.render(ordered_json()), "-null");
}

TEST(JinjaTemplate, IgnoresVariablesItNeverNames) {
  ordered_json deep = 1;
  for (int i = 0; i < 300; ++i) deep = ordered_json::array({deep});  // never converted
  EXPECT_EQ(testing::render("{{ x }}", {{"x", "ok"}, {"unused", deep}, {"loop", 1}}), "ok");
}

TEST(JinjaTemplate, RendersConcurrentlyFromManyThreads) {
  const Template tpl = Template::parse(testing::chat_template("qwen3"));
  std::vector<std::string> expected;
  for (int turns = 1; turns <= 8; ++turns) expected.push_back(tpl.render(chat(turns)));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const int turns = 1 + (t + i) % 8;
        if (tpl.render(chat(turns)) != expected[turns - 1]) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

TEST(JinjaTemplate, LimitsAreKeptWithTheTemplate) {
  RenderLimits limits;
  limits.max_output_bytes = 10;
  const Template tpl = Template::parse("{{ x }}", limits);
  EXPECT_EQ(tpl.limits().max_output_bytes, 10u);
  EXPECT_EQ(tpl.render({{"x", "short"}}), "short");
  EXPECT_THROW(tpl.render({{"x", "far too long for it"}}), ErrorException);
}

}  // namespace
}  // namespace fastchat::jinja
