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

}  // namespace digestx
