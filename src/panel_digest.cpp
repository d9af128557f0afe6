// What the panel keeps of one document: per unit its heading fields, fact counts,
// summed money and the facts that can be plans or outcomes, as plain strings. The
// document (its text, paragraphs and sentences) can be dropped right after, so a
// panel of a thousand digests holds their facts, not their texts.
#include <algorithm>

#include "digestx/output.hpp"
#include "digestx/panel.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/utf.hpp"
#include "registry_generated.hpp"

namespace digestx {

std::string_view fact_aspect(const Fact& f) { return f.aspect; }

// Money in 元 that totals may add; what may be added is decided once, in the pipeline.
bool is_summable_money(const Fact& f) { return counts_in_money_total(f) && f.unit == "元"; }

namespace {

void add_money(MoneySum& m, const Fact& f) {
  ++m.facts;
  if (!f.qualifier.empty() || f.range) m.approximate = true;
  auto sum = m.yuan.add(*f.value);
  if (sum) m.yuan = *sum;
  else m.overflow = true;
}

// A fact that may be a plan or an outcome. One without a subject may still be a plan
// (开展防返贫监测排查4轮): it is listed unmatched (no_subject), never dropped unseen.
bool can_link(const Fact& f, const PanelRules& rules) {
  if (!f.value || !f.year) return false;
  if (std::find(rules.linkable_kinds.begin(), rules.linkable_kinds.end(), f.kind) == rules.linkable_kinds.end())
    return false;
  // 对照年初确定的新增高标准农田1万亩的目标，全年新增9800亩: the 1万亩 (a target) was linked to
  // the plan 新增高标准农田1万亩 at ratio 1, a shortfall reported as met.
  if (!f.status.empty() && std::find(rules.unlinkable_statuses.begin(), rules.unlinkable_statuses.end(), f.status) !=
                               rules.unlinkable_statuses.end())
    return false;
  std::string_view aspect = fact_aspect(f);
  return std::find(rules.unlinkable_aspects.begin(), rules.unlinkable_aspects.end(), aspect) ==
         rules.unlinkable_aspects.end();
}

// Of a generic subject (资金), the Han characters right before it in its clause, at
// most n: 建设 of 安排建设资金600万元, 慰问 of 发放困难党员慰问资金12万元.
std::string modifier(const Document& doc, const Fact& f, size_t n) {
  uint32_t start = f.subject.front().start, from = start;
  while (from > 0 && start - from < n && is_han(doc.text[from - 1])) --from;
  return slice(doc.text, Span{from, start});
}

PanelFact keep(const Document& doc, const Fact& f, const PanelRules& rules) {
  PanelFact p;
  p.text = slice(doc.page.source(doc.text), doc.page.to_page(f.span));
  p.subject = slice(doc.text, f.subject);
  if (!f.subject.empty() && generic_subject(panel_normal(p.subject, rules), rules))
    p.modifier = modifier(doc, f, rules.generic_context_chars);
  p.unit = f.unit;
  p.kind = f.kind;
  p.qualifier = f.qualifier;
  p.aspect = fact_aspect(f);
  p.value = *f.value;
  if (f.range) p.range_high = f.range->second;
  p.year = *f.year;
  p.span = doc.page.to_page(f.span);
  return p;
}

PanelUnit unit_for_panel(const Document& doc, const Unit& u, size_t index, const PanelRules& rules) {
  PanelUnit pu;
  pu.index = index;
  pu.organization = field_slice(doc.text, u.organization);
  pu.role = field_slice(doc.text, u.role);
  pu.name = field_slice(doc.text, u.name);
  pu.headline = slice(doc.text, u.headline);
  pu.span = doc.page.to_page(covering(u.heading));
  for (const Fact& f : u.facts) {
    ++pu.facts;
    ++pu.by_kind[std::string(f.kind)];
    if (is_summable_money(f) && f.period != Period::none)
      add_money(f.period == Period::last_year ? pu.money_last_year : pu.money_this_year, f);
    if (!can_link(f, rules)) continue;
    // A plan of the digest of Y-1 is a this_year fact of year Y; an outcome of the
    // digest of Y a last_year fact of year Y.
    bool plan = f.period == Period::this_year && doc.report_year && *f.year == *doc.report_year + 1;
    bool outcome = f.period == Period::last_year && doc.report_year && *f.year == *doc.report_year;
    if (plan) pu.plans.push_back(keep(doc, f, rules));
    if (outcome && !f.subject.empty()) pu.outcomes.push_back(keep(doc, f, rules));
  }
  return pu;
}

}  // namespace

PanelDigest digest_for_panel(const Document& doc, const PanelRules& rules) {
  PanelDigest d;
  d.source = doc.source.path;
  // The region as extract gives it: --region or the path's (--path-fields
  // '{region}/{year}.txt') before the text's. Without it 石桥镇党委 of 桐溪县/2022.txt and
  // of 柳江县/2023.txt were one organisation, with a change of secretary across counties.
  d.region = region_of(doc);
  d.year = doc.report_year;
  for (size_t i = 0; i < doc.units.size(); ++i) {
    const Unit& u = doc.units[i];
    if (u.organization.empty()) continue;  // no heading: nothing to follow across years
    d.units.push_back(unit_for_panel(doc, u, i, rules));
  }
  return d;
}

}  // namespace digestx
