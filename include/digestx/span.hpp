// Spans, warnings and the period enum: the small types every stage shares.
#pragma once

#include <cstdint>
#include <string>
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

inline Span covering(const Pieces& pieces) {
  if (pieces.empty()) return {};
  return {pieces.front().start, pieces.back().end};
}

struct Warning {
  std::string code;     // machine-readable, e.g. "invalid_bytes", "no_unit_headings"
  std::string message;  // one line for humans
  bool has_span = false;
  Span span;
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
