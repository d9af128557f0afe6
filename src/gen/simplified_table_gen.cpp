// Build-time generator of the traditional -> simplified table of the matching view.
// It asks ICU's "Traditional-Simplified" transliterator about every Han character of
// the BMP, one character at a time, and prints the pairs that change as C++. Creating
// that transliterator loads ICU's whole transliterator registry (about 20 ms, more
// than the rest of a run on a small digest), so digestx does it once here, at build
// time, rather than in every process. It writes the whole matching-view table made
// from those pairs too (src/folded_table.hpp).
//   usage: simplified_table_gen OUTPUT.cpp
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <array>
#include <cstdio>
#include <memory>
#include <vector>

#include "digestx/utf.hpp"
#include "folded_table.hpp"
#include "gen/gen_common.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: simplified_table_gen OUTPUT.cpp\n");
    return 2;
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t) {
    std::fprintf(stderr, "simplified_table_gen: ICU has no Traditional-Simplified transliterator: %s\n",
                 u_errorName(status));
    return 2;
  }
  std::vector<std::array<char32_t, 2>> pairs;
  for (char32_t c = 0; c < digestx::kBmp; ++c) {
    if (!digestx::is_han(c)) continue;
    icu::UnicodeString s{UChar32(c)};
    t->transliterate(s);
    if (s.countChar32() != 1) continue;  // one character to several: left as written
    char32_t simple = char32_t(s.char32At(0));
    if (simple != c) pairs.push_back({c, simple});
  }
  std::vector<char32_t> table(digestx::kBmp);
  digestx::fill_folded_table(table.data(), reinterpret_cast<const char32_t(*)[2]>(pairs.data()), pairs.size());
  std::FILE* out = digestx::gen::open_output(argv[1], "simplified_table_gen.cpp",
                                             "ICU's Traditional-Simplified transliterator (ICU " U_ICU_VERSION ")");
  if (!out) return 2;
  std::fprintf(out, "#include \"folded_table.hpp\"\n\nnamespace digestx::generated {\n\n");
  using digestx::gen::write_array;
  write_array(out, "extern const char32_t kSimplifiedPairs[][2]", pairs,
              [](std::FILE* o, const std::array<char32_t, 2>& p) {
                std::fprintf(o, "{0x%04X, 0x%04X}", unsigned(p[0]), unsigned(p[1]));
              },
              "{0, 0}");
  std::fprintf(out, "extern const size_t kSimplifiedPairCount = %zu;\n\n", pairs.size());
  // Eight entries a line.
  std::fprintf(out, "extern const char32_t kFoldedTable[kBmp] = {\n");
  for (size_t c = 0; c < table.size(); ++c)
    std::fprintf(out, "%s0x%X,%s", c % 8 == 0 ? "    " : " ", unsigned(table[c]), c % 8 == 7 ? "\n" : "");
  std::fprintf(out, "};\n\n}  // namespace digestx::generated\n");
  return digestx::gen::close_output(out);
}
