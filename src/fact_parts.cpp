// Parts of a whole (facts.json productions parts and sum): a figure inside another one
// the text states beside it. 投入资金5000万元，其中财政资金3000万元 and 党建经费120万元、
// 活动经费80万元，合计200万元 each wrote one sum of money twice; added up, the totals of
// the review page, --summary and the panel counted it twice, without a word. A part keeps
// its aspect (amount) and points at its whole (Fact::part_of); totals leave it out.
#include <algorithm>

#include "fact_text.hpp"

namespace digestx::facts {
namespace {

// How many figures a whole and its parts lie apart at most: a list of parts is short, and
// a sentence of a hundred thousand figures joined by 其中 (0元其中0元其中…) must not make
// every look quadratic.
constexpr size_t kMaxPartsApart = 32;
// How far a sum's word stands before its figure at most: 合计投入资金200万元, not the 共 of
// 与企业共建项目投入120万元 (a word inside another, far from the figure).
constexpr size_t kMaxSumWordGap = 6;

// A figure that may be a part or a whole: of a kind that adds up (kinds.json summable:
// counts, sums of money, measures; not 增长12%，其中工业增长15%), exact, not yet a part.
bool additive(const Draft& d, const KindRegistry& kinds) {
  const KindInfo* k = kinds.kind(d.kind);
  return k && k->summable && d.value && d.part_e == d.part_b;
}

// A figure that may be the whole of a list of parts: summable and exact, a part itself or not.
bool whole_like(const Draft& d, const KindRegistry& kinds) {
  const KindInfo* k = kinds.kind(d.kind);
  return k && k->summable && d.value;
}

bool is_part(const Draft& d) { return d.part_e != d.part_b; }

bool same_measure(const Draft& a, const Draft& b) { return a.kind == b.kind && a.unit == b.unit; }

// Brackets around a gloss or a list inside a part: 财政资金3000万元（其中省级资金1000万元）.
constexpr std::u32string_view kOpenBrackets = U"（(";
constexpr std::u32string_view kCloseBrackets = U"）)";

void make_part(Draft& part, const Draft& whole, std::string_view rule) {
  part.part_b = whole.b;
  part.part_e = whole.e;
  part.part_rule = rule;
}

// The end of the last of the words in [from, to), or npos.
size_t last_word_end(const Lexicon& words, std::u32string_view text, size_t from, size_t to) {
  size_t end = std::u32string::npos;
  for (size_t p = from; p < to; ++p)
    if (auto m = words.longest_at(text, p); m && p + m.len <= to) end = p + m.len;
  return end;
}

// Whether a clause break stands in [from, to): the gap between two figures only, so that
// looking is linear (a sentence of 0元其中0元其中… has no break at all).
bool breaks_within(std::u32string_view text, size_t from, size_t to, std::u32string_view breaks) {
  for (size_t p = from; p < to; ++p)
    if (breaks.find(text[p]) != std::u32string::npos) return true;
  return false;
}

// Where a list of parts stops in the gap [from, to) before a figure, as read by mark_list.
struct ListGap {
  bool stops = false;   // the list ends in the gap
  bool inner = false;   // the figure lies in a bracket a list of its own opened
  int clauses = 0;      // the breaks it goes on over (parallel_clauses): 其中A18万元，B12.4万元
  size_t clause_at = 0;  // where the clause after the last of them begins
};

// The breaks of a list: those that end it, and those a parallel clause goes on over.
struct ListBreaks {
  std::u32string_view stops, goes_on;
};

// The gap before a figure of the list: a clause break ends it (one of goes_on opens a
// clause the caller weighs); a closing bracket not opened in the list ends it too
// (投入5000万元（其中财政资金3000万元）、撬动社会资本2000万元: the 2000万 lies outside the
// bracket, and was a part); the words again (其中) open a list of the figure before them:
// it ends this one, but when they open a bracket its figures are skipped, breaks and all,
// up to its close (inner_depth: the depth of that bracket, 0 when none is open).
ListGap read_gap(std::u32string_view text, size_t from, size_t to, ListBreaks breaks, const Lexicon& words, int& depth,
                 int& inner_depth) {
  ListGap g;
  for (size_t p = from; p < to; ++p) {
    char32_t c = text[p];
    if (kOpenBrackets.find(c) != std::u32string_view::npos) {
      ++depth;
      if (inner_depth == 0 && words.longest_at(text, p + 1)) inner_depth = depth;
    } else if (kCloseBrackets.find(c) != std::u32string_view::npos) {
      if (depth == 0) return {true, false};
      if (depth-- == inner_depth) inner_depth = 0;
    } else if (inner_depth == 0) {
      bool goes_on = breaks.goes_on.find(c) != std::u32string_view::npos;
      if (goes_on && depth == 0) {
        ++g.clauses;
        g.clause_at = p + 1;
      } else if (goes_on || breaks.stops.find(c) != std::u32string_view::npos || words.longest_at(text, p)) {
        return {true, false};
      }
    }
  }
  g.inner = inner_depth > 0;
  return g;
}

// Whether [b, e) holds a word of `verbs` that [fb, fe) does not: 撬动 in 撬动社会资本 after
// 其中市级补助 (a new statement), not 达到 after 其中光伏电站收益达到 (a parallel one).
bool new_verb(std::u32string_view text, size_t b, size_t e, size_t fb, size_t fe, const Lexicon& verbs) {
  std::u32string_view first = text.substr(fb, fe - fb);
  for (size_t p = b; p < e; ++p) {
    auto m = verbs.longest_at(text, p);
    if (m && p + m.len <= e && first.find(text.substr(p, m.len)) == std::u32string_view::npos) return true;
  }
  return false;
}

// The list a mark_list call reads: the whole, where the words open it, and for clauses
// after a break (parallel_clauses) where its first part's clause began.
struct PartsList {
  size_t whole = 0, opens = 0;
  ListBreaks breaks;
  const FactPatternRules::ParallelClauses* parallel = nullptr;
};

// A clause after a break goes on the list when it is parallel to the first part's
// (rules: facts.json total.parts_after parallel_clauses): the one clause right after the
// part before it, a noun then an exact figure of the whole's measure and of the kinds
// listed, no verb the first part's clause lacks. 其中光伏电站收益18万元，农机服务收入12.4万元,
// not ，撬动社会资本200万元, nor ，单项合同额500万元以上 (a bound), nor 其中科级干部21人，移送
// 司法机关7人 (a count: its verbs are too many to list).
bool parallel_clause(const std::vector<Draft>& drafts, std::u32string_view text, const PartsList& l, const ListGap& g,
                     size_t p, size_t first_part, const KindRegistry& kinds) {
  if (!l.parallel || g.clauses != 1 || g.inner || first_part >= p) return false;
  const Draft& d = drafts[p];
  const auto& pc = *l.parallel;
  auto listed = [](const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  if (!additive(d, kinds) || !same_measure(d, drafts[l.whole]) || !listed(pc.kinds, d.kind) || d.range ||
      listed(pc.not_qualifiers, d.qualifier))
    return false;
  size_t lead_b = g.clause_at, first_b = l.opens, first_e = drafts[first_part].b;
  while (lead_b < d.b && (text[lead_b] == U' ' || text[lead_b] == U'\u3000')) ++lead_b;
  size_t most = pc.max_lead_chars;
  if (lead_b >= d.b || d.b - lead_b > most || first_e - first_b > most) return false;
  return !new_verb(text, lead_b, d.b, first_b, first_e, pc.verbs);
}

// The parts of drafts[w] from drafts[k] on, the list opening at `opens`: the figures of its
// kind and unit in the clause the words open, with its list (其中财政资金3000万元、社会资本
// 2000万元), and the parallel clauses after it, while they come to no more than it; not a
// later clause of its own (其中财政资金3000万元，撬动社会资本1000万元: outside the 5000万),
// nor the parts of a part (its own list).
void mark_list(std::vector<Draft>& drafts, std::u32string_view text, size_t k, const PartsList& l, const Lexicon& words,
               const KindRegistry& kinds, std::string_view rule) {
  const Draft& whole = drafts[l.whole];
  Decimal sum = Decimal::of(0);
  int depth = 0, inner_depth = 0;
  size_t first_part = drafts.size();
  std::string_view named = rule;  // the rule parts from here on name
  for (size_t p = k; p < drafts.size() && p - k < kMaxPartsApart; ++p) {
    ListGap g = read_gap(text, p == k ? l.opens : drafts[p - 1].e, drafts[p].b, l.breaks, words, depth, inner_depth);
    if (g.stops) break;
    if (g.clauses > 0) {
      if (!parallel_clause(drafts, text, l, g, p, first_part, kinds)) break;
      named = l.parallel->name;
    }
    if (g.inner || !additive(drafts[p], kinds) || !same_measure(drafts[p], whole)) continue;
    auto next = sum.add(*drafts[p].value);
    if (!next || *whole.value < *next) break;
    sum = *next;
    make_part(drafts[p], whole, named);
    first_part = std::min(first_part, p);
  }
}

// Whether a sentence ends between `from` and `to` (the sentence terminators of
// sentences.json, written here as the splitter has them).
bool sentence_end_between(std::u32string_view text, size_t from, size_t to) {
  return from < to && text.substr(from, to - from).find_first_of(U"。；;！？!?") != std::u32string_view::npos;
}

// Whether a figure of the list opening at drafts[k] (to its sentence's end, kMaxPartsApart
// figures at most) has the measure of `whole`.
bool measure_in_list(const std::vector<Draft>& drafts, std::u32string_view text, size_t k, const Draft& whole) {
  for (size_t p = k; p < drafts.size() && p - k < kMaxPartsApart; ++p) {
    if (p > k && sentence_end_between(text, drafts[p - 1].e, drafts[p].b)) break;
    if (same_measure(drafts[p], whole)) return true;
  }
  return false;
}

}  // namespace

void mark_parts_after(std::vector<Draft>& drafts, std::u32string_view text, const FactPatternRules::CombineRule& rule,
                      std::u32string_view clause_breaks, const KindRegistry& kinds) {
  const Lexicon& words = *rule.items[1].words;
  // 其中：财政资金60万元；社会资本40万元: after a colon the list of parts runs over ；
  // (each part its own item), to the sentence end; without it ； ends the clause.
  // Made once a list opens after a colon: most stretches hold none (it was two
  // allocations for each of 9,000 stretches of the bench slice).
  std::u32string list_breaks;
  auto breaks_after_colon = [&]() -> std::u32string_view {
    if (list_breaks.empty())
      for (char32_t c : clause_breaks)
        if (c != U'；' && c != U';') list_breaks.push_back(c);
    return list_breaks;
  };
  for (size_t k = 1; k < drafts.size(); ++k) {
    size_t word_end = last_word_end(words, text, drafts[k - 1].e, drafts[k].b);
    if (word_end == std::u32string::npos) continue;
    // The whole: the nearest figure before the words that adds up, at most kMaxPartsApart
    // figures back (a sentence end between does not stop it: 。其中… leans on the one before),
    // a part itself when the words open a list inside it: in 投入资金5000万元，其中财政资金
    // 3000万元（其中省级资金1000万元） the 1000万 is of the 3000万 (it pointed at the 5000万,
    // whose parts then came to 6000万).
    size_t w = k;
    while (w-- > 0 && k - w <= kMaxPartsApart && !whole_like(drafts[w], kinds)) {
    }
    if (w >= k || k - w > kMaxPartsApart || !whole_like(drafts[w], kinds)) continue;
    // Over a figure of another measure to the nearest of the first part's: in 投入资金1280万元
    // 改造老旧小区21个，其中中央补助资金760万元、县级配套资金520万元 the money is of the 1280万
    // (the 21个 took the list, no part was linked, and --summary added 2560万元).
    // Only where no figure of the list is of its measure: in 全镇18个村集体经济收入全部超过
    // 10万元，其中6个村… the 6个 is of the 18个, in 新发展党员45名，其中35岁以下的32名 of the 45名.
    // In its own sentence only (楼宇税收达到9.6亿元，其中亿元楼宇6栋 is of no 23栋 before).
    if (!measure_in_list(drafts, text, k, drafts[w]))
      for (size_t v = w; v-- > 0 && k - v <= kMaxPartsApart;) {
        if (sentence_end_between(text, drafts[v].e, drafts[v + 1].b)) break;
        if (whole_like(drafts[v], kinds) && same_measure(drafts[v], drafts[k])) {
          w = v;
          break;
        }
      }
    bool colon = word_end < drafts[k].b && (text[word_end] == U'：' || text[word_end] == U':');
    PartsList l{w, word_end, {}, rule.parallel ? &*rule.parallel : nullptr};
    // The break right after the words opens the clause: 其中，财政资金…
    while (l.opens < drafts[k].b && clause_breaks.find(text[l.opens]) != std::u32string::npos) ++l.opens;
    // The breaks a parallel clause goes on over end the list no more (，, and ； after 其中：).
    std::u32string_view goes_on;
    if (l.parallel) goes_on = colon ? l.parallel->breaks_after_colon : l.parallel->breaks;
    std::u32string_view base = colon ? breaks_after_colon() : clause_breaks;
    std::u32string stops;
    for (char32_t c : base)
      if (goes_on.find(c) == std::u32string_view::npos) stops.push_back(c);
    l.breaks = {stops, goes_on};
    mark_list(drafts, text, k, l, words, kinds, rule.name);
  }
}

void mark_sum_after(std::vector<Draft>& drafts, std::u32string_view text, const FactPatternRules::CombineRule& rule,
                    std::u32string_view clause_breaks, const KindRegistry& kinds) {
  const Lexicon& words = *rule.items[0].words;
  for (size_t k = 1; k < drafts.size(); ++k) {
    const Draft& total = drafts[k];
    if (!additive(total, kinds)) continue;
    // Only a word ending within kMaxSumWordGap of the figure counts: no need to read the
    // gap before that (a word ending there starts at most max_len before it).
    size_t reach = kMaxSumWordGap + words.max_len();
    size_t from = std::max(drafts[k - 1].e, total.b > reach ? total.b - reach : 0);
    size_t word_end = last_word_end(words, text, from, total.b);
    if (word_end == std::u32string::npos || total.b - word_end > kMaxSumWordGap ||
        breaks_within(text, word_end, total.b, clause_breaks))
      continue;
    // The figures right before it, of its kind and unit, that add up to it exactly. A part
    // of one of them lies inside it and is passed over: in 投入资金100万元，其中财政资金60万元、
    // 社会资本40万元，合计100万元 the 合计 restates the 100万 (both stood as wholes: --summary
    // gave 200万), which becomes its part as 60万 and 40万 stay the 100万's.
    Decimal sum = Decimal::of(0);
    size_t first = k, summands = 0, inner_whole = total.b;  // the first whole a passed part is of
    while (first > 0 && k - first < kMaxPartsApart && same_measure(drafts[first - 1], total)) {
      const Draft& d = drafts[first - 1];
      if (is_part(d) && whole_like(d, kinds)) {
        inner_whole = std::min(inner_whole, d.part_b);
        --first;
        continue;
      }
      if (!additive(d, kinds)) break;
      auto next = sum.add(*d.value);
      if (!next || *total.value < *next) break;
      sum = *next;
      --first;
      ++summands;
      if (sum == *total.value) break;
    }
    // One figure alone is no sum, unless it is the whole of the parts passed (a restatement);
    // a part of a whole before the sum's figures is of none of them.
    bool passed = inner_whole < total.b;
    if (!(sum == *total.value) || summands == 0 || (summands < 2 && !passed) ||
        (passed && inner_whole < drafts[first].b))
      continue;
    for (size_t p = first; p < k; ++p)
      if (!is_part(drafts[p])) make_part(drafts[p], total, rule.name);
  }
}

// Once aspects and periods are known. “十四五”以来，累计完成固定资产投资520亿元，其中…: the
// whole is a running total no total adds, so a part of it is none here; 总投资达1.2万亿元，
// 其中百亿元级项目3个: 百亿元 grades the projects (threshold), no share of the sum. And a
// whole and its parts are of one period: 去年投入资金300万元，今年计划投入200万元，合计500万元
// made the plan a part of last year's sum; where they are not, no figure of that whole is
// a part. The drafts are in text order: a whole by binary search.
void keep_parts_of_summed(std::vector<Draft>& drafts, const KindRegistry& kinds,
                          const std::function<Period(size_t)>& period_of) {
  auto summed = [&](std::string_view aspect) {
    int a = kinds.aspect_index(aspect);
    return a >= 0 && kinds.aspects[size_t(a)].summable;
  };
  auto whole_of = [&](const Draft& d) -> Draft* {
    auto it = std::lower_bound(drafts.begin(), drafts.end(), d.part_b, [](const Draft& w, size_t b) { return w.b < b; });
    return it != drafts.end() && it->b == d.part_b && it->e == d.part_e ? &*it : nullptr;
  };
  std::vector<size_t> broken_wholes;  // the starts of wholes a part of which fails
  for (const Draft& d : drafts) {
    if (d.part_e == d.part_b) continue;
    const Draft* whole = whole_of(d);
    if (!whole || !summed(whole->aspect) || !summed(d.aspect) || period_of(whole->nb) != period_of(d.nb))
      broken_wholes.push_back(d.part_b);
  }
  std::sort(broken_wholes.begin(), broken_wholes.end());
  for (Draft& d : drafts) {
    if (d.part_e == d.part_b || !std::binary_search(broken_wholes.begin(), broken_wholes.end(), d.part_b)) continue;
    d.part_b = d.part_e = 0;
    d.part_rule = {};
  }
}

}  // namespace digestx::facts
