// Stage 1b, markup: an HTML page read as its text, its tags, comments and entities left
// out, so that the layout sees the page's text and lines as a reader does (a page saved
// from a news site: <p><strong>城南镇党委书记　周立新</strong></p>; 投资<b>12</b>亿元), while a
// PageMap gives every span back in the file's own characters at output.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "digestx/page_map.hpp"
#include "digestx/rules.hpp"
#include "digestx/span.hpp"

namespace digestx {

struct MarkupCount {
  std::vector<Span> tags;  // where the tags, comments and entities stood in the text, in
                           // order: a block tag's line break, an entity's character, or no width
  size_t entities = 0;     // &nbsp; &ldquo; &#12345; … each read as its character
};

// True when the text is an HTML page by the rules' openings (<!DOCTYPE html, <html, …).
bool is_html_page(std::u32string_view text, const LayoutRules::Markup& rules);

// The page's text, in place of the page (kept in `map.page`): a tag is left out (a block
// tag such as <p> or <br> leaves a line break), and so is the content of a hidden element
// (<script>, <style>, <head>); an entity becomes its character. `map` records where each
// run left out stood.
MarkupCount read_page(std::u32string& text, const LayoutRules::Markup& rules, PageMap& map);

// A heading's lines, cut where a tag stands inside one, up to the first tag between them
// (and from the last one before the piece holding `anchor`): a heading's span never
// covers the page's markup, so the file's own characters still give it back. The
// headline in a <p> of its own stays the headline.
void keep_clear_of_markup(Pieces& heading, const std::vector<Span>& tags, Span anchor);

}  // namespace digestx
