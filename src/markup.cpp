#include "digestx/markup.hpp"

#include <algorithm>

namespace digestx {

namespace {

char32_t lower(char32_t c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }
bool is_ascii_alnum(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_line_end(char32_t c) { return c == '\n' || c == '\r'; }

bool listed(const std::vector<std::u32string>& list, std::u32string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// Where `word` (lower case) next starts at or after `from`, case-insensitively; npos if not.
size_t find_folded(std::u32string_view text, std::u32string_view word, size_t from) {
  for (size_t i = from; i + word.size() <= text.size(); ++i) {
    size_t k = 0;
    while (k < word.size() && lower(text[i + k]) == word[k]) ++k;
    if (k == word.size()) return i;
  }
  return std::u32string_view::npos;
}

// The end (one past '>') of the tag opening at `lt`, quotes in its attributes skipped
// (<a title="a>b">); npos when no '>' comes within the rules' limit or before the next
// '<': then the '<' is text (产值<5亿元 in a page typed by hand). Stopping at the next '<'
// keeps the whole page one pass: no stretch is scanned from two '<' (<a"<a"<a"… of a
// hostile page would otherwise cost max_chars for each '<').
size_t tag_end(std::u32string_view text, size_t lt, size_t max_chars) {
  char32_t quote = 0;
  size_t limit = std::min(text.size(), lt + max_chars);
  for (size_t k = lt + 1; k < limit; ++k) {
    char32_t c = text[k];
    if (c == '<') break;
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return k + 1;
    }
  }
  return std::u32string_view::npos;
}

// What a search for an end found missing once: every later search from further on
// would scan the same rest of the page for nothing (<!--<!--<!--… or a thousand
// <script> never closed), so it is not repeated.
struct Missing {
  bool comment_end = false;                 // no --> after some comment
  std::vector<std::u32string> closing_tags; // no </script … after some <script>
};

struct Tag {
  size_t end = std::u32string_view::npos;
  std::u32string name;  // lower case; empty for a comment or a declaration
  bool closing = false;
};

// The tag or comment at `lt`, or one whose end is npos when `lt` starts none.
Tag tag_at(std::u32string_view text, size_t lt, size_t max_chars, Missing& missing) {
  Tag tag;
  if (text.substr(lt, 4) == U"<!--") {
    size_t close = missing.comment_end ? std::u32string_view::npos : text.find(U"-->", lt + 4);
    if (close != std::u32string_view::npos) tag.end = close + 3;
    missing.comment_end = close == std::u32string_view::npos;
    return tag;
  }
  size_t k = lt + 1;
  if (k < text.size() && text[k] == '/') {
    tag.closing = true;
    ++k;
  }
  if (k >= text.size()) return tag;
  bool declaration = !tag.closing && (text[k] == '!' || text[k] == '?');
  if (!declaration && !(lower(text[k]) >= 'a' && lower(text[k]) <= 'z')) return tag;
  for (size_t n = k + (declaration ? 1 : 0); n < text.size() && is_ascii_alnum(text[n]); ++n)
    if (!declaration) tag.name += lower(text[n]);
  tag.end = tag_end(text, lt, max_chars);
  return tag;
}

// The character of the entity at `amp` (&nbsp; &#8220; &#x201C;) and where it ends, or
// 0 when `amp` starts none the rules know (a bare & in 产学研&合作 stays).
char32_t entity_at(std::u32string_view text, size_t amp, const LayoutRules::Markup& rules, size_t& end) {
  size_t semi = text.substr(0, std::min(text.size(), amp + 11)).find(U';', amp + 1);
  if (semi == std::u32string_view::npos || semi == amp + 1) return 0;
  std::u32string_view body = text.substr(amp + 1, semi - amp - 1);
  end = semi + 1;
  if (body[0] != '#') {
    for (const auto& e : rules.entities)
      if (e.first == body) return e.second;
    return 0;
  }
  bool hex = body.size() > 1 && lower(body[1]) == 'x';
  unsigned long code = 0;
  size_t digits = 0;
  for (size_t k = hex ? 2 : 1; k < body.size(); ++k, ++digits) {
    char32_t c = lower(body[k]);
    int d = c >= '0' && c <= '9' ? int(c - '0') : hex && c >= 'a' && c <= 'f' ? int(c - 'a' + 10) : -1;
    if (d < 0 || code > 0x10FFFF) return 0;
    code = code * (hex ? 16 : 10) + unsigned(d);
  }
  bool valid = digits > 0 && code > 0 && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF);
  return valid ? char32_t(code) : 0;
}

// The end of the markup a tag starts: the tag itself or, for a hidden element, all up to
// its closing tag.
size_t markup_end(std::u32string_view page, const Tag& tag, const LayoutRules::Markup& rules,
                  Missing& missing) {
  size_t end = tag.end;
  if (!tag.closing && listed(rules.hidden_tags, tag.name) && !listed(missing.closing_tags, tag.name)) {
    size_t close = find_folded(page, U"</" + tag.name, end);
    size_t close_end = close == std::u32string::npos ? close : tag_end(page, close, rules.max_tag_chars);
    if (close_end != std::u32string::npos) end = close_end;
    if (close == std::u32string::npos) missing.closing_tags.push_back(tag.name);
  }
  return end;
}

}  // namespace

bool is_html_page(std::u32string_view text, const LayoutRules::Markup& rules) {
  if (rules.name.empty()) return false;
  size_t start = 0;
  while (start < text.size() && start < 4096 && (text[start] == ' ' || text[start] == '\t' || is_line_end(text[start])))
    ++start;
  for (const std::u32string& opening : rules.starts) {
    if (start + opening.size() > text.size()) continue;
    size_t k = 0;
    while (k < opening.size() && lower(text[start + k]) == opening[k]) ++k;
    if (k == opening.size()) return true;
  }
  return false;
}

// Whether another cell of the row opens after `from`, before a row or a table begins or
// ends (looked for within kCellLookahead characters): a row of one cell is a page
// layout's box (<tr><td>当前位置：首页 >> …</td></tr>, a cell holding the article), no
// table's row.
constexpr size_t kCellLookahead = 4096;
bool row_goes_on(std::u32string_view page, size_t from, const LayoutRules::Markup& rules, Missing& missing) {
  size_t limit = std::min(page.size(), from + kCellLookahead);
  for (size_t i = from; i < limit; ++i) {
    if (page[i] != '<') continue;
    Tag tag = tag_at(page, i, rules.max_tag_chars, missing);
    if (tag.end == std::u32string::npos) continue;
    if (listed(rules.row_tags, tag.name) || tag.name == U"table") return false;
    if (!tag.closing && listed(rules.cell_tags, tag.name)) return true;
    i = tag.end - 1;
  }
  return false;
}

MarkupCount read_page(std::u32string& text, const LayoutRules::Markup& rules, PageMap& map) {
  MarkupCount count;
  Missing missing;
  map.page = text;
  std::u32string_view page(map.page);
  size_t w = 0;  // the text is written over the page's copy in place: never ahead of i
  size_t cells_in_row = 0;
  for (size_t i = 0; i < page.size();) {
    if (page[i] == '<') {
      Tag tag = tag_at(page, i, rules.max_tag_chars, missing);
      if (tag.end != std::u32string::npos) {
        size_t end = markup_end(page, tag, rules, missing);
        // A table's cell opens with a bar and its row on a new line, with no blank line after
        // it: a pipe table's rows, under their header (read as blocks, the cells of
        // <tr><td>茶叶品牌</td><td>6个</td><td>9个</td></tr> were one paragraph, each figure's
        // subject the next row's label, and the 2024年目标 column the report year's).
        bool row = listed(rules.row_tags, tag.name);
        if (row) cells_in_row = 0;
        bool cell = !tag.closing && listed(rules.cell_tags, tag.name) &&
                    (cells_in_row > 0 || row_goes_on(page, end, rules, missing));
        if (cell) ++cells_in_row;
        // A row opens a line only where none is open: </tr>\n<tr> is no blank line.
        size_t back = w;
        while (row && back > 0 && (text[back - 1] == ' ' || text[back - 1] == '\t')) --back;
        bool line_open = back == 0 || text[back - 1] == U'\n';
        bool block = !cell && (row ? !tag.closing && !line_open : listed(rules.block_tags, tag.name));
        // A page's main heading is set as markdown's (<h1>: "# "), so that it is the title
        // as a markdown page's is (the nav menu's first item, 首页, was the title).
        std::u32string_view marks;
        for (const auto& [name, written] : rules.heading_marks)
          if (block && !tag.closing && name == tag.name) marks = written;
        size_t width = size_t(block || cell) + marks.size();
        count.tags.push_back({uint32_t(w), uint32_t(w + width)});
        if (block) text[w++] = U'\n';
        if (cell) text[w++] = U'|';
        for (char32_t c : marks) text[w++] = c;
        map.leave_out(uint32_t(w), uint32_t(end - i - width));
        i = end;
        continue;
      }
    } else if (page[i] == '&') {
      size_t end = 0;
      if (char32_t c = entity_at(page, i, rules, end)) {
        // The entity's character is no character of the page: a heading's span stops
        // before it (城关街道党工委书记&nbsp;&nbsp;李明辉 gives back 城关街道党工委书记).
        count.tags.push_back({uint32_t(w), uint32_t(w + 1)});
        map.entity(uint32_t(w), uint32_t(end - i - 1));
        text[w++] = c;
        map.leave_out(uint32_t(w), uint32_t(end - i - 1));
        ++count.entities;
        i = end;
        continue;
      }
    }
    text[w++] = page[i++];
  }
  text.resize(w);
  return count;
}

namespace {

// Whether a tag stands in [from, to], either end included: a tag left out of the text
// has no width, so one between two pieces stands at the end of the first or the start
// of the next (<strong>城南镇党委书记</strong>　<strong>李明</strong>).
bool tag_between(const std::vector<Span>& tags, uint32_t from, uint32_t to) {
  auto it = std::lower_bound(tags.begin(), tags.end(), from, [](const Span& t, uint32_t at) { return t.start < at; });
  return it != tags.end() && it->start <= to;
}

// The heading's pieces cut where a tag stands inside one, leaving out what the markup
// became in the text (an entity's character): 城西镇党委书记　李<span>刚</span> and
// 城西镇党委书记&nbsp;李刚 are one line of the text, but the page's slice of it holds markup.
Pieces cut_at_markup(const Pieces& heading, const std::vector<Span>& tags) {
  Pieces cut;
  for (Span piece : heading) {
    auto it = std::lower_bound(tags.begin(), tags.end(), piece.start, [](const Span& t, uint32_t at) { return t.start < at; });
    for (; it != tags.end() && it->start < piece.end; ++it) {
      if (it->start > piece.start) cut.push_back({piece.start, it->start});
      piece.start = std::max(piece.start, std::min(it->end, piece.end));
    }
    if (!piece.empty()) cut.push_back(piece);
  }
  return cut;
}

}  // namespace

void keep_clear_of_markup(Pieces& heading, const std::vector<Span>& tags, Span anchor) {
  if (tags.empty() || heading.empty()) return;
  heading = cut_at_markup(heading, tags);
  if (heading.size() < 2) return;
  size_t at = 0;  // the piece holding the anchor (the organisation or name), else the first
  for (size_t k = 0; k < heading.size(); ++k)
    if (!anchor.empty() && heading[k].start <= anchor.start && anchor.start < heading[k].end) at = k;
  size_t first = at, last = at;
  while (first > 0 && !tag_between(tags, heading[first - 1].end, heading[first].start)) --first;
  while (last + 1 < heading.size() && !tag_between(tags, heading[last].end, heading[last + 1].start)) ++last;
  heading = Pieces(heading.begin() + long(first), heading.begin() + long(last) + 1);
}

}  // namespace digestx
