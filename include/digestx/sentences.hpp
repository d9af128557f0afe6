// Stage 4, sentences: a paragraph cut after each terminator (。！？；), closing
// quotes and brackets kept with the sentence they close.
#pragma once

#include <string_view>
#include <vector>

#include "digestx/rules.hpp"
#include "digestx/span.hpp"
#include "digestx/units.hpp"

namespace digestx {

struct SentenceText {
  Pieces pieces;  // source pieces (more than one where the paragraph was broken)
};

std::vector<SentenceText> split_sentences(std::u32string_view view, const ParagraphText& paragraph,
                                          const SentenceRules& rules);

}  // namespace digestx
