// Stage 3, units: what the lines mean. Title, subtitle, report year and region;
// sidebars (■核心提示, 编者按) kept apart; one unit per secretary's report, its
// heading split into organisation, role, name and headline; paragraphs rejoined
// where the page layout broke them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digestx/layout.hpp"
#include "digestx/rules.hpp"
#include "digestx/span.hpp"

namespace digestx {

struct ParagraphText {
  Pieces pieces;  // one piece per source line it covers
};

struct UnitHeading {
  Pieces heading;   // all heading lines, markup removed
  Span organization, role, name;  // empty when not found
  Pieces headline;  // empty when the unit has none
  std::vector<std::string_view> rules;  // names owned by the rules (see Document::rules)
};

struct UnitText {
  bool has_heading = false;
  UnitHeading heading;
  std::vector<ParagraphText> paragraphs;
};

struct SidebarText {
  Span label;  // empty for unlabelled front matter
  std::string rule;
  std::vector<ParagraphText> paragraphs;
};

// A line of page furniture (发布时间:…, 责任编辑:…) left out of the text.
struct FurnitureLine {
  Span span;
  std::string rule;
};

struct Structure {
  Pieces title, subtitle;
  std::vector<size_t> title_breaks;  // indices into title where a new line starts
  std::string title_rule, subtitle_rule;
  std::optional<int> report_year;
  std::string year_rule;
  Pieces region;  // as written
  std::string region_rule;
  std::vector<SidebarText> sidebars;
  std::vector<UnitText> units;
  std::vector<FurnitureLine> furniture;
  std::string genre = "digest";  // or "full_report": an official's whole report (its period frame)
  std::string genre_rule;        // the genre rule that decided; empty for a digest
  std::vector<Warning> warnings;
};

struct StructureOptions {
  std::optional<int> year;  // --year: overrides what the text states
  std::string year_from = "--year";  // who gave it ("the path's year"), for the warning
};

// The heading of a unit in one line of content, or nullopt. Exposed for tests.
std::optional<UnitHeading> parse_unit_heading(std::u32string_view view, const Pieces& content,
                                              const StructureRules& rules);

Structure find_units(std::u32string_view view, const Layout& layout, const Rules& rules,
                     const StructureOptions& options = {});
// The same from the view alone (the text folded in place, `changes` what folding
// changed), its lines laid out a stretch at a time as they are walked (LineStream).
Structure find_units(std::u32string_view view, const FoldChanges& changes, const Rules& rules,
                     const StructureOptions& options = {});

}  // namespace digestx
