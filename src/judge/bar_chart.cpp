#include "judge/bar_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/markup/xml_escape.h"

namespace fastchat::judge {

namespace {

// Colour-blind-safe palette (Okabe-Ito), cycled when there are more models.
constexpr const char* kColours[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                    "#56B4E9", "#D55E00", "#F0E442", "#000000"};

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

struct Layout {
  double left = 60, right = 170, top = 40, bottom = 70;
  double width = 0, height = 360;
  double plot_w() const { return width - left - right; }
  double plot_h() const { return height - top - bottom; }
};

void axes(std::string& svg, const BarChart& c, const Layout& l) {
  for (int i = 0; i <= 5; ++i) {
    const double v = c.y_max * i / 5;
    const double y = l.top + l.plot_h() * (1 - static_cast<double>(i) / 5);
    svg += "<line x1=\"" + num(l.left) + "\" y1=\"" + num(y) + "\" x2=\"" +
           num(l.left + l.plot_w()) + "\" y2=\"" + num(y) + "\" stroke=\"#ddd\"/>\n";
    char label[32];
    std::snprintf(label, sizeof label, c.y_max <= 1.0 ? "%.1f" : "%.0f", v);
    svg += "<text x=\"" + num(l.left - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" +
           label + "</text>\n";
  }
  svg += "<text x=\"16\" y=\"" + num(l.top + l.plot_h() / 2) +
         "\" text-anchor=\"middle\" transform=\"rotate(-90 16 " + num(l.top + l.plot_h() / 2) +
         ")\">" + markup::xml_escape(c.y_label) + "</text>\n";
  svg += "<text x=\"" + num(l.left + l.plot_w() / 2) +
         "\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">" + markup::xml_escape(c.title) +
         "</text>\n";
}

void bars(std::string& svg, const BarChart& c, const Layout& l) {
  const double group_w = l.plot_w() / static_cast<double>(std::max<size_t>(c.groups.size(), 1));
  const double bar_w = group_w * 0.8 / static_cast<double>(std::max<size_t>(c.series.size(), 1));
  for (size_t g = 0; g < c.groups.size(); ++g) {
    const double x0 = l.left + group_w * static_cast<double>(g) + group_w * 0.1;
    for (size_t s = 0; s < c.series.size(); ++s) {
      const double v = c.values[s][g];
      if (std::isnan(v)) continue;
      const double h = l.plot_h() * std::clamp(v / c.y_max, 0.0, 1.0);
      svg += "<rect x=\"" + num(x0 + bar_w * static_cast<double>(s)) + "\" y=\"" +
             num(l.top + l.plot_h() - h) + "\" width=\"" + num(bar_w * 0.95) + "\" height=\"" +
             num(h) + "\" fill=\"" + kColours[s % 8] + "\"><title>" +
             markup::xml_escape(c.series[s]) + ", " + markup::xml_escape(c.groups[g]) + ": " +
             num(v) + "</title></rect>\n";
    }
    svg += "<text x=\"" + num(x0 + group_w * 0.4) + "\" y=\"" + num(l.top + l.plot_h() + 18) +
           "\" text-anchor=\"middle\">" + markup::xml_escape(c.groups[g]) + "</text>\n";
  }
}

void legend(std::string& svg, const BarChart& c, const Layout& l) {
  const double x = l.left + l.plot_w() + 16;
  for (size_t s = 0; s < c.series.size(); ++s) {
    const double y = l.top + 20.0 * static_cast<double>(s);
    svg += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"12\" height=\"12\" fill=\"" +
           kColours[s % 8] + "\"/>\n<text x=\"" + num(x + 18) + "\" y=\"" + num(y + 11) + "\">" +
           markup::xml_escape(c.series[s]) + "</text>\n";
  }
}

}  // namespace

std::string to_svg(const BarChart& chart) {
  Layout l;
  l.width = std::max(480.0, l.left + l.right + 90.0 * static_cast<double>(chart.groups.size()));
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(l.width) +
                    "\" height=\"" + num(l.height) + "\" viewBox=\"0 0 " + num(l.width) + " " +
                    num(l.height) +
                    "\" font-family=\"sans-serif\" font-size=\"12\">\n"
                    "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  axes(svg, chart, l);
  bars(svg, chart, l);
  legend(svg, chart, l);
  svg += "</svg>\n";
  return svg;
}

}  // namespace fastchat::judge
