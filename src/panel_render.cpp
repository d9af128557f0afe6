// The review page's panel view: per organisation a small inline SVG chart of its
// amounts and fact counts by year, its secretaries over the years, and its plans
// against outcomes as a table with bars. Drawn as markup (SVG presentation
// attributes, classes of review.css): no script, nothing the page's CSP would block.
#include <algorithm>
#include <map>
#include <set>

#include "digestx/panel.hpp"
#include "digestx/render.hpp"
#include "render_parts.hpp"

namespace digestx {

namespace {

using render_parts::attr;

void text(std::string& out, std::string_view s) { append_html(out, s); }

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Money in 万元 for the chart's labels (the table gives exact yuan).
std::string wan(const Decimal& yuan) {
  auto w = yuan.div(Decimal::of(10000), 1);
  return w ? grouped(*w) + "万" : "?";
}

struct YearPoint {
  int year = 0;
  Decimal amount;  // amount money reported for the year (last_year of its digest)
  size_t amount_facts = 0, facts = 0;
};

std::vector<YearPoint> points_of(const Panel& p, const std::vector<size_t>& rows) {
  std::map<int, YearPoint> by_year;
  for (size_t r : rows) {
    const PanelDigest& d = p.digests[p.rows[r].digest];
    if (!d.year) continue;
    const PanelUnit& u = d.units[p.rows[r].unit];
    YearPoint& y = by_year[*d.year];
    y.year = *d.year;
    if (auto s = y.amount.add(u.money_last_year.yuan)) y.amount = *s;
    y.amount_facts += u.money_last_year.facts;
    y.facts += u.facts;
  }
  std::vector<YearPoint> out;
  for (auto& [year, point] : by_year) out.push_back(point);
  return out;
}

// Two bars per year: amount money (blue) and facts (grey), each scaled to its maximum.
void chart(std::string& out, const std::vector<YearPoint>& points) {
  const double slot = 92, height = 96, top = 16;
  double max_amount = 0, max_facts = 0;
  for (const YearPoint& y : points) {
    max_amount = std::max(max_amount, y.amount.to_double());
    max_facts = std::max(max_facts, double(y.facts));
  }
  double width = slot * double(points.size()) + 8;
  out += "<svg class=\"panel-chart\" role=\"img\" viewBox=\"0 0 " + num(width) + " " + num(height + top + 18) +
         "\" width=\"" + num(width) + "\" height=\"" + num(height + top + 18) + "\"><title>";
  text(out, "amount money (blue) and facts (grey) by year");
  out += "</title>";
  for (size_t i = 0; i < points.size(); ++i) {
    const YearPoint& y = points[i];
    double x = 8 + slot * double(i);
    double ha = max_amount > 0 ? height * y.amount.to_double() / max_amount : 0;
    double hf = max_facts > 0 ? height * double(y.facts) / max_facts : 0;
    out += "<rect class=\"bar-amount\" fill=\"#3b6fd4\" x=\"" + num(x) + "\" y=\"" + num(top + height - ha) +
           "\" width=\"34\" height=\"" + num(ha) + "\"><title>" + std::to_string(y.year) + " amount money " +
           grouped(y.amount) + " 元</title></rect>";
    out += "<rect class=\"bar-facts\" fill=\"#9aa4b2\" x=\"" + num(x + 38) + "\" y=\"" + num(top + height - hf) +
           "\" width=\"34\" height=\"" + num(hf) + "\"><title>" + std::to_string(y.year) + ": " +
           std::to_string(y.facts) + " facts</title></rect>";
    if (y.amount_facts > 0)  // no amount stated is not an amount of 0
      out += "<text x=\"" + num(x + 17) + "\" y=\"" + num(top + height - ha - 3) +
             "\" font-size=\"10\" text-anchor=\"middle\">" + wan(y.amount) + "</text>";
    out += "<text x=\"" + num(x + 55) + "\" y=\"" + num(top + height - hf - 3) +
           "\" font-size=\"10\" text-anchor=\"middle\">" + std::to_string(y.facts) + "</text>";
    out += "<text x=\"" + num(x + 36) + "\" y=\"" + num(top + height + 14) +
           "\" font-size=\"11\" text-anchor=\"middle\">" + std::to_string(y.year) + "</text>";
  }
  out += "</svg>";
}

void timeline(std::string& out, const Panel& p, const std::vector<size_t>& rows) {
  out += "<ol class=\"panel-timeline\">";
  std::set<size_t> changed;
  for (const SecretaryChange& c : p.secretary_changes) changed.insert(c.to_row);
  for (size_t r : rows) {
    const PanelDigest& d = p.digests[p.rows[r].digest];
    const PanelUnit& u = d.units[p.rows[r].unit];
    out += changed.count(r) ? "<li class=\"changed\">" : "<li>";
    out += "<b>" + (d.year ? std::to_string(*d.year) : std::string("?")) + "</b> ";
    text(out, u.name.empty() ? "—" : without_spaces(u.name));
    out += " <span class=\"note\">";
    text(out, u.role);
    if (changed.count(r)) out += " · new";
    out += "</span></li>";
  }
  out += "</ol>";
}

// A bar for the ratio achieved / planned: full width is twice the plan, the tick the plan.
void ratio_bar(std::string& out, const std::optional<Decimal>& ratio) {
  double r = ratio ? std::min(2.0, std::max(0.0, ratio->to_double())) : 0;
  const char* fill = r >= 1 ? "#2f855a" : "#c05621";
  out += "<svg class=\"ratio-bar\" width=\"120\" height=\"12\" viewBox=\"0 0 120 12\"><rect x=\"0\" y=\"2\" "
         "width=\"120\" height=\"8\" fill=\"#eef1f5\"/><rect x=\"0\" y=\"2\" width=\"" +
         num(60 * r) + "\" height=\"8\" fill=\"" + fill + "\"/><line x1=\"60\" x2=\"60\" y1=\"0\" y2=\"12\" "
         "stroke=\"#1f2328\"/></svg>";
}

void links_table(std::string& out, const Panel& p, size_t org) {
  std::vector<const PanelLink*> links;
  for (const PanelLink& l : p.links)
    if (l.org == org) links.push_back(&l);
  size_t unmatched = std::count_if(p.unmatched_plans.begin(), p.unmatched_plans.end(),
                                   [&](const UnmatchedPlan& u) { return u.org == org; });
  if (links.empty()) {
    out += "<p class=\"note\">No plan matched to an outcome; plans without one: " + std::to_string(unmatched) + ".</p>";
    return;
  }
  out += "<table class=\"panel-links\"><thead><tr><th>year</th><th>subject</th><th>planned</th><th>achieved</th>"
         "<th>ratio</th><th></th></tr></thead><tbody>";
  for (const PanelLink* l : links) {
    const PanelFact& a = p.digests[l->planned.digest].units[l->planned.unit].plans[l->planned.fact];
    const PanelFact& b = p.digests[l->achieved.digest].units[l->achieved.unit].outcomes[l->achieved.fact];
    out += "<tr><td>" + std::to_string(a.year) + "</td><td>";
    text(out, a.subject);
    if (b.subject != a.subject) {
      out += " <span class=\"note\">→ ";
      text(out, b.subject);
      out += "</span>";
    }
    out += "</td><td>";
    text(out, a.text);
    out += "</td><td>";
    text(out, b.text);
    out += "</td><td class=\"num\">" + (l->ratio ? l->ratio->rounded(2).str() : std::string("—")) + "</td><td>";
    ratio_bar(out, l->ratio);
    out += "</td></tr>";
  }
  out += "</tbody></table><p class=\"note\">Plans without a matched outcome: " + std::to_string(unmatched) + ".</p>";
}

void org_article(std::string& out, const Panel& p, size_t org, const std::vector<size_t>& rows) {
  const PanelOrg& o = p.orgs[org];
  out += "<article class=\"panel-org\"";
  attr(out, "id", "panel-o" + std::to_string(org));
  out += "><h2>";
  text(out, o.region.empty() ? o.key : o.region + " · " + o.key);
  if (!o.aliases.empty()) {
    out += " <span class=\"note\">also ";
    for (size_t i = 0; i < o.aliases.size(); ++i) text(out, (i ? "、" : "") + o.aliases[i]);
    out += "</span>";
  }
  out += "</h2><div class=\"panel-row\">";
  chart(out, points_of(p, rows));
  timeline(out, p, rows);
  out += "</div>";
  links_table(out, p, org);
  out += "</article>\n";
}

}  // namespace

void write_panel_view(std::string& out, const Panel& p) {
  std::map<size_t, std::vector<size_t>> rows_of;  // in the rows' order: region, key, year
  std::vector<size_t> order;
  for (size_t r = 0; r < p.rows.size(); ++r) {
    if (!rows_of.count(p.rows[r].org)) order.push_back(p.rows[r].org);
    rows_of[p.rows[r].org].push_back(r);
  }
  out += "<section class=\"panel\" id=\"panel\"><h1>Panel: " + std::to_string(order.size()) + " organisations, " +
         std::to_string(p.links.size()) + " plans matched to outcomes, " +
         std::to_string(p.secretary_changes.size()) + " changes of secretary</h1>\n<p class=\"note\">Blue bars: money "
         "of aspect amount reported for the year (other money, rates and per-capita figures are never added); grey: "
         "facts. The ratio bar's tick is the plan; its full width twice the plan.</p>\n";
  for (size_t org : order) org_article(out, p, org, rows_of[org]);
  out += "</section>\n";
}

}  // namespace digestx
