// Stage 2, layout: the physical lines of the text and their markup (markdown
// heading marks, bullets, wrappers such as 【】 or **, list enumerators). Says
// nothing yet about what a line means; the structure stage (units) decides that.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <string_view>
#include <vector>

#include "digestx/rules.hpp"
#include "digestx/span.hpp"
#include "digestx/view.hpp"

namespace digestx {

struct Line {
  Span span;             // the line without its terminator and surrounding white space
  ShortPieces content;   // the words of the line with markup removed (a wrapper may split it in two)
  Span body;             // the line after leading marks (#, bullets) but with its wrappers (【…】, **…**)
  bool blank = true;
  int heading_level = 0; // number of markdown '#'
  bool bulleted = false; // started with a bullet such as ■ or ●
  bool wrapped = false;  // markup wrapper such as **…** or 【…】 was removed
  Span enumerator;       // a leading list mark such as 一、 or (1), inside content; empty if none
  std::vector<std::string_view> markup_rules;  // names of the rules that removed markup (owned by the rules)
  std::string_view furniture;  // the rule that found page furniture (发布时间:…); empty if none
  // Left out as a caption by its shape alone, no bullet and not set flush under text
  // set in (LayoutRules::CaptionShape warn_code): it may be the report's own paragraph.
  bool doubtful_caption = false;
  Span edge;                   // furniture at the end or start of a text line (（下转第4版）), out of content
  std::string_view edge_furniture;  // the rule that found it; empty if none
  std::string_view complete;   // the rule that ends the paragraph after this line without a sentence end
  uint32_t columns = 0;        // display width from the start of the line (a Chinese character 2, a digit 1)
  uint32_t chars = 0;          // characters from the start of the line (white space set in included)
  uint32_t indent = 0;         // display width of the white space it is set in by
  bool table_gaps = false;     // a tab, a | or two spaces inside it: a table's row, set at no fixed width
  bool indented = false;       // set in by white space (　　2022年，…): starts a paragraph
  bool full_width = false;     // as wide as the fixed width the page is set at: the layout broke it
};

struct Layout {
  std::vector<Line> lines;
};

// The lines of a text a stretch at a time, in order, each as layout() gives it: for a
// large document, whose lines all at once would take more memory than its text.
class LineStream {
 public:
  LineStream(std::u32string_view view, const FoldChanges& changes, const LayoutRules& rules);
  ~LineStream();
  LineStream(const LineStream&) = delete;
  LineStream& operator=(const LineStream&) = delete;
  // Appends the next lines to `out`; false (nothing appended) once all were given.
  bool next(std::vector<Line>& out);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// `view` is the matching view of `text` (same length).
Layout layout(std::u32string_view text, std::u32string_view view, const LayoutRules& rules);
// The same from the view alone and what folding changed (the text folded in place).
Layout layout(std::u32string_view view, const FoldChanges& changes, const LayoutRules& rules);
// Which of layout.json's enumerators reads the list mark that `s` opens with (一、 (一)
// 1. ①, after white space): its index, -1 if none.
int enumerator_kind(std::u32string_view s, const LayoutRules& rules);

}  // namespace digestx
