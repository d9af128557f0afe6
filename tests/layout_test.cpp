#include "digestx/layout.hpp"

#include "digestx/output.hpp"
#include "digestx/regex_first.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

class LayoutTable : public testing::TestWithParam<Case> {};

TEST_P(LayoutTable, ReadsMarkup) {
  const auto& c = GetParam().data;
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  std::u32string view = matching_view(text);
  Layout l = layout(text, view, rules().layout);
  ASSERT_FALSE(l.lines.empty());
  const Line& line = l.lines[0];
  if (c.contains("content")) EXPECT_EQ(slice(text, line.content), c.at("content").get<std::string>());
  if (c.contains("blank")) EXPECT_EQ(line.blank, c.at("blank").get<bool>());
  if (c.contains("level")) EXPECT_EQ(line.heading_level, c.at("level").get<int>());
  if (c.contains("bulleted")) EXPECT_EQ(line.bulleted, c.at("bulleted").get<bool>());
  if (c.contains("wrapped")) EXPECT_EQ(line.wrapped, c.at("wrapped").get<bool>());
  if (c.contains("enumerator")) EXPECT_EQ(slice(text, line.enumerator), c.at("enumerator").get<std::string>());
  if (c.contains("lines")) EXPECT_EQ(l.lines.size(), c.at("lines").get<size_t>());
  if (c.contains("furniture")) EXPECT_EQ(std::string(line.furniture), c.at("furniture").get<std::string>());
  if (c.contains("complete")) EXPECT_EQ(std::string(line.complete), c.at("complete").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Table, LayoutTable, testing::ValuesIn(load_table("layout.json")), case_name);

TEST(Layout, SpansPointIntoTheSource) {
  std::u32string text = U"### ■核心提示\r\n\r\n3月13日，会议召开。";
  std::u32string view = matching_view(text);
  Layout l = layout(text, view, rules().layout);
  ASSERT_EQ(l.lines.size(), 3u);
  EXPECT_EQ(slice(text, l.lines[0].content), "核心提示");
  EXPECT_TRUE(l.lines[1].blank);
  EXPECT_EQ(slice(text, l.lines[2].span), "3月13日，会议召开。");
}

// The layout from the view folded in place measures a line in the source's
// characters: full-width ＡＢ is as wide as 中文, its view AB is not.
TEST(Layout, MeasuresTheSourceWhenFoldedInPlace) {
  std::u32string text = U"　　ＡＢ１２，共计１２３万元\r\n第二行";
  Layout expected = layout(text, matching_view(text), rules().layout);
  std::u32string folded = text;
  FoldChanges changes = fold_in_place(folded);
  Layout l = layout(folded, changes, rules().layout);
  ASSERT_EQ(l.lines.size(), expected.lines.size());
  for (size_t i = 0; i < l.lines.size(); ++i) {
    EXPECT_EQ(l.lines[i].columns, expected.lines[i].columns);
    EXPECT_EQ(l.lines[i].indented, expected.lines[i].indented);
    EXPECT_EQ(l.lines[i].span.start, expected.lines[i].span.start);
  }
  EXPECT_EQ(l.lines[0].columns, 28u);  // 14 wide characters, the two ideographic spaces included
}

class RegexFirstTable : public testing::TestWithParam<Case> {};

TEST_P(RegexFirstTable, ReadsWhatAMatchStartsWith) {
  const auto& c = GetParam().data;
  FirstChars first = first_chars(from_utf8(c.at("regex").get<std::string>()));
  EXPECT_EQ(first.any, c.value("any", false));
  for (char32_t ch : from_utf8(c.value("starts", ""))) EXPECT_TRUE(first.may_start(ch)) << to_utf8(std::u32string(1, ch));
  for (char32_t ch : from_utf8(c.value("never", ""))) EXPECT_FALSE(first.may_start(ch)) << to_utf8(std::u32string(1, ch));
}

INSTANTIATE_TEST_SUITE_P(Table, RegexFirstTable, testing::ValuesIn(load_table("regex_first.json")), case_name);

// The built-in furniture rules keep their prefilter: a rule the reader gives up on
// would send every short line to ICU again (15% of a run).
TEST(Layout, EveryFurnitureRuleHasAPrefilter) {
  const LayoutRules& r = rules().layout;
  ASSERT_EQ(r.furniture_first.size(), r.furniture.size());
  ASSERT_EQ(r.furniture_contains.size(), r.furniture.size());
  for (size_t k = 0; k < r.furniture.size(); ++k)
    EXPECT_TRUE(!r.furniture_first[k].any || !r.furniture_contains[k].empty()) << r.furniture[k].name;
  EXPECT_FALSE(r.furniture_first_any.may_start(U'全'));
}

}  // namespace
}  // namespace digestx::test
