// Stage 1b, markup: an HTML page's tags, comments and entities blanked in place, so that
// the layout sees the page's text and lines while every span still counts the file's
// own characters (a page saved from a news site: <p><strong>城南镇党委书记　周立新</strong></p>).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "digestx/rules.hpp"
#include "digestx/span.hpp"

namespace digestx {

struct MarkupCount {
  std::vector<Span> tags;  // the tags and comments blanked, in order
  size_t entities = 0;     // &nbsp; &ldquo; &#12345; … each read as its character
};

// True when the text is an HTML page by the rules' openings (<!DOCTYPE html, <html, …).
bool is_html_page(std::u32string_view text, const LayoutRules::Markup& rules);

// Blanks the page's markup in place, one character for one: a tag becomes spaces (a line
// break where a block tag such as <p> or <br> begins), the content of a hidden element
// (<script>, <style>, <head>) spaces too, line breaks kept; an entity becomes its
// character followed by spaces. The text keeps its length, so spans index the file.
MarkupCount blank_markup(std::u32string& text, const LayoutRules::Markup& rules);

// A heading's lines up to the first tag between them (and from the last one before the
// line holding `anchor`): a heading's span never covers the page's markup, so the file's
// own characters still give it back. The headline in a <p> of its own stays the headline.
void keep_clear_of_markup(Pieces& heading, const std::vector<Span>& tags, Span anchor);

}  // namespace digestx
