// The built-in rules' word lists, laid out at build time by
// src/gen/lexicon_table_gen.cpp with the loader's own code (see LexiconSequence): the
// k-th lexicon the loader changes reads the k-th image, in place.
#pragma once

#include <cstddef>
#include <cstdint>

#include "digestx/lexicon.hpp"

namespace digestx {

namespace generated {
extern const char32_t kLexiconChars[];
extern const lexicon_layout::Word kLexiconWords[];
extern const uint32_t kLexiconIndex[];
extern const uint32_t kLexiconLists[];
extern const lexicon_layout::Bucket kLexiconBuckets[];
extern const uint64_t kLexiconFilters[];
extern const lexicon_layout::Image kLexiconImages[];
extern const size_t kLexiconImageCount;
}  // namespace generated

inline lexicon_layout::Pool built_in_lexicon_pool() {
  using namespace generated;
  return {kLexiconChars, kLexiconWords, kLexiconIndex, kLexiconLists, kLexiconBuckets, kLexiconFilters};
}

}  // namespace digestx
