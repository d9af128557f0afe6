// No built-in word lists: the tables that the generator of the built-in ones
// (lexicon_table_gen.cpp) links, as the loader it runs names them; it loads the rules
// given to it, never the built-in ones.
#include "lexicon_tables.hpp"

namespace digestx::generated {

extern const char32_t kLexiconChars[] = {0};
extern const lexicon_layout::Word kLexiconWords[] = {{0, 0, 0}};
extern const uint32_t kLexiconIndex[] = {0};
extern const uint32_t kLexiconLists[] = {0};
extern const lexicon_layout::Bucket kLexiconBuckets[] = {{0, 0, 0, 0}};
extern const uint64_t kLexiconFilters[] = {0};
extern const lexicon_layout::Image kLexiconImages[] = {{}};
extern const size_t kLexiconImageCount = 0;

}  // namespace digestx::generated
