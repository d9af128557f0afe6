// The matching view: rules match on a simplified, half-width copy of the text that
// has exactly one code point per code point of the original, so a position in the
// view is the same position in the source and no offset map is needed.
#pragma once

#include <string>
#include <string_view>

namespace digestx {

// Full-width ASCII (U+FF01..U+FF5E, except the ideographic comma-like U+FF0C, which
// stays distinct from the thousands separator) -> ASCII; U+3000 -> space;
// traditional -> simplified where ICU maps one character to exactly one character.
char32_t fold_char(char32_t c);
std::u32string matching_view(std::u32string_view text);
// Folds a rule string the same way, so rules written in either script match.
std::u32string fold(std::u32string_view s);

}  // namespace digestx
