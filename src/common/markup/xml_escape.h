#pragma once
// Text placed in XML or HTML (SVG charts, web pages): the five characters that could end a text
// node or an attribute value are replaced by entities, so that model names and other outside
// strings stay text.

#include <string>
#include <string_view>

namespace fastchat::markup {

/// `&`, `<`, `>`, `"` and `'` as entities; everything else as it is.
std::string xml_escape(std::string_view text);

}  // namespace fastchat::markup
