// Spans, warnings and the period enum: the small types every stage shares.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace digestx {

// [start, end) in Unicode code points of the decoded input text.
struct Span {
  uint32_t start = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - start; }
  bool empty() const { return end <= start; }
  bool operator==(const Span& o) const { return start == o.start && end == o.end; }
  bool operator!=(const Span& o) const { return !(*this == o); }
};

// A stretch of source text that the page layout may have split over several lines;
// its text is the concatenation of its pieces.
using Pieces = std::vector<Span>;

// A short stretch of text that may cross one page break (a fact's subject): at most
// two pieces, without a heap allocation. Of a stretch crossing more breaks only the
// last two pieces are kept (the head of a phrase is at its end).
struct ShortPieces {
  Span first, second;
  ShortPieces() = default;
  ShortPieces(const Pieces& p) {  // NOLINT: converts where Pieces are built
    if (p.empty()) return;
    first = p.size() > 2 ? p[p.size() - 2] : p.front();
    if (p.size() > 1) second = p.back();
  }
  bool empty() const { return first.empty(); }
  // Read as a list of one or two pieces (Joined::of takes them so, with no Pieces made).
  size_t size() const { return first.empty() ? 0 : second.empty() ? 1 : 2; }
  const Span& operator[](size_t i) const { return i == 0 ? first : second; }
  const Span& front() const { return first; }
  const Span& back() const { return second.empty() ? first : second; }
  operator Pieces() const {  // NOLINT: reads as Pieces
    Pieces p;
    p.reserve(size_t(!first.empty()) + size_t(!second.empty()));  // one allocation, not two
    if (!first.empty()) p.push_back(first);
    if (!second.empty()) p.push_back(second);
    return p;
  }
};

inline Span covering(const Pieces& pieces) {
  if (pieces.empty()) return {};
  return {pieces.front().start, pieces.back().end};
}
// The same of ShortPieces without making them Pieces (a line's content: an allocation
// per line for each rule that asked how long the line is).
inline Span covering(const ShortPieces& pieces) {
  if (pieces.first.empty()) return {};
  return {pieces.first.start, (pieces.second.empty() ? pieces.first : pieces.second).end};
}

struct Warning {
  std::string code;     // machine-readable, e.g. "invalid_bytes", "no_unit_headings"
  std::string message;  // one line for humans
  bool has_span = false;
  Span span;
  // A warning about two places that disagree names both (report_year_not_over: the
  // title's 2024年度 and the dateline 发布日期：2024-01-19), span the first; else empty.
  std::vector<Span> spans = {};
};

// A figure or numeral not taken, and the rule that refused it: --explain lists them
// (exclusion.url, set.slogan, quote.book, refusal.bare_figure, …), and the numbers
// stage reports the figures it leaves out with them (numeral.damaged.grouping for
// 2,3000名; an empty rule for a value that cannot be represented).
struct Refusal {
  Span span;
  std::string_view rule;  // owned by the rules the document shares
};

// A line of page furniture (发布时间:…, 责任编辑:…) left out of the text, and the
// layout rule that found it (its name owned by the rules, not copied: a file of
// pages has a few such lines a page). One type from the structure stage to the
// document, which takes the structure's list as it is.
struct FurnitureLine {
  Span span;
  std::string_view rule;
};

enum class Period { none, last_year, this_year };

inline const char* period_name(Period p) {
  switch (p) {
    case Period::last_year: return "last_year";
    case Period::this_year: return "this_year";
    default: return nullptr;
  }
}

}  // namespace digestx
