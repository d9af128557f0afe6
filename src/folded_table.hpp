// The matching form of every BMP character: full-width ASCII (U+FF01..U+FF5E, except
// U+FF0C, which stays distinct from the thousands separator) -> ASCII, U+3000 -> space,
// minus signs and figure/en dashes -> -,
// traditional -> simplified from the pairs ICU gives, anything else itself. Written at
// build time by src/gen/simplified_table_gen.cpp as a constant table that the matching
// view reads in place: made at every start, it cost 0.17 M instructions and wrote 64
// pages. One definition for the generator and for the test that checks its table.
#pragma once

#include <cstddef>
#include <initializer_list>

namespace digestx {

constexpr size_t kBmp = 0x10000;

// `table[c]` for every c < kBmp, from `pairs` (traditional, simplified).
inline void fill_folded_table(char32_t* table, const char32_t (*pairs)[2], size_t pair_count) {
  for (size_t c = 0; c < kBmp; ++c) table[c] = char32_t(c);
  for (size_t i = 0; i < pair_count; ++i) table[pairs[i][0]] = pairs[i][1];
  for (char32_t c = 0xFF01; c <= 0xFF5E; ++c)
    if (c != 0xFF0C) table[c] = c - 0xFEE0;
  table[0x3000] = ' ';
  // Minus signs and dashes typed for a hyphen-minus read as one (the sign and range
  // rules know '-' only): 增速为−3.5% (U+2212), –2.1% (U+2013), ﹣2.0% (U+FE63) gave +3.5,
  // +2.1 and +2.0 without a word, while 3–5个 is a range as 3-5个 is. Not the em dash
  // of 2023—2025年, which is never a sign.
  for (char32_t c : {char32_t(0x2012), char32_t(0x2013), char32_t(0x2212), char32_t(0xFE63)}) table[c] = '-';
  // The horizontal bar (U+2015) is the em dash of pages converted from GB2312, whose
  // 破折号 some tables map to it: 市医保局党组书记、局长吴敏――守好人民群众“看病钱” was no
  // heading (only —— separates), and its report went into the unit above without a word.
  table[0x2015] = 0x2014;
}

namespace generated {
extern const char32_t kSimplifiedPairs[][2];  // (traditional, simplified), from ICU at build time
extern const size_t kSimplifiedPairCount;
extern const char32_t kFoldedTable[kBmp];     // fill_folded_table of those pairs
}  // namespace generated

}  // namespace digestx
