#include "digestx/table_cells.hpp"

#include <algorithm>
#include <optional>

#include "digestx/aspects.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/view.hpp"

namespace digestx {

namespace {

// A table's header is looked for this many rows up at most: a figure deep in a table
// of thousands of rows must not scan them all.
constexpr size_t kMaxRowsUp = 64;
// A row set with white space is a short line: a paragraph of one line (a whole report on
// one line, parted into stretches that each looked at all of it) is never parted into cells.
constexpr size_t kMaxSpacedRowChars = 160;

bool is_bar(char32_t c) { return c == U'|' || c == U'｜'; }
bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\u3000' || c == U'\r'; }

Span trimmed(std::u32string_view text, Span s) {
  while (s.start < s.end && is_space(text[s.start])) ++s.start;
  while (s.end > s.start && is_space(text[s.end - 1])) --s.end;
  return s;
}

// The line holding position pos, without its line break.
Span line_at(std::u32string_view text, size_t pos) {
  size_t b = pos, e = pos;
  while (b > 0 && text[b - 1] != U'\n') --b;
  while (e < text.size() && text[e] != U'\n') ++e;
  return {uint32_t(b), uint32_t(e)};
}

// The cells of a row set with white space: parted by a tab or a run of two white spaces
// or more (一般公共预算收入　　　17.1亿元　　18.6亿元 has three); a single space parts no
// cells (城关镇　党委书记　李明). None if fewer than two.
std::vector<Span> spaced_cells_of(std::u32string_view text, Span s) {
  std::vector<Span> cells;
  uint32_t from = s.start;
  for (uint32_t k = s.start; k < s.end;) {
    uint32_t run = k;
    while (run < s.end && is_space(text[run])) ++run;
    bool gap = run - k >= 2 || (run > k && text[k] == U'\t');
    if (gap) {
      cells.push_back({from, k});
      from = run;
    }
    k = run > k ? run : k + 1;
  }
  cells.push_back({from, s.end});
  if (cells.size() < 2) cells.clear();
  return cells;
}

// The cells of a pipe table's row (a line that starts with a bar), trimmed; none if the
// line is no such row. | 实际利用外资 | 5.6亿美元 | 12.5% | has three.
std::vector<Span> pipe_cells_of(std::u32string_view text, Span line) {
  Span s = trimmed(text, line);
  std::vector<Span> cells;
  if (s.empty() || !is_bar(text[s.start])) return cells;
  uint32_t from = s.start + 1;
  for (uint32_t k = from; k <= s.end; ++k) {
    if (k < s.end && !is_bar(text[k])) continue;
    if (k < s.end || from < s.end) cells.push_back(trimmed(text, {from, k}));
    from = k + 1;
  }
  if (cells.size() < 2) cells.clear();
  return cells;
}

// | --- | :---: |: the row that divides a markdown table's header from its body.
bool is_divider(std::u32string_view text, const std::vector<Span>& cells) {
  for (Span c : cells) {
    if (c.empty()) return false;
    for (uint32_t k = c.start; k < c.end; ++k)
      if (text[k] != U'-' && text[k] != U':' && text[k] != U'—' && text[k] != U'－' && !is_space(text[k])) return false;
  }
  return !cells.empty();
}

// A tab or two white spaces inside the line: a row set with white space, maybe.
bool holds_gap(std::u32string_view text, Span s) {
  for (uint32_t k = s.start; k + 1 < s.end; ++k)
    if (text[k] == U'\t' || (is_space(text[k]) && is_space(text[k + 1]))) return true;
  return false;
}

// The cells of a table's row, a pipe table's or one set with white space (a short line
// with a gap in it); none if the line is no row.
std::vector<Span> cells_of(std::u32string_view text, Span line) {
  Span s = trimmed(text, line);
  if (s.empty() || is_bar(text[s.start])) return pipe_cells_of(text, line);
  if (s.size() > kMaxSpacedRowChars || !holds_gap(text, s)) return {};
  return spaced_cells_of(text, s);
}

// The header cells of a table set with white space holding the row `line`: the first
// row of its run of rows, of as many cells (主要指标　　2021年　　2022年 over its rows).
std::vector<Span> spaced_header_of(std::u32string_view text, Span line, size_t cells) {
  std::vector<Span> header;
  for (size_t up = 0; up < kMaxRowsUp && line.start >= 2; ++up) {
    Span above = line_at(text, line.start - 1);
    std::vector<Span> row = cells_of(text, above);
    Span s = trimmed(text, above);
    if (row.size() != cells || s.empty() || is_bar(text[s.start])) break;
    header = std::move(row);
    line = above;
  }
  return header;
}

// The header cells of the table holding the row `line` of `cells` cells: the row above
// its divider (a pipe table), or the first of its run of rows (one set with white space).
std::vector<Span> header_of(std::u32string_view text, Span line, size_t want) {
  Span row = trimmed(text, line);
  if (!row.empty() && !is_bar(text[row.start])) return spaced_header_of(text, line, want);
  // A pipe table typed without its divider (| 指标 | 年度目标 | 完成情况 | over its rows): its
  // first row of as many cells is the header, as in a table set with white space (the
  // 年度目标 column was read as no column at all, and its goals were added to the total).
  // Only a row that opens the run of rows, found within kMaxRowsUp, and of as many cells.
  std::vector<Span> first_row;
  for (size_t up = 0; up < kMaxRowsUp; ++up) {
    if (line.start < 2) return first_row.size() == want ? first_row : std::vector<Span>();
    Span above = line_at(text, line.start - 1);
    std::vector<Span> cells = pipe_cells_of(text, above);
    if (cells.empty()) return first_row.size() == want ? first_row : std::vector<Span>();
    if (is_divider(text, cells)) return above.start >= 2 ? pipe_cells_of(text, line_at(text, above.start - 1)) : cells;
    first_row = std::move(cells);
    line = above;
  }
  return {};
}

// Words that name what a figure measures: Chinese in it, no Arabic digit (a year row),
// no clause mark (去年，一般公共预算收入 of a row set with white space is a sentence's).
bool names_a_noun(std::u32string_view text, Span s) {
  bool han = false;
  for (uint32_t k = s.start; k < s.end; ++k) {
    if (text[k] >= U'0' && text[k] <= U'9') return false;
    if (text[k] == U'，' || text[k] == U',' || text[k] == U'。' || text[k] == U'；' || text[k] == U';') return false;
    han = han || (text[k] >= 0x4E00 && text[k] <= 0x9FFF);
  }
  return han;
}

// A header that is only a year or a word such as 数值 (digits and spaces aside).
bool generic_header(std::u32string_view header_view, const SubjectRules::TableCells& tc) {
  std::u32string words;
  for (char32_t c : header_view)
    if (!(c >= U'0' && c <= U'9') && !is_space(c)) words += c;
  if (words.empty()) return true;
  return tc.generic_columns.longest_at(words, 0).len == words.size();
}

// The column cue (aspects.json where column) of `cues` that fits a figure of `kind` under
// the header: of the aspects' cues (| 增长 |: change) or of the statuses' (| 年度目标 |: target).
const AspectRules::Cue* column_cue(std::u32string_view header_view, std::string_view kind,
                                   const std::vector<AspectRules::Cue>& cues) {
  for (const AspectRules::Cue& c : cues) {
    if (c.where != AspectRules::Where::column) continue;
    bool kind_ok = false;
    for (const std::string& k : c.kinds) kind_ok = kind_ok || k == kind;
    if (!kind_ok) continue;
    for (size_t p = 0; p < header_view.size(); ++p)
      if (c.words.longest_at(header_view, p)) return &c;
  }
  return nullptr;
}

bool is_quantity(const Fact& f) { return f.kind != "date" && f.kind != "name"; }

// periods.json table_cell: the period of a figure under a dated column header (| 指标 |
// 2022年 | 2023年 |), or beside a dated row label (| 2023年 | 410万元 |), which wins over
// its sentence's: the rows of a table all sit in the sentence before them.
// `head_view`: the header's matching view, as read_cell made it.
void date_cell(std::u32string_view text, std::u32string_view head_view, Span label, const TableContext& cx,
               const Rules& rules, Fact& f) {
  if (!cx.with_periods) return;
  const PeriodRules& pr = rules.periods;
  std::optional<PeriodMark> mark = header_period(head_view, cx.report_year, pr, cx.frame);
  if (!mark && !label.empty())
    mark = header_period(matching_view(text.substr(label.start, label.size())), cx.report_year, pr, cx.frame);
  if (!mark) return;
  f.period = mark->period;
  f.year = year_of(f.period, cx.report_year, cx.plan_year_offset);
  if (cx.explain) f.rules.mut().period = mark->rule;
}

// The cells of one row and of its table's header, found once for all the row's figures:
// a line of a thousand figures (or a paragraph of one line with two spaces in it) is
// parted once, not once a figure.
struct Row {
  Span line;
  std::vector<Span> cells, header;
};

// One figure alone in its cell: its subject from the row's label or the column's
// header, and its aspect from a header that names one.
void read_cell(std::u32string_view text, Fact& f, const Rules& rules, const TableContext& cx, const Row& row) {
  const std::vector<Span>& cells = row.cells;
  auto at = std::lower_bound(cells.begin(), cells.end(), f.span.start, [](Span c, uint32_t p) { return c.start < p; });
  if (at == cells.begin() || at == cells.end() || at->start != f.span.start || at->end != f.span.end) return;  // not alone in its cell, or the label itself
  f.in_cell = true;
  size_t col = size_t(at - cells.begin());
  const std::vector<Span>& header = row.header;
  Span head = col < header.size() ? header[col] : Span{};
  std::u32string head_view = matching_view(text.substr(head.start, head.size()));
  const SubjectRules::TableCells& tc = rules.subjects.table_cells;
  const AspectRules::Cue* cue = head.empty() ? nullptr : column_cue(head_view, f.kind, rules.aspects.cues);
  const AspectRules::Cue* status = head.empty() ? nullptr : column_cue(head_view, f.kind, rules.aspects.status_cues);
  // A header that names no noun (a figure: the first row of a table set with white space) leaves it to the row.
  // A header naming an aspect or a status (| 增长 |, | 年度目标 |) says what the figure is, not what it measures.
  bool by_row = head.empty() || cue || status || generic_header(head_view, tc) || !names_a_noun(text, head);
  Span subject = by_row ? cells[0] : head;
  if (names_a_noun(text, subject)) {
    f.subject = ShortPieces();
    f.subject.first = subject;
    if (cx.explain) f.rules.mut().subject = by_row ? tc.row_rule : tc.column_rule;
  }
  if (cue) {
    f.aspect = rules.kinds.aspects[size_t(cue->aspect)].name;
    if (cx.explain) f.rules.mut().aspect = cue->name;
  }
  date_cell(text, head_view, cells[0], cx, rules, f);
  if (status && status_holds(*status, f.period)) {  // | 2024年目标 | in a plan: the plan itself
    f.status = rules.kinds.statuses[size_t(status->status)].name;
    if (cx.explain) f.rules.mut().status = status->name;
  }
}

}  // namespace

void read_table_cells(std::u32string_view text, std::vector<Fact>& facts, const Rules& rules, const TableContext& cx) {
  if (rules.subjects.table_cells.row_rule.empty()) return;
  Row row;  // the last fact's line: a line of a thousand figures is found once
  for (Fact& f : facts) {
    if (!is_quantity(f) || f.span.empty()) continue;
    if (f.span.start < row.line.start || f.span.start >= row.line.end) {
      row.line = line_at(text, f.span.start);
      row.cells = cells_of(text, row.line);
      row.header = row.cells.empty() ? std::vector<Span>() : header_of(text, row.line, row.cells.size());
    }
    if (!row.cells.empty()) read_cell(text, f, rules, cx, row);
  }
}

// A row of cells parted by bars: | 城关镇 | 党委书记 | 李明 |, or with none at its ends,
// 县教育局 | 局长 | 陈国华 (two bars at least: 城关镇丨周海波 is a name after a place).
bool bar_row(std::u32string_view text, Span line) {
  if (!pipe_cells_of(text, line).empty()) return true;
  Span s = trimmed(text, line);
  int bars = 0;
  for (uint32_t k = s.start; k < s.end; ++k) bars += is_bar(text[k]);
  return bars >= 2;
}

// The nearest line above (up) or below `line` that is not blank, or an empty span.
Span text_line_beside(std::u32string_view text, Span line, bool up) {
  for (int k = 0; k < 3; ++k) {
    if (up ? line.start == 0 : line.end >= text.size()) return {};
    line = line_at(text, up ? line.start - 1 : line.end + 1);
    if (!trimmed(text, line).empty()) return line;
  }
  return {};
}

// Rows of a roster may stand a blank line apart (本期述职人员名单 over 城关镇 | 党委书记 |
// 周海波, a blank line, 白石镇 | 党委书记 | 马俊: each was a unit of its own, empty).
bool lone_table_row(std::u32string_view text, size_t pos) {
  if (pos >= text.size()) return false;
  Span line = line_at(text, pos);
  if (!bar_row(text, line)) return false;
  Span above = text_line_beside(text, line, true), below = text_line_beside(text, line, false);
  bool row_above = !above.empty() && bar_row(text, above);
  bool row_below = !below.empty() && bar_row(text, below);
  return !row_above && !row_below;
}

namespace {

// A figure a total may add, of the rule's kinds: the cell and the prose figure it restates.
bool restatable(const Fact& f, const FactPatternRules::RestatedInTable& r) {
  return counts_in_money_total(f) && std::find(r.kinds.begin(), r.kinds.end(), f.kind) != r.kinds.end();
}

std::u32string subject_text(std::u32string_view text, const ShortPieces& s) {
  std::u32string out;
  for (Span p : {s.first, s.second})
    if (!p.empty()) out.append(text.substr(p.start, p.size()));
  return out;
}

// How well a row's label names what a prose figure measures: 2 the same words, 1 the
// shorter (min_chars at least) lying in the longer (固定资产投资 in 全社会固定资产投资, 上级资金
// in 争取上级资金), 0 none: not 创业奖补资金 for 就业奖补资金 (they share 奖补资金: another
// fund), nor 资金 alone.
int naming(const std::u32string& label, const std::u32string& said, size_t min_chars) {
  if (label.empty() || said.empty()) return 0;
  if (label == said) return 2;
  const std::u32string& shorter = label.size() <= said.size() ? label : said;
  const std::u32string& longer = label.size() <= said.size() ? said : label;
  return shorter.size() >= min_chars && longer.find(shorter) != std::u32string::npos ? 1 : 0;
}

// The label of the row holding a cell (its first cell), empty when the cell is the label.
std::u32string row_label(std::u32string_view text, const Fact& cell) {
  std::vector<Span> cells = cells_of(text, line_at(text, cell.span.start));
  if (cells.empty()) return {};
  Span label = trimmed(text, cells[0]);
  if (label.end > cell.span.start) return {};
  return std::u32string(text.substr(label.start, label.size()));
}

// A cell and a prose figure it may restate, and how well the row's label names it.
struct Restating {
  int score;
  size_t cell, said;
};

// Whether the figure stands in a short line opening with a bullet (●投入资金300万元 ●新建道路
// 12公里): the line's text without the bullet, else empty.
std::u32string bullet_line(std::u32string_view text, const Fact& f, const Rules& rules) {
  const FactPatternRules::RestatedInTable& r = rules.facts.restated_in_table;
  if (r.bullet_name.empty() || f.in_cell) return {};
  // Only a short line: a look back of max_chars at most finds its start (a paragraph's
  // line is hundreds of characters long, and each of its figures asked).
  size_t b = f.span.start, limit = r.bullet_max_chars + 8;
  while (b > 0 && text[b - 1] != U'\n' && f.span.start - b <= limit) --b;
  if (f.span.start - b > limit) return {};
  size_t e = f.span.start;
  while (e < text.size() && text[e] != U'\n' && e - b <= limit) ++e;
  if (e - b > limit) return {};
  Span line = trimmed(text, Span{uint32_t(b), uint32_t(e)});
  if (line.empty() || line.size() > r.bullet_max_chars) return {};
  for (const LayoutRules::Bullet& b : rules.layout.bullets)
    if (!b.needs_space && b.chars.has(text[line.start]))
      return std::u32string(text.substr(line.start + 1, line.size() - 1));
  return {};
}

// How a restating figure's line names a prose figure: a cell by its row's label (naming),
// a bullet line by holding the prose figure's subject (投入资金300万元 holds 资金).
int line_names(const std::u32string& label, bool bullet, const std::u32string& said, size_t min_chars) {
  if (!bullet) return naming(label, said, min_chars);
  return said.size() >= 2 && label.find(said) != std::u32string::npos ? 2 : 0;
}

// The pairs of a unit's facts: cells (and bullet lines) against prose figures of the same
// value, unit and period whose subject the row's label (the line) names. `prose`: the
// prose figures by value; `lines`: each fact's bullet line, empty for none.
std::vector<Restating> restating_pairs(std::u32string_view text, const std::vector<Fact>& facts,
                                       const std::vector<size_t>& prose, const std::vector<std::u32string>& lines,
                                       const FactPatternRules::RestatedInTable& r) {
  std::vector<Restating> pairs;
  for (size_t c = 0; c < facts.size(); ++c) {
    const Fact& cell = facts[c];
    bool bullet = !lines[c].empty();
    if (!(cell.in_cell || bullet) || !restatable(cell, r)) continue;
    std::u32string label = bullet ? lines[c] : row_label(text, cell);
    auto lo = std::lower_bound(prose.begin(), prose.end(), c,
                               [&](size_t p, size_t x) { return *facts[p].value < *facts[x].value; });
    for (auto it = lo; it != prose.end() && !(*cell.value < *facts[*it].value); ++it) {
      const Fact& said = facts[*it];
      if (said.unit != cell.unit || said.period != cell.period || said.year != cell.year) continue;
      if (int score = line_names(label, bullet, subject_text(text, said.subject), r.min_chars))
        pairs.push_back({score, c, *it});
    }
  }
  return pairs;
}

}  // namespace

void mark_restated_cells(std::u32string_view text, std::vector<Fact>& facts, const Rules& rules, bool explain) {
  const FactPatternRules::RestatedInTable& r = rules.facts.restated_in_table;
  if (r.name.empty()) return;
  // Most units hold no table and no bullet line: nothing more is looked at (the check per
  // fact was 1% of a run).
  std::vector<std::u32string> lines;  // sized at the first bullet line: most units have none
  bool any = false;
  for (size_t k = 0; k < facts.size(); ++k) {
    if (facts[k].in_cell) any = true;
    if (facts[k].in_cell || !restatable(facts[k], r)) continue;
    std::u32string line = bullet_line(text, facts[k], rules);
    if (line.empty()) continue;
    if (lines.empty()) lines.resize(facts.size());
    lines[k] = std::move(line);
    any = true;
  }
  if (!any) return;
  if (lines.empty()) lines.resize(facts.size());
  std::vector<size_t> prose;
  for (size_t k = 0; k < facts.size(); ++k)
    if (!facts[k].in_cell && lines[k].empty() && restatable(facts[k], r)) prose.push_back(k);
  if (prose.empty()) return;
  std::stable_sort(prose.begin(), prose.end(), [&](size_t a, size_t b) { return *facts[a].value < *facts[b].value; });
  // The best pairs first, each figure restated once (| 就业奖补资金 | 300万元 | and | 创业奖补资金 |
  // 300万元 | under 发放就业奖补资金300万元: the 就业 row's).
  std::vector<Restating> pairs = restating_pairs(text, facts, prose, lines, r);
  std::stable_sort(pairs.begin(), pairs.end(), [](const Restating& a, const Restating& b) { return a.score > b.score; });
  std::vector<bool> used(facts.size(), false);
  for (const Restating& p : pairs) {
    if (used[p.cell] || used[p.said]) continue;
    used[p.cell] = used[p.said] = true;
    facts[p.cell].part_of = facts[p.said].span;
    if (explain) facts[p.cell].rules.mut().part = lines[p.cell].empty() ? r.name : r.bullet_name;
  }
}

}  // namespace digestx
