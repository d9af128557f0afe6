// Parts of a whole (facts.json productions parts and sum): a figure inside another one
// the text states beside it. 投入资金5000万元，其中财政资金3000万元 and 党建经费120万元、
// 活动经费80万元，合计200万元 each wrote one sum of money twice; added up, the totals of
// the review page, --summary and the panel counted it twice, without a word. A part keeps
// its aspect (amount) and points at its whole (Fact::part_of); totals leave it out.
#include <algorithm>

#include "fact_text.hpp"

namespace digestx::facts {
namespace {

size_t sentence_index(const std::vector<size_t>& starts, size_t pos) {
  auto it = std::upper_bound(starts.begin(), starts.end(), pos);
  return it == starts.begin() ? 0 : size_t(it - starts.begin()) - 1;
}

// A figure that may be a part or a whole: of a kind that adds up (kinds.json summable:
// counts, sums of money, measures; not 增长12%，其中工业增长15%), exact, not yet a part.
bool additive(const Draft& d, const KindRegistry& kinds) {
  const KindInfo* k = kinds.kind(d.kind);
  return k && k->summable && d.value && d.part_e == d.part_b;
}

bool same_measure(const Draft& a, const Draft& b) { return a.kind == b.kind && a.unit == b.unit; }

// How many figures a whole and its parts lie apart at most: a list of parts is short, and
// a sentence of a hundred thousand figures joined by 其中 (0元其中0元其中…) must not make
// every look quadratic.
constexpr size_t kMaxPartsApart = 32;

void make_part(Draft& part, const Draft& whole, std::string_view rule) {
  part.part_b = whole.b;
  part.part_e = whole.e;
  part.part_rule = rule;
}

}  // namespace

void mark_parts_after(std::vector<Draft>& drafts, std::u32string_view text, const FactPatternRules::CombineRule& rule,
                      const std::vector<size_t>& sentence_starts, const KindRegistry& kinds) {
  const Lexicon& words = *rule.items[1].words;
  for (size_t k = 1; k < drafts.size(); ++k) {
    size_t sentence = sentence_index(sentence_starts, drafts[k].b);
    if (!words.occurs_within(text, drafts[k - 1].e, drafts[k].b)) continue;
    // The whole: the nearest figure before the words in the sentence that adds up.
    size_t w = k;
    while (w-- > 0 && k - w <= kMaxPartsApart && sentence_index(sentence_starts, drafts[w].b) == sentence &&
           !additive(drafts[w], kinds)) {
    }
    if (w >= k || k - w > kMaxPartsApart || sentence_index(sentence_starts, drafts[w].b) != sentence ||
        !additive(drafts[w], kinds))
      continue;
    const Draft& whole = drafts[w];
    // Its parts: the figures of its kind and unit after the words, in the sentence, while
    // they come to no more than it (其中财政资金3000万元，带动社会投资2亿元: not the 2亿).
    Decimal sum = Decimal::of(0);
    for (size_t p = k; p < drafts.size() && p - k < kMaxPartsApart && sentence_index(sentence_starts, drafts[p].b) == sentence;
         ++p) {
      if (!additive(drafts[p], kinds) || !same_measure(drafts[p], whole)) continue;
      auto next = sum.add(*drafts[p].value);
      if (!next || *whole.value < *next) break;
      sum = *next;
      make_part(drafts[p], whole, rule.name);
    }
  }
}

void mark_sum_after(std::vector<Draft>& drafts, std::u32string_view text, const FactPatternRules::CombineRule& rule,
                    const std::vector<size_t>& sentence_starts, const KindRegistry& kinds) {
  const Lexicon& words = *rule.items[0].words;
  for (size_t k = 1; k < drafts.size(); ++k) {
    const Draft& total = drafts[k];
    if (!additive(total, kinds) || !words.occurs_within(text, drafts[k - 1].e, total.b)) continue;
    size_t sentence = sentence_index(sentence_starts, total.b);
    // The figures right before it, of its kind and unit, that add up to it exactly.
    Decimal sum = Decimal::of(0);
    size_t first = k;
    while (first > 0 && k - first < kMaxPartsApart && sentence_index(sentence_starts, drafts[first - 1].b) == sentence &&
           additive(drafts[first - 1], kinds) && same_measure(drafts[first - 1], total)) {
      auto next = sum.add(*drafts[first - 1].value);
      if (!next || *total.value < *next) break;
      sum = *next;
      --first;
      if (sum == *total.value) break;
    }
    if (first == k || !(sum == *total.value) || k - first < 2) continue;
    for (size_t p = first; p < k; ++p) make_part(drafts[p], total, rule.name);
  }
}

// “十四五”以来，累计完成固定资产投资520亿元，其中今年完成115亿元: the whole is a running
// total no total adds; a part of it that is the year's own amount must still be added, so
// it is no part here. 总投资达1.2万亿元，其中百亿元级项目3个: 百亿元 grades the projects
// (threshold), no share of the sum. A part keeps its standing only where both it and its
// whole are of a summed aspect.
void keep_parts_of_summed(std::vector<Draft>& drafts, const KindRegistry& kinds) {
  auto summed = [&](std::string_view aspect) {
    int a = kinds.aspect_index(aspect);
    return a >= 0 && kinds.aspects[size_t(a)].summable;
  };
  for (Draft& d : drafts) {
    if (d.part_e == d.part_b) continue;
    // The drafts are in text order: the whole by binary search (a paragraph may hold
    // a hundred thousand figures).
    auto whole = std::lower_bound(drafts.begin(), drafts.end(), d.part_b, [](const Draft& w, size_t b) { return w.b < b; });
    bool found = whole != drafts.end() && whole->b == d.part_b && whole->e == d.part_e;
    if (!found || !summed(whole->aspect) || !summed(d.aspect)) {
      d.part_b = d.part_e = 0;
      d.part_rule = {};
    }
  }
}

}  // namespace digestx::facts
