#include "digestx/view.hpp"

#include <array>

#include "digestx/utf.hpp"

namespace digestx {

namespace generated {
extern const char32_t kSimplifiedPairs[][2];  // (traditional, simplified), from ICU at build time
extern const size_t kSimplifiedPairCount;
}  // namespace generated

namespace {

constexpr size_t kBmp = 0x10000;

// The simplified form of every BMP character (itself where ICU changes nothing),
// made once from the generated pairs: a lookup per character, no lock, no ICU call.
const std::array<char32_t, kBmp>& simplified_table() {
  static const auto* table = [] {
    auto* t = new std::array<char32_t, kBmp>;
    for (size_t c = 0; c < kBmp; ++c) (*t)[c] = char32_t(c);
    for (size_t i = 0; i < generated::kSimplifiedPairCount; ++i)
      (*t)[generated::kSimplifiedPairs[i][0]] = generated::kSimplifiedPairs[i][1];
    return t;
  }();
  return *table;
}

char32_t simplify(char32_t c) { return c < kBmp ? simplified_table()[c] : c; }

}  // namespace

char32_t fold_char(char32_t c) {
  if (c < 0x80) return c;
  if (c >= 0xFF01 && c <= 0xFF5E && c != 0xFF0C) return c - 0xFEE0;
  if (c == 0x3000) return ' ';
  return simplify(c);
}

std::u32string matching_view(std::u32string_view text) {
  std::u32string v(text.size(), U'\0');
  for (size_t i = 0; i < text.size(); ++i) v[i] = fold_char(text[i]);
  return v;
}

std::u32string fold(std::u32string_view s) { return matching_view(s); }

}  // namespace digestx
