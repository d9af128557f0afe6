// Stage 7, facts: numerals become facts. A numeral with what surrounds it (measure
// word or unit, 百分之/第/人民币 before it, qualifiers on either side, a range
// partner after 至/到/-) gets its kind, exact value, normalised unit, qualifier and
// subject; numerals inside “…”/《…》, set phrases, titles, versions and dates do not
// become quantities.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "digestx/document.hpp"
#include "digestx/joined.hpp"
#include "digestx/numbers.hpp"
#include "digestx/rules.hpp"

namespace digestx {

// A stretch of one paragraph (or one input line) with its sentences' periods.
struct FactInput {
  const Joined* joined = nullptr;        // the paragraph's matching view with source positions
  std::u32string_view text;              // the decoded source (for units "as written")
  std::vector<size_t> sentence_starts;   // joined offsets where sentences begin, ascending
  std::vector<Period> periods;           // one per sentence
  std::vector<std::string_view> period_rules;  // one per sentence (owned by the rules)
  // Clauses inside a sentence that open with a marker of another period (periods.json
  // clause_marker): joined offsets, ascending, and the period of the figures after each.
  std::vector<size_t> clause_starts;
  std::vector<Period> clause_periods;
  std::optional<int> report_year;
  int plan_year_offset = 1;  // the plan's year - report_year (Document::plan_year_offset)
  // The line break right after the paragraph has digits on both sides: a figure the
  // layout kept apart may be cut there (layout.json numerals_apart, warned): 超过3⏎5个村.
  bool cut_figure_after = false;
  bool explain = false;                  // keep the names of the rules behind each fact
  std::u32string_view unit_place;        // the unit's own place, matching view (subjects never begin with it)
  int unit_kind = -1;                    // the kind of body it is (unit_kind_of), or -1
  // The numerals of `joined`, when the caller has found them already (a line that is
  // one piece); otherwise the facts stage finds them.
  const std::vector<Numeral>* numerals = nullptr;
  // Receives the source spans of figures left out: those whose value cannot be
  // represented (see find_numerals) and facts whose scaling overflows, with an empty
  // rule; damaged figures (2,3000名) with the numbers rule that found them.
  std::vector<Refusal>* left_out = nullptr;
  // --explain: receives each numeral not taken, with the rule that refused it.
  std::vector<Refusal>* refused = nullptr;
};

std::vector<Fact> find_facts(const FactInput& input, const Rules& rules);

}  // namespace digestx
