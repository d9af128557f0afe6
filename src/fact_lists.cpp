// facts.json unpaired (subject.list_unpaired): the figures of a list side by side without
// 分别. Out of FactFinder, as parts and sums are (src/fact_parts.cpp); FactFinder runs it
// among the combinations and warns of the drafts in `warned` as subject_unpaired.
#include <algorithm>

#include "fact_text.hpp"

namespace digestx::facts {
namespace {

using FP = FactPatternRules;

// The k-th quantity follows the one before it with one list separator between (12个、
// 35个; 126件、98%: of any kind).
bool figure_list_goes_on(const std::vector<Draft>& drafts, std::u32string_view text, const Rules& rules, size_t k) {
  const Draft& a = drafts[k - 1];
  const Draft& b = drafts[k];
  return a.e + 1 == b.b && rules.kinds.is_quantity(a.kind) && rules.kinds.is_quantity(b.kind) &&
         rules.subjects.list_separators.find(text[a.e]) != std::u32string::npos;
}

// A 分别 production gave the list its subjects (or refused them): left as it is.
bool paired_respectively(const std::vector<Draft>& drafts, const Rules& rules, size_t k, size_t e) {
  for (const FP::CombineRule& c : rules.facts.combinations) {
    if (c.produce != FP::Combination::respectively) continue;
    for (size_t i = k; i < e; ++i)
      if (drafts[i].subject.rule.substr(0, c.name.size()) == c.name) return true;
  }
  return false;
}

// The list [k, e). All of one kind and unit, counts with a measure word, and the last
// one's noun read after it (东村、西村12个、35个党员活动室): that noun is every figure's, as a unit written once
// is (12、8条); 12个 was 东村、西村. Else a figure loses a noun read before the list when
// it is not the last and the noun has another before it (the separator right before
// it: 便民服务站 of 党群服务中心、便民服务站3个、10个), or when its kind is not the
// first figure's (受理、办结群众诉求126件、98%: 98% was 群众诉求). A figure keeps the nouns
// read together (党员、青年志愿服务队 of 12支、8支), warned too.
void unpair_list(std::vector<Draft>& drafts, std::u32string_view text, const FP::CombineRule& rule, const Rules& rules,
                 size_t k, size_t e, std::vector<size_t>& warned) {
  const Draft& last = drafts[e - 1];
  bool alike = true;
  for (size_t i = k; i < e; ++i) alike = alike && drafts[i].kind == last.kind && drafts[i].unit == last.unit;
  const auto& seps = rules.subjects.list_separators;
  auto noun_list = [&](const Subject& s) {
    return std::any_of(text.begin() + s.b, text.begin() + s.e, [&](char32_t c) { return seps.find(c) != std::u32string::npos; });
  };
  if (alike && last.classifier && !last.subject.empty() && last.subject.b >= last.e) {
    // Only a figure with no noun of its own, or with the nouns side by side: 组建党员
    // 突击队54支、32支青年突击队 keeps 54支 党员突击队 (it got 青年突击队, without a word).
    for (size_t i = k; i + 1 < e; ++i) {
      if (!drafts[i].subject.empty() && !noun_list(drafts[i].subject)) continue;
      drafts[i].subject = last.subject;
      drafts[i].subject.rule = rule.name;
    }
    return;
  }
  for (size_t i = k; i < e; ++i) {
    Subject& s = drafts[i].subject;
    if (s.empty() || s.e > drafts[k].b) continue;
    bool noun_before = i + 1 < e && s.b > 0 && seps.find(text[s.b - 1]) != std::u32string::npos;
    bool other_kind = drafts[i].kind != drafts[k].kind;
    if (noun_before || other_kind) {
      s = Subject{};
      s.rule = rule.name;
      warned.push_back(i);
    } else if (noun_list(s)) {
      warned.push_back(i);  // the nouns together (党员、青年志愿服务队 of 12支): true, not precise
    }
  }
}

}  // namespace

// unpaired (facts.json subject.list_unpaired): figures side by side in a list (3个、10个)
// take no noun they cannot be told to count. Without 分别 the subject finder reads the
// noun right before the list for each figure, so after nouns side by side the first
// figures got the last noun: 新建党群服务中心、便民服务站3个、10个 gave 3个 便民服务站,
// 地区生产总值、财政收入12.5亿元、8600万元 gave 12.5亿元 财政收入, without a word. A pairing
// rule (fix11d) was reverted for the wrong subjects it made (公办幼儿园、民办幼儿园学位
// 1200个、800个: 1200个 公办幼儿园), so such a figure's subject is left out, warned.
void unpair_lists(std::vector<Draft>& drafts, std::u32string_view text, const FP::CombineRule& rule, const Rules& rules,
                  std::vector<size_t>& warned) {
  for (size_t k = 0; k < drafts.size();) {
    size_t e = k + 1;
    while (e < drafts.size() && figure_list_goes_on(drafts, text, rules, e)) ++e;
    if (e - k >= 2 && !paired_respectively(drafts, rules, k, e)) unpair_list(drafts, text, rule, rules, k, e, warned);
    k = e;
  }
}

}  // namespace digestx::facts
