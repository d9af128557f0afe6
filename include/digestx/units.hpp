// Stage 3, units: what the lines mean. Title, subtitle, report year and region;
// sidebars (■核心提示, 编者按) kept apart; one unit per secretary's report, its
// heading split into organisation, role, name and headline; paragraphs rejoined
// where the page layout broke them.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
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
  // Lines of the unit left out as captions by their shape alone (Line::doubtful_caption)
  // and the rule that took each: their figures are checked against the unit's facts.
  std::vector<Refusal> captions;
};

// The units of a document as the structure stage finds them, handed on first to last.
// For a streamed document each unit but the one being built is packed: its spans in
// queues shared by all the units, not a vector per paragraph. A 200 MB file has about
// 243,000 units: as UnitText (vectors grown by doubling) they took about 100 MB beside
// its text until written; packed, its peak RSS is 79 MB lower. Each is freed as it is
// taken. A document filled whole is not packed (set_packing(false)): its units would
// be unpacked again at once, all of them, work done twice on every smaller file.
class UnitList {
 public:
  // Whether the units added from now on are packed (the default); set while empty.
  void set_packing(bool packing) { packing_ = packing; }
  // Adds a unit; the one added before it is complete, and packed.
  void push_back(UnitText unit);
  // The unit added last, still open: its paragraphs grow, its last may be taken away.
  UnitText& back() { return *open_; }
  // Units added and not yet taken.
  size_t size() const { return packed_.size() + unpacked_.size() + (open_ ? 1 : 0); }
  bool empty() const { return size() == 0; }
  // The first unit not yet taken, as it was added; its storage is freed.
  UnitText pop_front();

 private:
  struct Packed {
    Span organization, role, name;
    uint32_t heading = 0, headline = 0;  // pieces of each, at the front of spans_
    size_t paragraphs = 0;               // their piece counts at the front of piece_counts_
    uint32_t rules = 0;                  // names at the front of rules_
    uint32_t captions = 0;               // at the front of captions_
    bool has_heading = false;
  };
  void pack(UnitText& unit);
  Pieces take_spans(size_t n);
  std::deque<Packed> packed_;
  std::deque<Span> spans_;  // the pieces of each packed unit: heading, headline, paragraphs
  std::deque<uint32_t> piece_counts_;  // pieces of each paragraph
  std::deque<std::string_view> rules_;
  std::deque<Refusal> captions_;
  std::optional<UnitText> open_;
  std::deque<UnitText> unpacked_;  // the complete units, when not packing
  bool packing_ = true;
};

struct SidebarText {
  Span label;  // empty for unlabelled front matter
  std::string rule;
  std::vector<ParagraphText> paragraphs;
  std::vector<Refusal> captions;  // as UnitText::captions
};

struct Structure {
  Pieces title, subtitle;
  std::vector<size_t> title_breaks;  // indices into title where a new line starts
  std::string title_rule, subtitle_rule;
  std::optional<int> report_year;
  std::string year_rule;
  std::string year_periods;  // the year rule's period frame (half_year), empty: the genre's
  Span year_place;           // where the report year was read (the title, a lead), empty if nowhere
  Pieces region;  // as written
  std::string region_rule;
  std::vector<SidebarText> sidebars;
  UnitList units;
  std::vector<FurnitureLine> furniture;
  std::string genre = "digest";  // or "full_report": an official's whole report (its period frame)
  std::string genre_rule;        // the genre rule that decided; empty for a digest
  std::vector<Warning> warnings;
};

// Starts work(0..n-1) on other threads and returns at once the function that ends it:
// runs what no thread took yet, waits for the rest, rethrows the first exception.
using PostWork = std::function<std::function<void()>(size_t n, std::function<void(size_t)> work)>;

struct StructureOptions {
  std::optional<int> year;  // --year: overrides what the text states
  std::string year_from = "--year";  // who gave it ("the path's year"), for the warning
  bool pack_units = true;  // pack the units as they are found (see UnitList): a streamed document
  // When set, the lines are laid out and classified a stretch ahead of the walk on
  // another thread (find_units from the view alone).
  PostWork post;
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
