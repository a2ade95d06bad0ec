// Every reference rendering renders byte for byte: the shipped renderings.json (three
// conversations per template) and extra_renderings.json (tools, tool calls, thinking, unicode,
// long and edge-case conversations), both made by @huggingface/jinja 0.5.11. A reference that
// is an error must fail with an ErrorException (InvalidRequest): when the reference's message is
// text of the template (raise_exception("...")), the exception must carry it; other messages
// are the reference's own wording, which the interpreter does not copy.

#include <gtest/gtest.h>

#include <string>

#include "chat_templates.h"
#include "common/error/error.h"
#include "test_paths.h"
#include "text/jinja/template.h"

namespace fastchat::jinja {
namespace {

using testing::chat_template;

// The context a reference case was rendered with: renderings.json lists its parts,
// extra_renderings.json has the whole object.
nlohmann::ordered_json context_of(const nlohmann::ordered_json& reference) {
  if (reference.contains("context")) return reference["context"];
  const std::string name = reference["template"].get<std::string>();
  nlohmann::ordered_json context;
  context["messages"] = reference["messages"];
  context["add_generation_prompt"] = reference["add_generation_prompt"];
  context["bos_token"] = testing::bos_token(name);
  context["eos_token"] = testing::eos_token(name);
  return context;
}

int check_cases(const nlohmann::ordered_json& references) {
  int checked = 0;
  for (const auto& reference : references["cases"]) {
    const std::string name = reference["template"].get<std::string>();
    SCOPED_TRACE(name + " / " + reference["conversation"].get<std::string>());
    const Template tpl = Template::parse(chat_template(name));
    const nlohmann::ordered_json context = context_of(reference);
    if (reference["error"].is_null()) {
      EXPECT_EQ(tpl.render(context), reference["rendered"].get<std::string>());
    } else {
      const std::string expected = reference["error"].get<std::string>();
      const bool template_text = tpl.source().find(expected) != std::string::npos;
      try {
        const std::string rendered = tpl.render(context);
        ADD_FAILURE() << "expected the error '" << expected << "', rendered:\n" << rendered;
      } catch (const ErrorException& e) {
        if (template_text) {
          EXPECT_NE(e.error().message.find("raise_exception: " + expected), std::string::npos)
              << e.error().message;
        }
        EXPECT_EQ(e.error().code, ErrorCode::InvalidRequest) << e.error().message;
      }
    }
    ++checked;
  }
  return checked;
}

TEST(JinjaReferenceRenderings, ShippedRenderingsMatchByteForByte) {
  const auto references = testing::read_json(
      (fastchat::testing::test_data_dir() / "chat-templates" / "renderings.json").string());
  EXPECT_EQ(references["renderer"], "@huggingface/jinja 0.5.11");
  EXPECT_EQ(check_cases(references), 15);
}

TEST(JinjaReferenceRenderings, ExtraRenderingsMatchByteForByte) {
  const auto references = testing::read_json(testing::source_dir() + "/extra_renderings.json");
  EXPECT_EQ(references["renderer"], "@huggingface/jinja 0.5.11");
  EXPECT_GE(check_cases(references), 50);
}

}  // namespace
}  // namespace fastchat::jinja
