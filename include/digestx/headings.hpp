// Unit headings: the heading layouts of structure.json read one line. Each layout is
// a named pattern of typed items (organisation, role, name, space, separator, literal,
// bracket, headline, group; optional ones taken where they fit), matched by a small
// backtracking matcher; the first layout whose pattern covers the whole line wins and
// its production ("unit") composes the heading from what the items found.
#pragma once

#include <optional>
#include <string_view>

#include "digestx/rules.hpp"
#include "digestx/span.hpp"
#include "digestx/units.hpp"
#include "digestx/utf.hpp"

namespace digestx {

struct HeadingParse {
  UnitHeading heading;
  Pieces body;  // text after the heading that is a paragraph, not a headline ("…书记张三：去年，…")
  const HeadingLayout* layout = nullptr;  // the layout that read the line (owned by the rules)
};

// The heading of a unit in one line of content (markup removed), or nullopt.
std::optional<HeadingParse> parse_heading_line(std::u32string_view view, const Pieces& content,
                                               const StructureRules& rules);
// The same of a line's content as it is laid out (one or two pieces): no Pieces made
// for each line that the structure stage classifies.
std::optional<HeadingParse> parse_heading_line(std::u32string_view view, const ShortPieces& content,
                                               const StructureRules& rules);

// Whether s[b, e) is one quoted sentence, what an official said (“村里新建冷库2座，大家都很
// 高兴。”): the text after a post, a name and a colon that is such is no unit's first
// paragraph (structure.json headline quoted_speech), nor a suspected heading's.
// A colon before it and white space are passed over (the colon may be the heading's
// separator, or the headline's first character when no separator was taken).
inline bool quoted_speech(std::u32string_view s, size_t b, size_t e, const StructureRules& rules) {
  if (rules.quoted_speech_rule.empty()) return false;
  while (b < e && (s[b] == ':' || s[b] == U'：' || is_space(s[b]))) ++b;
  if (e < b + 3) return false;
  return in_set(rules.quoted_speech_open, s[b]) && in_set(rules.quoted_speech_close, s[e - 1]) &&
         in_set(rules.sentence_end, s[e - 2]);
}

}  // namespace digestx
