#include "summary.hpp"

#include "digestx/pipeline.hpp"

namespace digestx::cli {

std::string aspect_of(const Fact& f) { return std::string(f.aspect); }

namespace {

void count_fact(Stats& s, const Fact& f) {
  ++s.facts;
  ++s.by_kind[std::string(f.kind)];
  std::string aspect = aspect_of(f);
  ++s.by_aspect[aspect.empty() ? "null" : aspect];
  if (!f.status.empty()) ++s.by_status[std::string(f.status)];
  if (!counts_in_money_total(f) || f.unit != "元") return;
  std::string key = f.period == Period::none ? "no period" : period_name(f.period);
  if (f.year) key += " " + std::to_string(*f.year);
  Stats::Money& m = s.money[key];
  ++m.facts;
  if (auto sum = m.yuan.add(*f.value)) m.yuan = *sum;
  else m.overflow = true;
}

std::string plural(size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string counts(const std::map<std::string, size_t>& by) {
  std::string out;
  for (const auto& [name, n] : by) out += (out.empty() ? "" : ", ") + name + " " + std::to_string(n);
  return out.empty() ? "none" : out;
}

}  // namespace

Stats stats_of(const Document& doc) {
  Stats s;
  s.documents = 1;
  s.units = doc.units.size();
  for (const Sidebar& sb : doc.sidebars)
    for (const Fact& f : sb.facts) count_fact(s, f);
  for (const Unit& u : doc.units)
    for (const Fact& f : u.facts) count_fact(s, f);
  return s;
}

void add(Stats& total, const Stats& one) {
  total.documents += one.documents;
  total.units += one.units;
  total.facts += one.facts;
  for (const auto& [k, n] : one.by_kind) total.by_kind[k] += n;
  for (const auto& [k, n] : one.by_aspect) total.by_aspect[k] += n;
  for (const auto& [k, n] : one.by_status) total.by_status[k] += n;
  for (const auto& [k, m] : one.money) {
    Stats::Money& t = total.money[k];
    t.facts += m.facts;
    t.overflow |= m.overflow;
    if (auto sum = t.yuan.add(m.yuan)) t.yuan = *sum;
    else t.overflow = true;
  }
}

std::string format_stats(const Stats& s, const std::string& title) {
  std::string out = title + ": " + plural(s.units, "unit") + ", " + plural(s.facts, "fact") + "\n";
  out += "  facts by kind:    " + counts(s.by_kind) + "\n";
  out += "  facts by aspect:  " + counts(s.by_aspect) + "\n";
  if (!s.by_status.empty()) out += "  no outcomes:      " + counts(s.by_status) + " (never added)\n";
  // Every status (targets, forecasts, baselines, balances: kinds.json) is no outcome of the year:
  // named by the line above, so this one need not list them again and fall behind kinds.json.
  out += "  money by period (元, money facts of aspect amount; parts of a whole and figures with a status left out):";
  if (s.money.empty()) out += " none";
  for (const auto& [period, m] : s.money)
    out += "\n    " + period + ": " + (m.overflow ? std::string("too large to add") : m.yuan.str()) + " 元 (" +
           plural(m.facts, "fact") + ")";
  return out + "\n";
}

}  // namespace digestx::cli
