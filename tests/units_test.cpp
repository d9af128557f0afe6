#include "digestx/units.hpp"

#include <algorithm>

#include "digestx/layout.hpp"
#include "digestx/output.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

std::string field(const std::u32string& text, Span s) { return s.empty() ? "<null>" : field_slice(text, s); }
std::string field(const std::u32string& text, const Pieces& p) { return p.empty() ? "<null>" : slice(text, p); }

std::string expected(const nlohmann::json& c, const char* key) {
  return c.at(key).is_null() ? "<null>" : c.at(key).get<std::string>();
}

// Each case is a small digest; the table says what its units and front matter are.
class StructureTable : public testing::TestWithParam<Case> {};

TEST_P(StructureTable, FindsUnits) {
  const auto& c = GetParam().data;
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  ExtractOptions options;
  if (c.contains("year")) options.year = c.at("year").get<int>();  // as --year gives it
  Document doc = extract_text(text, {}, rules(), options);
  if (c.contains("units")) {
    ASSERT_EQ(doc.units.size(), c.at("units").size());
    for (size_t i = 0; i < doc.units.size(); ++i) {
      const auto& want = c.at("units")[i];
      const Unit& u = doc.units[i];
      if (want.contains("organization")) EXPECT_EQ(field(doc.text, u.organization), expected(want, "organization"));
      if (want.contains("role")) EXPECT_EQ(field(doc.text, u.role), expected(want, "role"));
      if (want.contains("name")) EXPECT_EQ(field(doc.text, u.name), expected(want, "name"));
      if (want.contains("headline")) EXPECT_EQ(field(doc.text, u.headline), expected(want, "headline"));
      if (want.contains("paragraphs")) EXPECT_EQ(u.paragraphs.size(), want.at("paragraphs").get<size_t>());
      if (want.contains("first_paragraph"))
        EXPECT_EQ(slice(doc.text, u.paragraphs.at(0).pieces), want.at("first_paragraph").get<std::string>());
    }
  }
  if (c.contains("title")) EXPECT_EQ(field(doc.text, doc.title), expected(c, "title"));
  if (c.contains("subtitle")) EXPECT_EQ(field(doc.text, doc.subtitle), expected(c, "subtitle"));
  if (c.contains("region")) EXPECT_EQ(field(doc.text, doc.region), expected(c, "region"));
  if (c.contains("report_year")) {
    if (c.at("report_year").is_null()) EXPECT_FALSE(doc.report_year);
    else EXPECT_EQ(doc.report_year.value_or(0), c.at("report_year").get<int>());
  }
  if (c.contains("year_rule")) EXPECT_EQ(doc.year_rule, c.at("year_rule").get<std::string>());  // --explain's
  if (c.contains("periods_rule")) EXPECT_EQ(doc.periods_rule, c.at("periods_rule").get<std::string>());
  if (c.contains("this_year"))  // the contract's periods.this_year
    EXPECT_EQ(doc.report_year.value_or(0) + doc.plan_year_offset, c.at("this_year").get<int>());
  if (c.contains("sidebars")) {
    ASSERT_EQ(doc.sidebars.size(), c.at("sidebars").size());
    for (size_t i = 0; i < doc.sidebars.size(); ++i)
      EXPECT_EQ(field(doc.text, doc.sidebars[i].label), expected(c.at("sidebars")[i], "label"));
  }
  if (c.contains("warning")) {
    bool found = false;
    for (const auto& w : doc.warnings) found = found || w.code == c.at("warning").get<std::string>();
    EXPECT_TRUE(found) << "no warning " << c.at("warning");
  }
  if (c.contains("no_warning"))
    for (const auto& w : doc.warnings) EXPECT_NE(w.code, c.at("no_warning").get<std::string>());
  if (c.contains("genre")) EXPECT_EQ(doc.genre, c.at("genre").get<std::string>());
  if (c.contains("furniture")) EXPECT_EQ(doc.furniture.size(), c.at("furniture").get<size_t>());
  if (c.contains("facts")) {  // the texts of all quantities (no dates, no names), sidebars first
    std::vector<std::string> got;
    auto add = [&](const Fact& f) {
      if (f.kind != "date" && f.kind != "name") got.push_back(slice(doc.text, f.span));
    };
    for (const auto& sb : doc.sidebars)
      for (const auto& f : sb.facts) add(f);
    for (const auto& u : doc.units)
      for (const auto& f : u.facts) add(f);
    EXPECT_EQ(got, c.at("facts").get<std::vector<std::string>>());
  }
  if (c.contains("periods")) {  // the periods of the sentences of the units, in order
    std::vector<std::string> got;
    for (const auto& u : doc.units)
      for (const auto& p : u.paragraphs)
        for (const auto& st : p.sentences) got.push_back(period_name(st.period) ? period_name(st.period) : "null");
    EXPECT_EQ(got, c.at("periods").get<std::vector<std::string>>());
  }
}

INSTANTIATE_TEST_SUITE_P(Table, StructureTable, testing::ValuesIn(load_table("structure.json")), case_name);

// Figures alone in the cells of a pipe table (tests/tables/table_cells.json): the subject
// from the row's label or the column's header, the aspect from a header that names one,
// and the rules --explain names.
class TableCellsTable : public testing::TestWithParam<Case> {};

TEST_P(TableCellsTable, ReadsHeaders) {
  const auto& c = GetParam().data;
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  ExtractOptions options;
  options.explain = true;
  if (c.contains("report_year")) options.year = c.at("report_year").get<int>();
  Document doc = extract_text(text, {}, rules(), options);
  std::vector<const Fact*> got;
  for (const auto& u : doc.units)
    for (const auto& f : u.facts) got.push_back(&f);
  for (const auto& w : c.at("facts")) {
    std::string wtext = w.at("text");
    // The nth fact of that text (0-based; the first when not given): a cell restating the prose.
    int nth = w.value("nth", 0), seen = 0;
    auto it = std::find_if(got.begin(), got.end(),
                           [&](const Fact* f) { return slice(doc.text, f->span) == wtext && seen++ == nth; });
    ASSERT_NE(it, got.end()) << "no fact " << wtext << " #" << nth;
    const Fact& f = **it;
    if (w.contains("subject")) EXPECT_EQ(field(doc.text, Pieces(f.subject)), expected(w, "subject")) << wtext;
    if (w.contains("aspect")) EXPECT_EQ(std::string(f.aspect), expected(w, "aspect")) << wtext;
    if (w.contains("subject_rule")) EXPECT_EQ(f.rules->subject, w.at("subject_rule").get<std::string>()) << wtext;
    if (w.contains("aspect_rule")) EXPECT_EQ(f.rules->aspect, w.at("aspect_rule").get<std::string>()) << wtext;
    if (w.contains("period")) EXPECT_EQ(period_name(f.period) ? period_name(f.period) : "<null>", expected(w, "period")) << wtext;
    if (w.contains("period_rule")) EXPECT_EQ(f.rules->period, w.at("period_rule").get<std::string>()) << wtext;
    if (w.contains("status")) EXPECT_EQ(f.status.empty() ? "<null>" : std::string(f.status), expected(w, "status")) << wtext;
    if (w.contains("status_rule")) EXPECT_EQ(f.rules->status, w.at("status_rule").get<std::string>()) << wtext;
    if (w.contains("part_of"))  // the text of the figure it restates or lies in, or null
      EXPECT_EQ(f.part_of.empty() ? "<null>" : slice(doc.text, f.part_of), expected(w, "part_of")) << wtext;
    if (w.contains("part_rule")) EXPECT_EQ(f.rules->part, w.at("part_rule").get<std::string>()) << wtext;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, TableCellsTable, testing::ValuesIn(load_table("table_cells.json")), case_name);
// The same runner over statuses given once a figure is found (tests/tables/figure_status.json).
INSTANTIATE_TEST_SUITE_P(FigureStatus, TableCellsTable, testing::ValuesIn(load_table("figure_status.json")), case_name);

}  // namespace
}  // namespace digestx::test
