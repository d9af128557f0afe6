// The panel as JSON (one digestx-panel/1 object, or JSON lines with a "type") and as
// CSV tables (panel-csv: one row per organisation and year; links-csv: one row per
// link), with the conventions of the other tables (RFC 4180, CRLF, empty = null).
#include "digestx/output.hpp"
#include "digestx/output_csv.hpp"
#include "digestx/panel.hpp"
#include "digestx/utf.hpp"

namespace digestx {

namespace {

// A small JSON writer: indented (pretty) or compact, values exact.
class Json {
 public:
  Json(std::string& out, bool pretty) : out_(out), pretty_(pretty) {}
  Json& open(char c) {
    item();
    out_ += c;
    first_.push_back(true);
    return *this;
  }
  Json& close(char c) {
    bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ += c;
    return *this;
  }
  Json& key(const char* k) {
    item();
    append_json_string(out_, k);
    out_ += pretty_ ? ": " : ":";
    keyed_ = true;
    return *this;
  }
  Json& str(std::string_view v) { return raw_item([&] { append_json_string(out_, v); }); }
  Json& null_or(std::string_view v) { return v.empty() ? raw("null") : str(v); }
  Json& raw(std::string_view v) { return raw_item([&] { out_ += v; }); }
  Json& num(size_t v) { return raw(std::to_string(v)); }
  Json& dec(const std::optional<Decimal>& d) { return raw(d ? d->str() : "null"); }
  Json& flag(bool b) { return raw(b ? "true" : "false"); }
  Json& span(Span s) {  // on one line, as the documents' spans
    return raw("[" + std::to_string(s.start) + (pretty_ ? ", " : ",") + std::to_string(s.end) + "]");
  }

 private:
  template <class F>
  Json& raw_item(F write) {
    item();
    write();
    return *this;
  }
  void item() {
    if (keyed_) {
      keyed_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    newline();
  }
  void newline() {
    if (!pretty_) return;
    out_ += '\n';
    out_.append(2 * first_.size(), ' ');
  }
  std::string& out_;
  bool pretty_;
  bool keyed_ = false;
  std::vector<bool> first_;
};

std::string without_spaces(const std::string& s) {  // 陈　光 -> 陈光
  std::string out;
  for (char32_t c : from_utf8(s))
    if (!is_space(c)) append_utf8(out, c);
  return out;
}

const PanelFact& planned_fact(const Panel& p, const PanelRef& r) { return p.digests[r.digest].units[r.unit].plans[r.fact]; }
const PanelFact& achieved_fact(const Panel& p, const PanelRef& r) {
  return p.digests[r.digest].units[r.unit].outcomes[r.fact];
}

void money(Json& j, const MoneySum& m) {
  j.open('{').key("yuan").raw(m.overflow ? "null" : m.yuan.str()).key("facts").num(m.facts);
  j.key("approximate").flag(m.approximate).close('}');
}

void org_fields(Json& j, const Panel& p, size_t org) {
  j.key("organization").str(p.orgs[org].key).key("region").null_or(p.orgs[org].region);
}

void row(Json& j, const Panel& p, const PanelRow& r, const PanelOutputOptions& o) {
  const PanelOrg& org = p.orgs[r.org];
  const PanelDigest& d = p.digests[r.digest];
  const PanelUnit& u = d.units[r.unit];
  org_fields(j, p, r.org);
  j.key("aliases").open('[');
  for (const auto& a : org.aliases) j.str(a);
  j.close(']');
  if (o.explain) {
    j.key("alias_rules").open('[');
    for (size_t i = 0; i < org.aliases.size(); ++i)
      j.open('{').key("alias").str(org.aliases[i]).key("rule").str(org.alias_rules[i]).close('}');
    j.close(']');
  }
  j.key("year").raw(d.year ? std::to_string(*d.year) : "null");
  j.key("as_written").str(u.organization).key("role").null_or(u.role).key("name").null_or(without_spaces(u.name));
  j.key("headline").null_or(u.headline).key("source").str(d.source).key("unit_index").num(u.index);
  j.key("span").span(u.span).key("facts").num(u.facts).key("facts_by_kind").open('{');
  for (const auto& [kind, n] : u.by_kind) j.key(kind.c_str()).num(n);
  j.close('}').key("amount_money").open('{');
  j.key("last_year");
  money(j, u.money_last_year);
  j.key("this_year");
  money(j, u.money_this_year);
  j.close('}');
}

void fact(Json& j, const Panel& p, const PanelRef& r, const PanelFact& f) {
  const PanelDigest& d = p.digests[r.digest];
  j.open('{').key("text").str(f.text).key("value").dec(f.value).key("qualifier").null_or(f.qualifier);
  j.key("range");
  if (f.range_high) j.open('[').dec(f.value).dec(f.range_high).close(']');
  else j.raw("null");
  j.key("subject").null_or(f.subject).key("year").num(size_t(f.year)).key("source").str(d.source);
  j.key("unit_index").num(d.units[r.unit].index).key("span").span(f.span).close('}');
}

void link(Json& j, const Panel& p, const PanelLink& l, const PanelOutputOptions& o) {
  const PanelFact& planned = planned_fact(p, l.planned);
  org_fields(j, p, l.org);
  j.key("subject").str(planned.subject).key("kind").str(planned.kind).key("unit").null_or(planned.unit);
  j.key("planned");
  fact(j, p, l.planned, planned);
  j.key("achieved");
  fact(j, p, l.achieved, achieved_fact(p, l.achieved));
  j.key("ratio").dec(l.ratio);
  if (o.explain) {
    j.key("rule").str(l.rule);
    if (!l.tie_rule.empty()) j.key("tie_rule").str(l.tie_rule);
  }
}

void unmatched(Json& j, const Panel& p, const UnmatchedPlan& u) {
  const PanelFact& planned = planned_fact(p, u.planned);
  org_fields(j, p, u.org);
  j.key("subject").null_or(planned.subject).key("kind").str(planned.kind).key("unit").null_or(planned.unit);
  j.key("planned");
  fact(j, p, u.planned, planned);
  j.key("reason").str(u.reason);
}

void change(Json& j, const Panel& p, const SecretaryChange& c, const PanelOutputOptions& o) {
  const PanelRow &a = p.rows[c.from_row], &b = p.rows[c.to_row];
  const PanelUnit &ua = p.digests[a.digest].units[a.unit], &ub = p.digests[b.digest].units[b.unit];
  org_fields(j, p, c.org);
  j.key("from").str(without_spaces(ua.name)).key("to").str(without_spaces(ub.name));
  j.key("year").num(size_t(*p.digests[b.digest].year)).key("from_year").num(size_t(*p.digests[a.digest].year));
  j.key("from_role").null_or(ua.role).key("to_role").null_or(ub.role);
  j.key("from_source").str(p.digests[a.digest].source).key("from_span").span(ua.span);
  j.key("to_source").str(p.digests[b.digest].source).key("to_span").span(ub.span);
  if (o.explain) j.key("rule").str(c.rule);
}

// Each item of the panel in order, written by `item(type, write)`.
template <class Item>
void each_item(const Panel& p, const PanelOutputOptions& o, Item item) {
  for (const PanelRow& r : p.rows) item("row", [&](Json& j) { row(j, p, r, o); });
  for (const PanelLink& l : p.links) item("link", [&](Json& j) { link(j, p, l, o); });
  for (const UnmatchedPlan& u : p.unmatched_plans) item("unmatched_plan", [&](Json& j) { unmatched(j, p, u); });
  for (const SecretaryChange& c : p.secretary_changes)
    item("secretary_change", [&](Json& j) { change(j, p, c, o); });
}

}  // namespace

void write_panel_json(std::string& out, const Panel& p, const PanelOutputOptions& o) {
  Json j(out, o.pretty);
  j.open('{').key("format").str("digestx-panel/1");
  // Every list is there, empty or not: a script can always index it.
  const char* open_list = nullptr;
  auto start_list = [&](const char* type) {
    if (open_list == type) return;
    if (open_list) j.close(']');
    std::string name = std::string(type) == "row" ? "rows" : std::string(type) + "s";
    j.key(name.c_str()).open('[');
    open_list = type;
  };
  for (const char* type : {"row", "link", "unmatched_plan", "secretary_change"}) {
    start_list(type);
    each_item(p, o, [&](const char* t, auto write) {
      if (std::string(t) != type) return;
      j.open('{');
      write(j);
      j.close('}');
    });
  }
  j.close(']').close('}');
  out += '\n';
}

void write_panel_jsonl(std::string& out, const Panel& p, const PanelOutputOptions& o) {
  each_item(p, o, [&](const char* type, auto write) {
    Json j(out, false);
    j.open('{').key("type").str(type);
    write(j);
    j.close('}');
    out += '\n';
  });
}

}  // namespace digestx
