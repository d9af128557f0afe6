#include "subjects_owners.hpp"

#include <algorithm>

#include "digestx/utf.hpp"

namespace digestx {

// 研发投入占营业收入比重达到3.2%: a phrase that begins with the share word (占) reads on
// over its owner before it (picks.share_whole).
bool SubjectOwners::extend_over_share(Range& r, size_t floor, bool counting) const {
  if (f_.r_.share_whole_rule.empty() || r.second <= r.first) return false;
  auto w = f_.r_.share_words.longest_at(f_.in_.text, r.first);
  if (!w || r.first + w.len >= r.second) return false;
  bool cut = false;
  auto owner = f_.phrase_before(r.first, floor, f_.r_.max_before, &cut, counting);
  if (owner.second <= owner.first) return false;
  r.first = owner.first;
  return true;
}

// 入股农户占全村农户的三分之二: a figure right after a 的 whose clause reads X占Y is
// the share of X (入股农户), not of the whole Y.
std::optional<SubjectOwners::Range> SubjectOwners::share_owner(size_t b, size_t floor, bool counting) const {
  const auto& s = f_.in_.text;
  if (f_.r_.share_words.empty() || b <= floor || s[b - 1] != f_.r_.head_marker) return std::nullopt;
  for (size_t k = b - 1; k > floor && b - k <= f_.r_.max_before + f_.r_.max_before; --k) {
    if (f_.boundary(s[k - 1])) break;
    auto w = f_.r_.share_words.longest_ending_at(s, k);
    if (!w) continue;
    bool verb = false;
    auto owner = f_.before(k - w.len, floor, &verb, counting);
    if (owner.second > owner.first) return owner;
    break;
  }
  return std::nullopt;
}

// 为辖区2.3万名60岁以上老年人提供助餐, 36名35岁以下青年党员: a count followed by a bound
// of another measure (an age) counts the noun after that bound.
std::optional<SubjectOwners::Range> SubjectOwners::past_threshold(size_t e, size_t hi) const {
  if (!f_.figure_starts_at(e)) return std::nullopt;
  size_t unit_end = f_.counted_unit_end(e);
  return unit_end ? noun_past_bound(unit_end, hi) : std::nullopt;
}

// 全市11家二级以上公立医院, 12家县级以上龙头企业: a level and its bound right after the
// count stand for another figure's; the count's noun is past them (not 二级, 县级).
std::optional<SubjectOwners::Range> SubjectOwners::past_level(size_t e, size_t hi) const {
  auto level = f_.r_.threshold_levels.longest_at(f_.in_.text, e);
  return level ? noun_past_bound(e + level.len, hi) : std::nullopt;
}

std::optional<SubjectOwners::Range> SubjectOwners::noun_past_bound(size_t p, size_t hi) const {
  if (f_.r_.threshold_words.empty()) return std::nullopt;
  auto bound = f_.r_.threshold_words.longest_at(f_.in_.text, p);
  // 36名35岁以下的占一半: a bound with 的 is a group of its own, no noun of the count.
  size_t past = p + bound.len;
  if (!bound || past >= hi || f_.in_.text[past] == f_.r_.head_marker) return std::nullopt;
  auto noun = f_.after(past, hi);
  if (noun.second <= noun.first) return std::nullopt;
  return noun;
}

// 社区医生为近500人提供免费体检, 为近500人上门服务: a count after 为 (for) with a verb right
// after it counts the people served; the noun before 为 serves them (beneficiaries). 组织
// 100来人参加培训, 发动上千人参与: a count after a verb that sets people to work, with their
// verb right after it, counts people no noun names; 组织 is no subject (pivot_counts; not
// the tail of a noun: 全县党组织120个参加评议). The rule that says so, or empty.
std::string_view SubjectOwners::unnamed_people(size_t b, size_t e, size_t lo, size_t hi) const {
  const auto& r = f_.r_;
  const auto& t = f_.in_.text;
  if (b <= lo || e >= hi) return {};
  if (!r.stops_after.longest_at(t, e) && !r.verbs_before_figure.longest_at(t, e)) return {};
  auto prep = r.beneficiary_prepositions.longest_ending_at(t, b);
  if (!r.beneficiary_rule.empty() && prep && b - prep.len >= lo) return r.beneficiary_rule;
  auto pivot = r.pivot_verbs.longest_ending_at(t, b);
  if (r.pivot_rule.empty() || !pivot || b - pivot.len < lo) return {};
  if (auto noun = r.nouns.longest_ending_at(t, b); noun && noun.len > pivot.len) return {};
  return r.pivot_rule;
}

// The subject of the figure before this one, when this one only continues it:
// 由5个增加到12个, 6期、800余人次.
std::optional<SubjectOwners::Range> SubjectOwners::inherited(size_t p, size_t floor, size_t figure_end,
                                                             size_t sentence_end, bool* opens) const {
  const auto& s = f_.in_.text;
  bool preposition = false;  // 为, 共: also a hard stop
  // 同比增长 8% (a PDF's spacing; 增长&nbsp;8% on a page): white space between the figure
  // and the word it continues is no clause of its own.
  while (p > floor && is_space(s[p - 1])) --p;
  for (int guard = 0; guard < 4; ++guard) {
    auto c = f_.r_.copulas.longest_ending_at(s, p);
    if (c && p - c.len >= floor) {
      auto h = f_.r_.hard_stops.longest_ending_at(s, p);
      preposition = preposition || (h && h.len == c.len);
      p -= c.len;
      continue;
    }
    if (p > floor && (s[p - 1] == U'、' || s[p - 1] == ',' || s[p - 1] == U'，')) {
      // 组建医疗队12支，为近500人提供免费体检: a clause of its own (not the list 6期、
      // 800余人次, nor 签约率65.3%，比上年提高4.2个百分点).
      if (preposition) return std::nullopt;
      if (opens_clause(figure_end, sentence_end)) {
        if (opens) *opens = true;
        return std::nullopt;
      }
      --p;
      break;
    }
    break;
  }
  // 楼宇经济税收（8.6亿元）同比增长11.2%: the bracket closing the figure before ends no clause.
  if (p > floor && f_.closes_bracketed_figure(p - 1)) --p;
  for (auto it = f_.seen_.rbegin(); it != f_.seen_.rend() && it->e >= p; ++it)
    if (it->e == p && it->sb < it->se) return std::make_pair(it->sb, it->se);
  return std::nullopt;
}

// A figure after a comma with words of its own after it is the subject of its clause, no
// continuation of the figure before: 举办招聘会12场，800余人达成就业意向 (800余人 got
// 招聘会), 培训党员2300人次，约3000余人参加; not 签约率65.3%，比上年提高4.2个百分点 or
// 新建3个，改造5个, which end their clause (subjects.json picks.inherited_clause_subject).
bool SubjectOwners::opens_clause(size_t figure_end, size_t sentence_end) const {
  const auto& cs = f_.r_.inherited_clause_subject;
  if (cs.rule.empty()) return false;
  const auto& s = f_.in_.text;
  size_t q = figure_end;
  while (q < sentence_end && is_space(s[q])) ++q;
  if (q >= sentence_end || q >= s.size()) return false;
  if (cs.clause_ends.find(s[q]) != std::u32string::npos) return false;
  return !cs.continuations.longest_at(s, q);
}

// Whether the subject [sb, se) of the figure before passes on to a figure of `kind`: a
// rate's only to a rate (失业率下降0.5个百分点，比上年增加2000万元: the money has none).
bool SubjectOwners::passes_on(Range subject, std::string_view kind) const {
  const auto& ir = f_.r_.inherited_rates;
  if (ir.rule.empty() || !ir.endings.longest_ending_at(f_.in_.text, subject.second)) return true;
  if (ir.not_endings.longest_ending_at(f_.in_.text, subject.second)) return true;  // 劳动生产率: money
  return std::find(ir.kinds.begin(), ir.kinds.end(), kind) != ir.kinds.end();
}

}  // namespace digestx
