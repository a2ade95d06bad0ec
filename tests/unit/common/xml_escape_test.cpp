#include "common/markup/xml_escape.h"

#include <gtest/gtest.h>

namespace fastchat::markup {
namespace {

TEST(XmlEscape, EntitiesForWhatCouldEndTextOrAnAttribute) {
  EXPECT_EQ(xml_escape(R"(<script>alert("x" & 'y')</script>)"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
  EXPECT_EQ(xml_escape("plain model-name_1.5 é"), "plain model-name_1.5 é");
  EXPECT_EQ(xml_escape(""), "");
}

}  // namespace
}  // namespace fastchat::markup
