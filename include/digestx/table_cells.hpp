// Facts stage, after the words: a figure alone in a cell of a pipe table, or of a table
// set with white space (cells parted by a tab or two spaces or more, the first row of as
// many cells its header)
// (| 实际利用外资 | 5.6亿美元 | 12.5% | under | 指标 | 2017年 | 增长 |) has no words around
// it to name what it measures. Its column's header names it, or, where that header is
// only a year (2017年) or the figure's aspect (增长), the row's label does; a header
// that names a change or a share (aspects.json where column) gives the aspect, and a
// header that opens with a year or a period word (2022年, 今年目标) gives the period
// (periods.json table_cell).
#pragma once

#include <string_view>
#include <vector>

#include "digestx/document.hpp"
#include "digestx/periods.hpp"
#include "digestx/rules.hpp"

namespace digestx {

// What a header's year is read against.
struct TableContext {
  std::optional<int> report_year;
  PeriodFrame frame = PeriodFrame::digest;
  bool with_periods = false;  // a sidebar's figures have no period, dated header or not
  bool explain = false;
  int plan_year_offset = 1;  // Document::plan_year_offset
};

// `text` is the whole decoded source; the facts' spans index it.
void read_table_cells(std::u32string_view text, std::vector<Fact>& facts, const Rules& rules, const TableContext& cx);

// Once a unit's facts are all found (rules: facts.json restated_in_table): a figure alone
// in a cell that states again a figure of the unit's prose, of the same value, unit,
// period and subject, becomes a part of it (part_of: its span), so that no total adds
// one sum twice (青石镇完成固定资产投资3.2亿元… then | 固定资产投资 | 3.2亿元 |).
void mark_restated_cells(std::u32string_view text, std::vector<Fact>& facts, const Rules& rules, bool explain);

// Whether the line holding `pos` is a table row (| a | b |) with no row right above or
// below it: a table of one row, as a heading set in cells stands (| 城北镇党委 | 书记 | 王强 |),
// where a roster's rows stand together.
bool lone_table_row(std::u32string_view text, size_t pos);

}  // namespace digestx
