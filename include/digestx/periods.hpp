// Stage 5, periods: each sentence of a unit tagged last year / this year. A marker
// (去年, 一年来, 今年, 下一步, the report year, the year after) near the start of a
// sentence sets the period; it holds for the sentences after it until the next.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <string_view>
#include <vector>

#include "digestx/rules.hpp"
#include "digestx/sentences.hpp"
#include "digestx/span.hpp"

namespace digestx {

struct PeriodMark {
  Period period = Period::none;
  std::string_view rule;  // the marker rule that set it (in this sentence or an earlier one); owned by the rules
  bool marked = false; // this sentence holds the marker itself
  bool sentence_only = false;  // dates its own sentence only and starts no period (去年10月份我…调至…)
};

// Which reading of the period words: a digest is published the year after the year it
// reviews; an official's full report is written during it (今年 = the year under review),
// unless it is dated after that year (full_report_after, periods.json
// full_report_given_after: （2024年1月12日） under a 2023年度 report's byline), when its
// words read as a digest's (今年 = the year planned) and its review still starts at once.
// A digest of half-year reports (half_year, periods.json period.half_year: 兰溪区2019年
// 上半年…述职摘登) is written during its year too: a full report's readings (or its own,
// in_half_year), its plan (下半年) of the same year, no period before a marker.
enum class PeriodFrame { digest, full_report, full_report_after, half_year };

// The year of a line that is a date alone, as a full report's is given (（2024年1月12日）,
// 2024年1月15日 under the signature): made only of structure.json dateline_chars, a year
// of four digits before periods.json year_suffix. `line` is in the matching view.
std::optional<int> dateline_year(std::u32string_view line, std::u32string_view dateline_chars, const PeriodRules& rules);

// The marker a sentence holds near its start, if any.
std::optional<PeriodMark> find_period_marker(std::u32string_view sentence, std::optional<int> report_year,
                                             const PeriodRules& rules, PeriodFrame frame = PeriodFrame::digest);

// Whether `line` opens with a marker word or a year and then a clause break (今年，…
// 下一步，… 2024年，…) under periods.json paragraph_opening, so that it starts a paragraph
// though the text before it (`before`, up to the line) ends no sentence.
bool opens_period_paragraph(std::u32string_view line, std::u32string_view before, const PeriodRules& rules);

// A marker opening a later clause of a sentence, of another period than the sentence's
// (去年新建网格15个，今年将新增网格5个; 今年计划投入资金300万元，去年已投入200万元): the figures
// of that clause take its period (periods.json clause_marker). [at, end): the clause, up
// to the next clause break or the sentence's end.
struct ClauseMark {
  size_t at = 0, end = 0;
  PeriodMark mark;
};
std::vector<ClauseMark> clause_marks(std::u32string_view sentence, std::optional<int> report_year,
                                     const PeriodRules& rules, PeriodFrame frame);

// The period a table's header cell (or a row's label) gives the figures under it
// (periods.json table_cell), in the matching view: a year opening it (2023年, 2023年度,
// 2024年目标) or a marker word (今年目标). A year that is not the report year or the one
// after, a span of years (2021—2023年), or any year when the report year is unknown gives
// Period::none; nullopt when the header dates nothing (指标, 增长).
std::optional<PeriodMark> header_period(std::u32string_view header, std::optional<int> report_year,
                                        const PeriodRules& rules, PeriodFrame frame);

// Periods of the sentences of one unit, in order.
// The period of a unit's sentences before any marker: none in a digest, the year under
// review in a full report (periods.json full_report_start).
PeriodMark start_period(const PeriodRules& rules, PeriodFrame frame);

std::vector<PeriodMark> assign_periods(std::u32string_view view, const std::vector<SentenceText>& sentences,
                                       std::optional<int> report_year, const PeriodRules& rules,
                                       PeriodFrame frame = PeriodFrame::digest, const LayoutRules* layout = nullptr);

// The period of the sentence after `mark` (found in it, or nullopt), with `current` the
// period running on from the sentences before, which the mark updates unless it dates
// its own sentence only.
PeriodMark next_period(PeriodMark& current, const std::optional<PeriodMark>& mark);
// The period running on through a unit's sentences, and the one a sentence dated on its
// own lends to the items of a list it introduces (periods.json introduced_list).
struct PeriodRun {
  PeriodMark current;
  std::optional<PeriodMark> list;  // while that list's items may go on
  int list_kind = 0;               // the kind of its items (periods.cpp item_kind), once known
  int inner_kind = 0;              // of the items of a list within one of them, once met
  bool sub_heading = false;        // the last item was a heading of items below it
};
// The same for `sentence` (in the matching view), the run updated: `layout` gives the
// list marks an item may open with besides introduced_list's words (nullptr: words only).
PeriodMark next_period(PeriodRun& run, std::u32string_view sentence, const std::optional<PeriodMark>& mark,
                       const PeriodRules& rules, const LayoutRules* layout);

// The calendar year of a period: the plan's is the year after the report year, or the
// report year itself in a half-year digest (plan_offset 0: 下半年，将… of 2019年上半年).
inline std::optional<int> year_of(Period p, std::optional<int> report_year, int plan_offset = 1) {
  if (!report_year || p == Period::none) return std::nullopt;
  return p == Period::last_year ? *report_year : *report_year + plan_offset;
}

}  // namespace digestx
