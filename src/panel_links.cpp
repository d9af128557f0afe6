// Plans against outcomes: a this_year fact of the digest of Y-1 linked to a last_year
// fact of the digest of Y, of the same organisation, kind, unit (and aspect when facts
// carry one), with subjects related by a rule of rules/panel.json. Each plan gets at
// most one outcome and each outcome at most one plan: the best subject score first,
// and among equal scores the value nearest the plan (新增网格党支部20个 planned; 新增23个
// rather than 全区达到75个).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "digestx/panel.hpp"

namespace digestx {

namespace {

struct Candidate {
  double score = 0, distance = 0;
  size_t plan = 0, row = 0, outcome = 0;
  const SubjectRule* rule = nullptr;
};

bool comparable(const PanelFact& plan, const PanelFact& outcome) {
  if (plan.kind != outcome.kind || plan.unit != outcome.unit) return false;
  return plan.aspect.empty() || outcome.aspect.empty() || plan.aspect == outcome.aspect;
}

// How far the outcome is from the plan, as |log(achieved / planned)|.
double distance(const PanelFact& plan, const PanelFact& outcome) {
  double a = plan.value.to_double(), b = outcome.value.to_double();
  if (a <= 0 || b <= 0) return 1e9;
  return std::fabs(std::log(b / a));
}

std::vector<std::u32string> subjects(const std::vector<PanelFact>& facts, const PanelRules& rules) {
  std::vector<std::u32string> out;
  for (const PanelFact& f : facts) out.push_back(panel_normal(f.subject, rules));
  return out;
}

// Two generic subjects (资金) that are one: the same head with the same characters right
// before it (安排建设资金600万元 planned, 投入建设资金580万元 reported; not 投入资金150万元
// and 发放困难党员慰问资金12万元).
const SubjectRule* same_generic(const PanelFact& plan, const std::u32string& planned, const PanelFact& outcome,
                                const std::u32string& achieved, const PanelRules& rules) {
  if (planned != achieved || !generic_subject(planned, rules) || plan.modifier.empty()) return nullptr;
  return panel_normal(plan.modifier, rules) == panel_normal(outcome.modifier, rules) ? &rules.generic_rule : nullptr;
}

std::vector<Candidate> candidates(const Panel& p, const PanelRow& from, const std::vector<size_t>& to,
                                  const PanelRules& rules) {
  const PanelUnit& a = p.digests[from.digest].units[from.unit];
  std::vector<std::u32string> planned = subjects(a.plans, rules);
  std::vector<Candidate> out;
  for (size_t r : to) {
    const PanelUnit& b = p.digests[p.rows[r].digest].units[p.rows[r].unit];
    std::vector<std::u32string> achieved = subjects(b.outcomes, rules);
    for (size_t i = 0; i < a.plans.size(); ++i)
      for (size_t j = 0; j < b.outcomes.size(); ++j) {
        if (!comparable(a.plans[i], b.outcomes[j])) continue;
        const SubjectRule* rule = match_subjects(planned[i], achieved[j], rules);
        if (!rule) rule = same_generic(a.plans[i], planned[i], b.outcomes[j], achieved[j], rules);
        if (rule) out.push_back({rule->score, distance(a.plans[i], b.outcomes[j]), i, r, j, rule});
      }
  }
  std::stable_sort(out.begin(), out.end(), [](const Candidate& x, const Candidate& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.distance < y.distance;
  });
  return out;
}

PanelLink make_link(const Panel& p, size_t from_row, const Candidate& c, bool tie, const PanelRules& rules) {
  const PanelRow &a = p.rows[from_row], &b = p.rows[c.row];
  PanelLink l;
  l.org = a.org;
  l.planned = {a.digest, a.unit, c.plan};
  l.achieved = {b.digest, b.unit, c.outcome};
  const Decimal& planned = p.digests[a.digest].units[a.unit].plans[c.plan].value;
  const Decimal& achieved = p.digests[b.digest].units[b.unit].outcomes[c.outcome].value;
  if (!planned.is_zero()) l.ratio = achieved.div(planned, 4);
  l.rule = c.rule->name;
  if (tie) l.tie_rule = rules.tie_rule;
  return l;
}

// Why a plan found no outcome in the next year's rows of its organisation: it has no
// subject (开展防返贫监测排查4轮), a bare generic one (投入资金150万元: 资金, rule
// subject.generic_head), or none of the outcomes matched.
const char* why_unmatched(const PanelFact& plan, const PanelRules& rules) {
  std::u32string subject = panel_normal(plan.subject, rules);
  if (subject.empty()) return "no_subject";
  if (generic_subject(subject, rules)) return "generic_subject";
  return "no_matching_outcome";
}

// The plans of one row against the outcomes of the rows of the next year.
void link_row(Panel& p, size_t from_row, const std::vector<size_t>& to, const PanelRules& rules) {
  std::vector<Candidate> cands = candidates(p, p.rows[from_row], to, rules);
  const PanelUnit& a = p.digests[p.rows[from_row].digest].units[p.rows[from_row].unit];
  std::vector<bool> planned(a.plans.size(), false);
  std::set<std::pair<size_t, size_t>> achieved;
  std::vector<PanelLink> links;
  for (const Candidate& c : cands) {
    if (planned[c.plan] || achieved.count({c.row, c.outcome})) continue;
    bool tie = std::any_of(cands.begin(), cands.end(), [&](const Candidate& o) {
      return o.plan == c.plan && o.score == c.score && (o.row != c.row || o.outcome != c.outcome);
    });
    planned[c.plan] = true;
    achieved.insert({c.row, c.outcome});
    links.push_back(make_link(p, from_row, c, tie, rules));
  }
  // In the order of the plans in the text, whatever order they were matched in.
  std::sort(links.begin(), links.end(), [](const PanelLink& x, const PanelLink& y) { return x.planned.fact < y.planned.fact; });
  p.links.insert(p.links.end(), links.begin(), links.end());
  const PanelRow& r = p.rows[from_row];
  for (size_t i = 0; i < planned.size(); ++i)
    if (!planned[i]) p.unmatched_plans.push_back({r.org, {r.digest, r.unit, i}, why_unmatched(a.plans[i], rules)});
}

}  // namespace

void link_plans(Panel& p, const PanelRules& rules) {
  std::set<std::pair<std::string, int>> digest_years;  // (region, year) of every digest given
  for (const PanelDigest& d : p.digests)
    if (d.year) digest_years.insert({d.region, *d.year});
  std::map<std::pair<size_t, int>, std::vector<size_t>> rows_of;  // (org, year) -> rows
  for (size_t i = 0; i < p.rows.size(); ++i)
    if (auto y = p.digests[p.rows[i].digest].year) rows_of[{p.rows[i].org, *y}].push_back(i);
  for (size_t i = 0; i < p.rows.size(); ++i) {
    const PanelRow& r = p.rows[i];
    const PanelDigest& d = p.digests[r.digest];
    if (!d.year || d.units[r.unit].plans.empty()) continue;
    auto next = rows_of.find({r.org, *d.year + 1});
    if (next != rows_of.end()) {
      link_row(p, i, next->second, rules);
      continue;
    }
    const char* reason = digest_years.count({d.region, *d.year + 1}) ? "no_row" : "no_digest";
    for (size_t k = 0; k < d.units[r.unit].plans.size(); ++k) p.unmatched_plans.push_back({r.org, {r.digest, r.unit, k}, reason});
  }
}

}  // namespace digestx
