// The panel as CSV tables, with the conventions of facts-csv and units-csv: UTF-8,
// one header line, RFC 4180 quoting, CRLF, values exactly as in the JSON, empty = null.
#include "digestx/output_csv.hpp"
#include "digestx/panel.hpp"
#include "digestx/utf.hpp"
#include "render_parts.hpp"

namespace digestx {

namespace {

class Cells {
 public:
  explicit Cells(std::string& out) : out_(out) {}
  Cells& operator<<(std::string_view v) {
    if (!first_) out_ += ',';
    first_ = false;
    append_csv_cell(out_, v, ',');
    return *this;
  }
  Cells& operator<<(size_t v) { return *this << std::string_view(std::to_string(v)); }
  Cells& operator<<(const std::optional<Decimal>& d) { return *this << std::string_view(d ? d->str() : ""); }
  Cells& operator<<(const std::optional<int>& y) { return *this << std::string_view(y ? std::to_string(*y) : ""); }
  void end() { out_ += "\r\n"; }

 private:
  std::string& out_;
  bool first_ = true;
};

std::string without_spaces(const std::string& s) {
  std::string out;
  for (char32_t c : from_utf8(s))
    if (!is_space(c)) append_utf8(out, c);
  return out;
}

std::string joined(const std::vector<std::string>& items) {  // aliases: ";" between
  std::string out;
  for (const auto& a : items) out += (out.empty() ? "" : ";") + a;
  return out;
}

std::optional<Decimal> yuan(const MoneySum& m) {
  if (m.overflow) return std::nullopt;
  return m.yuan;
}

void fact_cells(Cells& c, const Panel& p, const PanelRef& r, const PanelFact& f) {
  c << f.text << std::optional<Decimal>(f.value) << f.qualifier << f.subject << p.digests[r.digest].source;
  c << size_t(f.span.start) << size_t(f.span.end);
}

}  // namespace

void write_panel_rows_csv(std::string& out, const Panel& p) {
  std::vector<std::string> kinds = render_parts::all_kinds();
  Cells head(out);
  head << "region" << "organization" << "aliases" << "year" << "as_written" << "role" << "name" << "headline";
  head << "source" << "unit_index" << "start" << "end" << "facts";
  for (const auto& k : kinds) head << "facts_" + k;
  head << "amount_money_last_year" << "amount_money_last_year_facts" << "amount_money_this_year"
       << "amount_money_this_year_facts";
  head.end();
  for (const PanelRow& r : p.rows) {
    const PanelOrg& org = p.orgs[r.org];
    const PanelDigest& d = p.digests[r.digest];
    const PanelUnit& u = d.units[r.unit];
    Cells c(out);
    c << org.region << org.key << joined(org.aliases) << d.year << u.organization << u.role << without_spaces(u.name);
    c << u.headline << d.source << u.index << size_t(u.span.start) << size_t(u.span.end) << u.facts;
    for (const auto& k : kinds) c << (u.by_kind.count(k) ? u.by_kind.at(k) : size_t(0));
    c << yuan(u.money_last_year) << u.money_last_year.facts << yuan(u.money_this_year) << u.money_this_year.facts;
    c.end();
  }
}

void write_panel_links_csv(std::string& out, const Panel& p) {
  Cells head(out);
  head << "region" << "organization" << "year" << "kind" << "unit";
  for (const char* side : {"planned", "achieved"})
    for (const char* col : {"text", "value", "qualifier", "subject", "source", "start", "end"})
      head << std::string(side) + "_" + col;
  head << "ratio" << "rule";
  head.end();
  for (const PanelLink& l : p.links) {
    const PanelFact& planned = p.digests[l.planned.digest].units[l.planned.unit].plans[l.planned.fact];
    const PanelFact& achieved = p.digests[l.achieved.digest].units[l.achieved.unit].outcomes[l.achieved.fact];
    Cells c(out);
    c << p.orgs[l.org].region << p.orgs[l.org].key << size_t(planned.year) << planned.kind << planned.unit;
    fact_cells(c, p, l.planned, planned);
    fact_cells(c, p, l.achieved, achieved);
    c << l.ratio << l.rule;
    c.end();
  }
}

}  // namespace digestx
