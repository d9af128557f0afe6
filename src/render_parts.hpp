// Internal to the render stage (src/render.cpp writes the page, src/render_text.cpp
// the source text): what a document section is made of while it is written, and the
// small helpers both use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digestx/render.hpp"

namespace digestx::render_parts {

// ---------------------------------------------------------------- words

std::string kind_label(std::string_view kind);
bool is_quantity_kind(std::string_view kind);  // rules/kinds.json: not date, name
std::string kind_class(std::string_view kind);  // k-money: CSS colours by kind
std::vector<std::string> kinds_in_order(std::vector<std::string> kinds);
std::vector<std::string> all_kinds();  // every kind, in that order (the panel's table columns)
const char* period_key(Period p);  // last_year, this_year, none
std::optional<int> period_year(Period p, std::optional<int> report_year, int plan_offset = 1);
std::string period_label(Period p, std::optional<int> report_year, int plan_offset = 1);  // "last year 2022"
std::string qualifier_label(std::string_view q);                  // "more than"
std::string number_text(size_t n);                                   // "4,979"

// ---------------------------------------------------------------- markup

// ` name="value"`, the value escaped.
void attr(std::string& out, const char* name, std::string_view value);
// Escaped source text of a span or of pieces.
void source_text(std::string& out, const Document& doc, Span s);
void source_text(std::string& out, const Document& doc, const Pieces& pieces);

// ---------------------------------------------------------------- facts

std::string range_raw(const Fact& f);   // "low,high", exact
std::string range_text(const Fact& f);  // "10,000–50,000"
std::string value_text(const Fact& f);  // "396,000"
std::string rules_text(const Fact& f);  // "kind unit.yuan · numeral numeral.arabic · …"

// A fact as the page refers to it: the id of its mark in the text, its place in
// the JSON, and which unit or sidebar holds it.
struct FactRef {
  const Fact* fact = nullptr;
  std::string id;
  std::string path;
  std::string where;
  size_t where_rank = 0;
  bool placed = false;
};

// A unit or a sidebar: what the text shows in source order.
struct Block {
  const Unit* unit = nullptr;
  const Sidebar* sidebar = nullptr;
  size_t index = 0;  // in doc.units or doc.sidebars
  uint32_t start = 0;
  std::string id;
  std::vector<FactRef> facts;  // in the order of the JSON
  std::vector<size_t> by_start;  // indices into facts, by position in the text
  // Where write_paragraph left off in by_start, and at which text position: the next
  // paragraph goes on from there rather than from the first fact (160,000 paragraphs
  // of one unit were quadratic).
  size_t fact_cursor = 0;
  uint32_t cursor_pos = 0;
};

struct WarningRef {
  const Warning* warning = nullptr;
  std::string id;
  bool in_text = false;  // its span starts in a paragraph, where a marker shows it
};

// Everything one document section needs while it is written.
struct Section {
  const Document& doc;
  std::string id;  // d0, d1, …
  std::string& out;  // the page being written
  std::vector<Block> blocks;           // source order
  std::vector<WarningRef> warnings;    // all of the document's warnings
  std::vector<size_t> warnings_by_pos;  // the ones with a span, by position
};

// ---------------------------------------------------------------- the text (render_text.cpp)

// Units and sidebars in source order, their facts named for the page.
std::vector<Block> blocks_of(const Document& doc, const std::string& section_id);
std::string sidebar_label(const Sidebar& sb, const Document& doc);
// Which warnings the text will show in place (sets WarningRef::in_text).
void find_warnings_in_text(Section& s);
// Every unit and sidebar: headings, paragraphs with sentences and facts, side notes.
void write_text(Section& s);

}  // namespace digestx::render_parts
