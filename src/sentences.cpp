#include "digestx/sentences.hpp"

#include "digestx/joined.hpp"
#include "digestx/utf.hpp"

namespace digestx {

namespace {

bool in(std::u32string_view set, char32_t c) { return set.find(c) != std::u32string_view::npos; }

}  // namespace

std::vector<SentenceText> split_sentences(std::u32string_view view, const ParagraphText& paragraph,
                                          const SentenceRules& rules) {
  Joined j = Joined::of(view, paragraph.pieces);
  std::u32string_view s = j.chars();
  std::vector<SentenceText> out;
  size_t begin = 0, n = s.size();
  auto emit = [&](size_t end) {
    size_t b = begin;
    while (b < end && is_space(s[b])) ++b;
    size_t e = end;
    while (e > b && is_space(s[e - 1])) --e;
    if (b < e) out.push_back({j.pieces(b, e)});
    begin = end;
  };
  for (size_t i = 0; i < n; ++i) {
    bool ends = in(rules.terminators, s[i]);
    if (!ends && in(rules.ellipsis, s[i])) {
      // "……" ends a sentence only where something new starts after it.
      while (i + 1 < n && in(rules.ellipsis, s[i + 1])) ++i;
      ends = i + 1 < n && !in(rules.closers, s[i + 1]) && !in(rules.terminators, s[i + 1]) &&
             !in(rules.ellipsis_continues, s[i + 1]);
      if (!ends) continue;
    }
    if (!ends) continue;
    size_t end = i + 1;
    while (end < n && (in(rules.terminators, s[end]) || in(rules.closers, s[end]))) ++end;
    emit(end);
    i = end - 1;
  }
  if (begin < n) emit(n);
  return out;
}

}  // namespace digestx
