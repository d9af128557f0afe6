// The prefilters of the built-in rules' regular expressions (first_chars and
// required_chars of each pattern), worked out at build time by
// src/gen/regex_prefilter_gen.cpp with the same functions the loader calls: reading the
// patterns at every start cost 2.3 M of the 12.5 M instructions of a run on a one-line
// file. Looked up by the pattern's source text, so any pattern (of --rules too) that
// is not in the table is read at run time as before, with the same result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "digestx/regex_first.hpp"

namespace digestx {

namespace generated {

struct PrefilterSet {  // one FirstChars
  bool any, space, digit;
  uint32_t ranges_at, range_count;  // into kPrefilterRanges
};

struct Prefilter {
  const char* source;  // the pattern as the rules file writes it (UTF-8)
  uint32_t source_len;
  uint32_t first;                   // first_chars of its matching view (index into kPrefilterSets)
  uint32_t needs_at, needs_count;   // required_chars of the pattern: kPrefilterSets[needs_at…]
};

extern const char32_t kPrefilterRanges[][2];
extern const PrefilterSet kPrefilterSets[];
extern const Prefilter kPrefilters[];  // sorted by source, bytewise
extern const size_t kPrefilterCount;

}  // namespace generated

// The entry of `source`, or nullptr.
inline const generated::Prefilter* built_in_prefilter(std::string_view source) {
  size_t lo = 0, hi = generated::kPrefilterCount;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const generated::Prefilter& p = generated::kPrefilters[mid];
    std::string_view s(p.source, p.source_len);
    if (s == source) return &p;
    if (s < source) lo = mid + 1; else hi = mid;
  }
  return nullptr;
}

inline FirstChars prefilter_set(uint32_t k) {
  const generated::PrefilterSet& s = generated::kPrefilterSets[k];
  FirstChars out;
  out.any = s.any, out.space = s.space, out.digit = s.digit;
  out.ranges.reserve(s.range_count);
  for (uint32_t r = 0; r < s.range_count; ++r)
    out.ranges.emplace_back(generated::kPrefilterRanges[s.ranges_at + r][0], generated::kPrefilterRanges[s.ranges_at + r][1]);
  return out;
}

inline std::vector<FirstChars> prefilter_needs(const generated::Prefilter& p) {
  std::vector<FirstChars> out;
  out.reserve(p.needs_count);
  for (uint32_t k = 0; k < p.needs_count; ++k) out.push_back(prefilter_set(p.needs_at + k));
  return out;
}

}  // namespace digestx
