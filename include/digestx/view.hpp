// The matching view: rules match on a simplified, half-width copy of the text that
// has exactly one code point per code point of the original, so a position in the
// view is the same position in the source and no offset map is needed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace digestx {

// Full-width ASCII (U+FF01..U+FF5E, except the ideographic comma-like U+FF0C, which
// stays distinct from the thousands separator) -> ASCII; U+3000 -> space;
// traditional -> simplified where ICU maps one character to exactly one character.
char32_t fold_char(char32_t c);
std::u32string matching_view(std::u32string_view text);

// The characters folding changed, by position (ascending), with what they were.
struct FoldChanges {
  std::vector<uint32_t> at;
  std::vector<char32_t> was;
};

// The matching view made in place, for the structure stage of a whole document: a
// separate view was a second copy of the text (4 bytes a character, 280 MB beside the
// text of a 200 MB file), while folding changes a few characters in a hundred
// (full-width ：（）, traditional characters). unfold() puts the text back.
FoldChanges fold_in_place(std::u32string& text);
void unfold(std::u32string& text, FoldChanges& changes);
// What folding `text` into `view` (its matching view) changed.
FoldChanges changes_between(std::u32string_view text, std::u32string_view view);

// Folds a rule string the same way, so rules written in either script match.
std::u32string fold(std::u32string_view s);

}  // namespace digestx
