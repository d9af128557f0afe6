// Text that the page layout split into pieces (a paragraph broken by a blank line,
// a heading wrapped over lines), joined into one contiguous string of the matching
// view, with the source position of every character so that spans map back.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "digestx/span.hpp"

namespace digestx {

struct Joined {
  std::u32string chars;          // view characters of all pieces, in order
  std::vector<uint32_t> source;  // source index of chars[i]

  static Joined of(std::u32string_view view, const Pieces& pieces) {
    Joined j;
    size_t n = 0;
    for (const Span& p : pieces) n += p.size();
    j.chars.reserve(n);
    j.source.reserve(n);
    for (const Span& p : pieces)
      for (uint32_t i = p.start; i < p.end; ++i) {
        j.chars.push_back(view[i]);
        j.source.push_back(i);
      }
    return j;
  }

  size_t size() const { return chars.size(); }

  // The source pieces covered by [begin, end) of the joined string.
  Pieces pieces(size_t begin, size_t end) const {
    Pieces out;
    for (size_t i = begin; i < end; ++i) {
      if (!out.empty() && out.back().end == source[i]) {
        ++out.back().end;
      } else {
        out.push_back({source[i], source[i] + 1});
      }
    }
    return out;
  }

  // The source span from the first to the last character of [begin, end).
  Span span(size_t begin, size_t end) const {
    if (begin >= end) return {};
    return {source[begin], source[end - 1] + 1};
  }
};

}  // namespace digestx
