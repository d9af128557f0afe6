// The document: what the pipeline hands to the output stage. Plain data; every
// piece of text is a span into the decoded input, sliced at output time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "digestx/boxed.hpp"
#include "digestx/decimal.hpp"
#include "digestx/page_map.hpp"
#include "digestx/span.hpp"

namespace digestx {

struct Rules;

// --explain: the rules that produced a fact, Duckling-style.
struct FactRules {
  std::vector<std::string> numeral;
  std::string unit, qualifier, subject, kind, aspect;
  std::string status;   // the aspects.json status cue that made it a target or a forecast
  std::string pattern;  // the facts.json pattern that composed the fact
  std::string period;   // a rule that dated the figure apart from its sentence (a clause, a table column)
  std::string part;     // the rule that made it a part of a whole (facts.json total.parts_after, total.sum_after)
};

// Archives hold hundreds of thousands of facts: a fact stays small. Names (kind,
// qualifier) point into the rules or into string literals, which outlive documents.
struct Fact {
  Span span;
  std::string_view kind;  // count, money, percent, percentage_point, multiple, fraction, measure,
                          // duration, ordinal; date and name for numbers that are not quantities
  std::optional<Decimal> value;
  std::string unit;            // empty = null
  std::string_view qualifier;  // empty = null
  Boxed<std::pair<Decimal, Decimal>> range;
  ShortPieces subject;  // empty = null
  std::string_view aspect;  // amount, per_capita, rate, change, threshold, cumulative, rank; empty = null
  // Empty = an outcome. target or forecast (kinds.json statuses): 完成年度目标任务62亿元的94.5%
  // (62亿元 is the goal), 预计全年可完成63亿元. No total adds it.
  std::string_view status;
  Period period = Period::none;
  std::optional<int> year;
  bool joined = false;     // the figure's text runs across a line break the layout joined
  bool in_cell = false;    // alone in a table's cell (table_cells.hpp): it may restate the prose
  // Empty = null. The whole this figure is a part of, by that fact's span: 投入资金5000万元，
  // 其中财政资金3000万元 (the 3000万 is inside the 5000万, never added to it).
  Span part_of;
  Boxed<FactRules> rules;  // only when asked for (--explain, render)
};

struct Sentence {
  Pieces pieces;
  Period period = Period::none;
  std::string_view period_rule;  // a marker rule's name (owned by the rules)
  bool period_marked = false;
};

struct Paragraph {
  Pieces pieces;
  std::vector<Sentence> sentences;
};

struct Unit {
  bool has_heading = false;
  Pieces heading;
  Span organization, role, name;  // empty = null
  Pieces headline;                // empty = null
  std::vector<std::string_view> rules;  // names owned by the rules (see Document::rules)
  std::vector<Paragraph> paragraphs;
  std::vector<Fact> facts;
  std::vector<Refusal> refused;  // --explain only
};

struct Sidebar {
  Span label;  // empty = unlabelled front matter
  std::string rule;
  std::vector<Paragraph> paragraphs;
  std::vector<Fact> facts;
  std::vector<Refusal> refused;  // --explain only
};

struct SourceInfo {
  std::string path;  // as given; "-" for stdin
  std::string encoding;
  bool bom = false;
  size_t bytes = 0;
  size_t undecodable = 0;  // byte sequences the encoding could not decode
  std::string markup;      // the rule that read an HTML page's text (layout.html_page); empty: text
};

struct Document {
  SourceInfo source;
  std::u32string text;  // the decoded input (an HTML page's text: see `page`); spans index it
  Pieces title, subtitle, region;
  std::string region_given;  // --region or the path's: wins over `region` (see region_of)
  std::vector<size_t> title_breaks;  // a title set over lines: where each line starts (joined by a space)
  std::string title_rule, subtitle_rule, region_rule, year_rule;
  std::optional<int> report_year;
  std::vector<Sidebar> sidebars;
  std::vector<Unit> units;
  std::string genre = "digest";  // or "full_report" (an official's whole report: its period frame)
  std::string genre_rule;        // the rule that found the genre; empty for a digest
  // periods.json full_report_given_after when a full report is dated after the year it
  // reviews (its period words then read as a digest's), period.half_year for a digest of
  // half-year reports (2019年上半年…述职摘登: written during its year); empty otherwise.
  std::string periods_rule;
  // periods.this_year - report_year: 1 (a digest's plan is the year after), 0 in a
  // half-year digest (periods.json period.half_year: 下半年，将… of 2019 itself).
  int plan_year_offset = 1;
  using Furniture = FurnitureLine;
  std::vector<Furniture> furniture;  // page furniture left out of the text (shown by --explain)
  std::vector<Warning> warnings;
  std::vector<Span> markup;  // where an HTML page's tags stood in the text (see SourceInfo::markup)
  PageMap page;  // an HTML page: the page itself, and its spans from the text's (empty: text)
  std::string rules_fingerprint;  // of the rules that made it (Rules::fingerprint)
  // The rules that made it, shared: Fact::kind, qualifier, aspect, Sentence::period_rule,
  // Unit::rules, Refusal::rule and Furniture::rule are views into them, so the document
  // keeps them alive (extract(b, s, *load_rules_dir(d)) leaves no dangling name). Null only for Rules
  // that no shared_ptr owns (built on the stack by a caller who keeps them).
  std::shared_ptr<const Rules> rules;
  std::string id;  // records mode: the input record's id (JSON text), empty otherwise
};

}  // namespace digestx
