#include "digestx/view.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "digestx/utf.hpp"
#include "folded_table.hpp"

namespace digestx {

namespace {

// Written at build time (src/folded_table.hpp): one lookup per character, no lock.
const char32_t* folded_table() { return generated::kFoldedTable; }

bool is_chinese_digit(char32_t c) { return std::u32string_view(U"〇零一二三四五六七八九").find(c) != std::u32string_view::npos; }
bool is_circle(char32_t c) { return c == U'○' || c == U'◯'; }

// Whether `v` holds a circle: the whole text looked at with no exit inside the loop,
// which the compiler does several characters at a time (a text that holds one is
// searched whole after anyway). A search that stopped at each character (none_of) cost
// 6 instructions a character of every text, 0.6% of a run (the slice's 760,000
// characters folded in place, then each paragraph's matching view).
bool holds_circle(std::u32string_view v) {
  unsigned hits = 0;
  for (char32_t c : v) hits |= unsigned(is_circle(c));
  return hits != 0;
}

// Big5 has no 〇, so Big5 pages (and pages typed without an IME's 〇) write the zero of a
// year as a circle: 二○一九年度, 二○二○年. A run of Chinese digits and circles that starts
// with a digit, holds at least two digits and is at least three long reads the circles as
// 〇; a circle elsewhere (a bullet: ○ 城关镇…, ○一、…) stays itself.
// Only circles change, so the runs are looked for around each circle: walking the text
// a Chinese digit at a time cost 20 instructions a character of any text that holds a
// circle (one circle added to the bench slice cost 7.9% more instructions; now 1.2%).
void fold_circle_zeros(std::u32string& v, FoldChanges* changes = nullptr) {
  // Most texts (and every word of the rules) hold none.
  if (!holds_circle(v)) return;
  auto in_run = [](char32_t c) { return is_chinese_digit(c) || is_circle(c); };
  for (size_t c = 0; c < v.size(); ++c) {
    if (!is_circle(v[c])) continue;
    // The run around it; the one before ended at a character outside any run.
    size_t start = c, end = c + 1;
    while (start > 0 && in_run(v[start - 1])) --start;
    while (end < v.size() && in_run(v[end])) ++end;
    c = end - 1;  // the run's other circles are read with it
    while (start < end && !is_chinese_digit(v[start])) ++start;  // ○二○一九: from 二
    size_t digits = size_t(std::count_if(v.begin() + long(start), v.begin() + long(end), is_chinese_digit));
    if (end - start < 3 || digits < 2) continue;
    for (size_t k = start; k < end; ++k) {
      if (!is_circle(v[k])) continue;
      if (changes) {
        changes->at.push_back(uint32_t(k));
        changes->was.push_back(v[k]);
      }
      v[k] = U'〇';
    }
  }
}

}  // namespace

char32_t fold_char(char32_t c) { return c < kBmp ? folded_table()[c] : c; }

std::u32string matching_view(std::u32string_view text) {
  const auto& table = folded_table();
  std::u32string v(text.size(), U'\0');
  for (size_t i = 0; i < text.size(); ++i) {
    char32_t c = text[i];
    v[i] = c < kBmp ? table[c] : c;
  }
  fold_circle_zeros(v);
  return v;
}

FoldChanges fold_in_place(std::u32string& text) {
  const auto& table = folded_table();
  FoldChanges changes;
  char32_t* p = text.data();
  auto fold_at = [&](size_t i) {
    char32_t c = p[i], f = c < kBmp ? table[c] : c;
    if (__builtin_expect(f == c, 1)) return;
    changes.at.push_back(uint32_t(i));
    changes.was.push_back(c);
    p[i] = f;
  };
  // Four characters a test: most fold to themselves (a few in a hundred change), and two
  // tests and a branch for each character were most of the cost of folding a text. A
  // character beyond the table is looked up as its last entry, which differs from it:
  // such a block is folded one character at a time, as a block where one changes.
  size_t i = 0, n = text.size();
  for (; i + 4 <= n; i += 4) {
    char32_t differs = 0;
    for (size_t k = i; k < i + 4; ++k) differs |= table[std::min<char32_t>(p[k], kBmp - 1)] ^ p[k];
    if (__builtin_expect(differs == 0, 1)) continue;
    for (size_t k = i; k < i + 4; ++k) fold_at(k);
  }
  for (; i < n; ++i) fold_at(i);
  fold_circle_zeros(text, &changes);
  return changes;
}

void unfold(std::u32string& text, FoldChanges& changes) {
  for (size_t k = 0; k < changes.at.size(); ++k) text[changes.at[k]] = changes.was[k];
  changes = FoldChanges();
}

FoldChanges changes_between(std::u32string_view text, std::u32string_view view) {
  FoldChanges changes;
  for (size_t i = 0; i < text.size() && i < view.size(); ++i) {
    if (text[i] == view[i]) continue;
    changes.at.push_back(uint32_t(i));
    changes.was.push_back(text[i]);
  }
  return changes;
}

std::u32string fold(std::u32string_view s) { return matching_view(s); }

}  // namespace digestx
