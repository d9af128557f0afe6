#include "digestx/view.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "digestx/utf.hpp"

namespace digestx {

namespace {

// Simplified forms of BMP characters, filled lazily: 0 = not looked up yet.
// Lookups are lock-free; misses take the mutex and ask ICU once per character.
constexpr size_t kBmp = 0x10000;
std::atomic<char32_t> g_simplified[kBmp];
std::mutex g_translit_mutex;

icu::Transliterator* transliterator() {
  static std::unique_ptr<icu::Transliterator> t = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> tr(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) tr.reset();
    return tr;
  }();
  return t.get();
}

char32_t simplify_slow(char32_t c) {
  std::lock_guard<std::mutex> lock(g_translit_mutex);
  char32_t known = g_simplified[c].load(std::memory_order_relaxed);
  if (known != 0) return known;
  char32_t result = c;
  if (icu::Transliterator* t = transliterator()) {
    icu::UnicodeString s{UChar32(c)};
    t->transliterate(s);
    if (s.countChar32() == 1) result = char32_t(s.char32At(0));
  }
  g_simplified[c].store(result, std::memory_order_relaxed);
  return result;
}

char32_t simplify(char32_t c) {
  if (c >= kBmp || !is_han(c)) return c;
  char32_t known = g_simplified[c].load(std::memory_order_relaxed);
  return known != 0 ? known : simplify_slow(c);
}

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
