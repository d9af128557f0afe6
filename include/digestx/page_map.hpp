// An HTML page read as its text: where the markup left out of the text stood, so that
// a span of the text counts the page's characters again. 投资<b>12</b>亿元 is read as
// 投资12亿元 (a tag between a figure and its unit breaks no figure), and the fact 12亿元
// is written with the page's span and the page's text, 12</b>亿元.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "digestx/span.hpp"

namespace digestx {

struct PageMap {
  std::u32string page;          // the page as decoded, markup and all; empty: the text is the input
  std::vector<uint32_t> at;     // where in the text each run of left-out characters stood, ascending
  std::vector<uint32_t> shift;  // how many characters were left out up to and including that run
  // The text's characters that an entity gave (&#23478; for 家), ascending, and how many
  // characters of the page each entity holds past its first: a span ending in one ends
  // after the whole entity (27&#23478;, not 27&).
  std::vector<uint32_t> entity_at, entity_tail;

  bool empty() const { return page.empty(); }

  // What spans from to_page index: the page, or `text` itself when there is no page.
  std::u32string_view source(std::u32string_view text) const { return empty() ? text : std::u32string_view(page); }

  // `count` characters of the page left out before the text's character `text_at`.
  void leave_out(uint32_t text_at, uint32_t count) {
    if (count == 0) return;
    uint32_t before = shift.empty() ? 0 : shift.back();
    if (!at.empty() && at.back() == text_at) {
      shift.back() += count;
      return;
    }
    at.push_back(text_at);
    shift.push_back(before + count);
  }

  // The page's offset of the text's character k (the markup just before it skipped).
  uint32_t page_at(uint32_t k) const {
    auto it = std::upper_bound(at.begin(), at.end(), k);
    return it == at.begin() ? k : k + shift[size_t(it - at.begin()) - 1];
  }

  // The text's character k came from an entity of `tail` + 1 characters of the page.
  void entity(uint32_t k, uint32_t tail) {
    entity_at.push_back(k);
    entity_tail.push_back(tail);
  }

  // The page's span of a span of the text: from its first character to just after its
  // last (the whole of it, where an entity gave it), so the markup around it stays out
  // and the markup inside it is in.
  Span to_page(Span s) const {
    if (empty()) return s;
    if (s.end <= s.start) return {page_at(s.start), page_at(s.start)};
    uint32_t last = s.end - 1, tail = 0;
    auto it = std::lower_bound(entity_at.begin(), entity_at.end(), last);
    if (it != entity_at.end() && *it == last) tail = entity_tail[size_t(it - entity_at.begin())];
    return {page_at(s.start), page_at(last) + 1 + tail};
  }
};

}  // namespace digestx
