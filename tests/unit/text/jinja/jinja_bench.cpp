// Benchmark of the chat-template interpreter (a program, not a test: speed is measured here,
// never asserted). Renders a conversation of N messages with each shipped template and prints
// the mean time per render.
//
//   FASTCHAT_TEST_DATA=build/test-data build/bin/jinja_bench [messages=20] [seconds=1]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "chat_templates.h"
#include "text/jinja/template.h"

namespace {

nlohmann::ordered_json conversation(int messages, const std::string& name) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  list.push_back({{"role", "system"}, {"content", "You are a helpful assistant."}});
  for (int i = 1; i < messages; ++i) {
    const bool user = i % 2 == 1;
    list.push_back({{"role", user ? "user" : "assistant"},
                    {"content", user ? "Question " + std::to_string(i) +
                                           ": how do I sort a list in Python, in place?"
                                     : "Use list.sort(), or sorted(list) for a new list. Answer " +
                                           std::to_string(i) + "."}});
  }
  if (name == "gemma3" && messages % 2 == 1) list.erase(list.begin());  // gemma alternates
  return {{"messages", list},
          {"add_generation_prompt", true},
          {"bos_token", fastchat::jinja::testing::bos_token(name)},
          {"eos_token", fastchat::jinja::testing::eos_token(name)}};
}

}  // namespace

int main(int argc, char** argv) {
  const int messages = argc > 1 ? std::atoi(argv[1]) : 20;
  const double seconds = argc > 2 ? std::atof(argv[2]) : 1.0;
  using Clock = std::chrono::steady_clock;
  std::printf("%-12s %9s %12s %10s\n", "template", "messages", "us/render", "bytes");
  for (const std::string& name : fastchat::jinja::testing::template_names()) {
    const auto tpl =
        fastchat::jinja::Template::parse(fastchat::jinja::testing::chat_template(name));
    const nlohmann::ordered_json context = conversation(messages, name);
    std::size_t bytes = tpl.render(context).size();  // warm up
    long renders = 0;
    const auto start = Clock::now();
    const auto stop = start + std::chrono::duration<double>(seconds);
    Clock::time_point now;
    do {
      for (int i = 0; i < 100; ++i) bytes = tpl.render(context).size();
      renders += 100;
      now = Clock::now();
    } while (now < stop);
    const double us = std::chrono::duration<double, std::micro>(now - start).count() / renders;
    std::printf("%-12s %9d %12.2f %10zu\n", name.c_str(), messages, us, bytes);
  }
  return 0;
}
