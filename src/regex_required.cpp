// The characters every match of a rule's regular expression holds, in order (see
// regex_first.hpp): a text without them is never given to ICU. A one-line document
// reached the report-year and region rules with its only line, and compiling the
// first ICU pattern of a process builds ICU's regular-expression tables (7.8 M
// instructions, more than half of a run): 去年全县完成固定资产投资12.5亿元 holds no 年 after
// its figure, so no year rule (…\d{2})\s*年度) can match it.
#include "digestx/regex_first.hpp"

#include "regex_tree.hpp"

#include <algorithm>

namespace digestx {

namespace {

using regex_tree::Alternatives;
using regex_tree::Node;
using regex_tree::Sequence;

using Needs = std::vector<FirstChars>;

// How many characters a set admits, roughly: the smaller, the more lines it rules out.
size_t breadth(const FirstChars& s) {
  size_t n = (s.space ? 30 : 0) + (s.digit ? 700 : 0);
  for (const auto& [lo, hi] : s.ranges) n += size_t(hi - lo) + 1;
  return n;
}

Needs needs_of(const Alternatives& alternatives);

// A piece that may occur no time needs nothing; one that occurs at least once needs
// what one occurrence needs; a character the reader cannot name (\p{Han}) nothing.
Needs needs_of(const Node& node) {
  if (node.optional) return {};
  if (node.kind == Node::Kind::kGroup) return needs_of(node.branches);
  if (node.kind == Node::Kind::kChar && !node.chars.any) return {node.chars};
  return {};
}

Needs needs_of(const Sequence& sequence) {
  Needs out;
  for (const Node& node : sequence) {
    Needs item = needs_of(node);
    out.insert(out.end(), item.begin(), item.end());
  }
  return out;
}

// The k narrowest of a branch's sets, in their order.
Needs narrowest(const Needs& sets, size_t k) {
  std::vector<size_t> order(sets.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return breadth(sets[x]) < breadth(sets[y]); });
  order.resize(k);
  std::sort(order.begin(), order.end());
  Needs out;
  for (size_t i : order) out.push_back(sets[i]);
  return out;
}

// Each branch holds its sets in order, so any k of them in order: as many sets as the
// shortest branch holds, the i-th the union of each branch's i-th of its k narrowest.
// One set alone (the union of each branch's narrowest) let through every line with a
// bracket to the photo credit's ICU pattern, ([(（]\s*(?:图片来源|…|视频)\s*[:：].{0,60}[)）]|
// [(（][^()（）]{0,40}摄\s*[)）]|…): （2024年1月12日） holds none of 图 摄 视 资 网 between its brackets.
Needs needs_of(const Alternatives& alternatives) {
  if (alternatives.size() == 1) return needs_of(alternatives.front());
  std::vector<Needs> branches;
  size_t k = SIZE_MAX;
  for (const Sequence& branch : alternatives) {
    branches.push_back(needs_of(branch));
    if (branches.back().empty()) return {};
    k = std::min(k, branches.back().size());
  }
  Needs joined(k);
  for (FirstChars& set : joined) set.any = false;
  for (const Needs& b : branches) {
    Needs kept = narrowest(b, k);
    for (size_t i = 0; i < k; ++i) joined[i].add(kept[i]);
  }
  return joined;
}

}  // namespace

std::vector<FirstChars> required_chars(std::u32string_view pattern) {
  std::optional<Alternatives> tree = regex_tree::read(pattern);
  return tree ? needs_of(*tree) : Needs{};
}

namespace {
// Whether `text` holds a character of each set, in order; a set is anything with
// may_start (FirstChars, or NeedsInOrder's Set with its bit table in front).
template <class Sets>
bool each_in_order(const Sets& sets, std::u32string_view text) {
  size_t i = 0;
  for (const auto& set : sets) {
    while (i < text.size() && !set.may_start(text[i])) ++i;
    if (i == text.size()) return false;
    ++i;
  }
  return true;
}
}  // namespace

bool holds_in_order(const std::vector<FirstChars>& needs, std::u32string_view text) {
  return each_in_order(needs, text);
}

FirstCharsFilter::FirstCharsFilter(FirstChars set) {
  for (const auto& [lo, hi] : set.ranges) {
    if (hi - lo >= 1023) bits.set();
    else
      for (char32_t c = lo; c <= hi; ++c) bits.set(c & 1023);
  }
  chars = std::move(set);
}

NeedsInOrder::NeedsInOrder(std::vector<FirstChars> needs) {
  sets_.reserve(needs.size());
  for (FirstChars& set : needs) sets_.emplace_back(std::move(set));
}

bool NeedsInOrder::held_by(std::u32string_view text) const { return each_in_order(sets_, text); }

}  // namespace digestx
