#include "digestx/sentences.hpp"

#include "digestx/joined.hpp"
#include "digestx/utf.hpp"

namespace digestx {

std::vector<SentenceText> split_sentences(std::u32string_view view, const ParagraphText& paragraph,
                                          const SentenceRules& rules) {
  Joined j = Joined::of(view, paragraph.pieces);
  std::u32string_view s = j.chars();
  std::vector<SentenceText> out;
  size_t begin = 0, n = s.size();
  // Room for a sentence every 32 characters at once: grown from empty, the list took an
  // allocation for every doubling (most sentences of a report are longer).
  out.reserve(n / 32 + 1);
  auto emit = [&](size_t end) {
    size_t b = begin;
    while (b < end && is_space(s[b])) ++b;
    size_t e = end;
    while (e > b && is_space(s[e - 1])) --e;
    if (b < e) out.push_back({j.pieces(b, e)});
    begin = end;
  };
  using R = SentenceRules;
  int soft_live = -1;  // asked at the first soft stop (打造“青山.好茶”品牌。: none is live)
  auto is = [&rules](char32_t c, uint8_t what) { return (rules.class_of(c) & what) != 0; };
  for (size_t i = 0; i < n; ++i) {
    uint8_t cls = rules.class_of(s[i]);
    if (cls == 0) continue;
    bool ends = cls & R::kTerminator;
    if (!ends && (cls & R::kSoftStop)) {
      // Most points are decimals (1.2亿元): passed before any look around.
      if (i > 0 && (is_ascii_digit(s[i - 1]) || is_ascii_alpha(s[i - 1]))) continue;
      if (soft_live < 0) soft_live = rules.soft_stops_live(s);
      if (!soft_live && !rules.soft_stop_opens(s, i)) continue;
      if (i + 1 < n && is(s[i + 1], R::kSoftStop)) {
        // "..." as "……": it ends a sentence only where something new starts after it
        // (桥梁、涵洞...等项目36个 is one sentence).
        while (i + 1 < n && is(s[i + 1], R::kSoftStop)) ++i;
        ends = i + 1 < n && !is(s[i + 1], R::kCloser | R::kTerminator | R::kContinues);
        if (!ends) continue;
      } else {
        ends = rules.soft_stop_ends(s, i);
      }
    }
    if (!ends && (cls & R::kEllipsis)) {
      // "……" ends a sentence only where something new starts after it.
      while (i + 1 < n && is(s[i + 1], R::kEllipsis)) ++i;
      ends = i + 1 < n && !is(s[i + 1], R::kCloser | R::kTerminator | R::kContinues);
      if (!ends) continue;
    }
    if (!ends) continue;
    size_t end = i + 1;
    while (end < n && is(s[end], R::kTerminator | R::kCloser | R::kSoftStop)) ++end;
    emit(end);
    i = end - 1;
  }
  if (begin < n) emit(n);
  return out;
}

bool SentenceRules::soft_stop_opens(std::u32string_view s, size_t i) const {
  if (i == 0 || i + 1 >= s.size() || is_ascii_digit(s[i - 1]) || is_ascii_alpha(s[i - 1])) return false;
  if (is_ascii_digit(s[i + 1]) && decimal_after_words->longest_ending_at(s, i)) return false;  // 增长.5%
  size_t k = i + 1;
  bool year = k + 4 < s.size() && is_ascii_digit(s[k]) && is_ascii_digit(s[k + 1]) && is_ascii_digit(s[k + 2]) &&
              is_ascii_digit(s[k + 3]) && s[k + 4] == U'年';
  return year || bool(soft_stop_openers.longest_at(s, k));
}

bool SentenceRules::soft_stop_ends(std::u32string_view s, size_t i) const {
  if (i == 0 || i >= s.size()) return false;
  char32_t before = s[i - 1];
  // Not after a numeral of a list opening a clause (一.新建党群服务中心5个,二.改造危房36户;
  // 之一.今年 and 第一.今年 end their sentences).
  size_t numerals = i;
  while (numerals > 0 && soft_stop_not_after.find(s[numerals - 1]) != std::u32string::npos) --numerals;
  bool list_numeral = numerals < i && (numerals == 0 || !is_han(s[numerals - 1]));
  bool after_word = !is_ascii_digit(before) && !is_ascii_alpha(before) && !is_space(before) && !list_numeral &&
                    !(i + 1 < s.size() && is_ascii_digit(s[i + 1]) && decimal_after_words->longest_ending_at(s, i));
  // A digit may follow (5个.2024年,青石镇将…): a decimal point stands after a digit.
  bool before_word = i + 1 == s.size() || !is_ascii_alpha(s[i + 1]);
  return after_word && before_word;
}

}  // namespace digestx
