#include "digestx/layout.hpp"

#include <unicode/regex.h>

#include <filesystem>
#include <string_view>
#include <vector>
#include <sstream>

#include "digestx/markup.hpp"
#include "digestx/output.hpp"
#include "digestx/pipeline.hpp"
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
  size_t at = c.value("line", size_t(0));  // the line checked: 0, or one under others (a caption under a paragraph)
  ASSERT_LT(at, l.lines.size());
  const Line& line = l.lines[at];
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

// An HTML page read as its text (layout.json "html_page"): its non-blank lines, trimmed,
// runs of spaces as one, are the page's text; each character of the text that the page
// has as such is where the page map puts it.
class MarkupTable : public testing::TestWithParam<Case> {};

TEST_P(MarkupTable, ReadsAPagesText) {
  const auto& c = GetParam().data;
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  const LayoutRules::Markup& m = rules().layout.markup;
  ASSERT_EQ(is_html_page(text, m), c.at("html").get<bool>());
  if (!c.contains("lines")) return;
  std::u32string blanked = text;
  PageMap map;
  read_page(blanked, m, map);
  ASSERT_EQ(map.page, text);
  // A character written for markup stands on its tag (a heading's marks, "# " for <h1>,
  // on the tag's own characters) or its entity.
  auto in_tag = [&](size_t at) {
    size_t open = text.rfind(U'<', at), close = at == 0 ? std::u32string::npos : text.rfind(U'>', at - 1);
    return open != std::u32string::npos && (close == std::u32string::npos || close < open);
  };
  for (uint32_t k = 0; k < blanked.size(); ++k)
    if (blanked[k] == text[map.page_at(k)]) continue;
    else EXPECT_TRUE(in_tag(map.page_at(k)) || text[map.page_at(k)] == '&') << k;
  std::vector<std::string> lines;
  std::string line;
  for (char32_t ch : blanked + U"\n") {
    if (ch != '\n' && ch != '\r') {
      if (ch != ' ' || (!line.empty() && line.back() != ' ')) line += to_utf8(std::u32string(1, ch));
      continue;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) lines.push_back(line);
    line.clear();
  }
  EXPECT_EQ(lines, c.at("lines").get<std::vector<std::string>>());
}

// A page's fact by its text on the page (12</b>亿元), or null.
const Fact* fact_on_page(const Document& doc, const std::string& page_text) {
  for (const Unit& u : doc.units)
    for (const Fact& f : u.facts)
      if (slice(doc.page.page, doc.page.to_page(f.span)) == page_text) return &f;
  return nullptr;
}

// The page read whole (markup.json rows with "facts", "no_facts" or "units"): a tag
// between a figure and its unit, or inside a heading, reads as nothing; each fact's
// page span gives its text back on the page.
TEST_P(MarkupTable, ReadsThePageWhole) {
  const auto& c = GetParam().data;
  if (!c.contains("facts") && !c.contains("no_facts") && !c.contains("units")) return;
  std::string page = c.at("in").get<std::string>();
  Document doc = extract(page, {"page.html", "", false, 0}, rules());
  ASSERT_FALSE(doc.page.empty());
  for (const auto& w : c.value("facts", nlohmann::json::array())) {
    std::string wtext = w.at("text");
    const Fact* f = fact_on_page(doc, wtext);
    ASSERT_TRUE(f) << "no fact " << wtext;
    if (w.contains("value")) EXPECT_EQ(f->value ? f->value->str() : "", w.at("value").get<std::string>()) << wtext;
    if (w.contains("subject"))
      EXPECT_EQ(f->subject.empty() ? std::string() : slice(doc.text, Pieces(f->subject)), w.at("subject").get<std::string>())
          << wtext;
    if (w.contains("aspect")) EXPECT_EQ(std::string(f->aspect), w.at("aspect").get<std::string>()) << wtext;
  }
  for (const auto& w : c.value("no_facts", nlohmann::json::array()))
    EXPECT_FALSE(fact_on_page(doc, w.get<std::string>())) << w;
  if (!c.contains("units")) return;
  ASSERT_EQ(doc.units.size(), c.at("units").size());
  for (size_t i = 0; i < doc.units.size(); ++i) {
    const auto& want = c.at("units")[i];
    const Unit& u = doc.units[i];
    for (const char* key : {"organization", "role", "name"}) {
      Span got = key[0] == 'o' ? u.organization : key[0] == 'r' ? u.role : u.name;
      if (want.contains(key)) EXPECT_EQ(slice(doc.text, got), want.at(key).get<std::string>()) << key;
    }
    // The heading's page span gives the heading back, white space aside.
    Span heading = doc.page.to_page(covering(u.heading));
    std::string on_page = slice(doc.page.page, heading), read = slice(doc.text, u.heading);
    for (std::string* t : {&on_page, &read})
      for (size_t k; (k = t->find_first_of(" \n\r\t")) != std::string::npos;) t->erase(k, 1);
    EXPECT_EQ(on_page, read);
    if (want.contains("heading")) EXPECT_EQ(read, want.at("heading").get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(Table, MarkupTable, testing::ValuesIn(load_table("markup.json")), case_name);

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

// The furniture rules' answers are remembered by the line's text for the rest of the
// document (FurnitureMemo): a page's lines laid out after other pages are marked as on
// the page alone, where the same text stands elsewhere too, and where its place decides
// (a caption set flush under a paragraph set in may be longer, 河湾乡…图为中心内景。).
TEST(Layout, FurnitureOfARepeatedLineIsTheSameAsOnItsPageAlone) {
  const std::u32string caption = U"河湾乡投资1800万元建成的农产品冷链物流中心。图为中心内景。（通讯员　张敏　摄）";
  const std::vector<std::u32string> pages = {
      U"　　去年，河湾乡投资1800万元建成农产品冷链物流中心1座。\n" + caption + U"\n\n来源：白云县融媒体中心\n责任编辑：周敏",
      U"河湾乡新建冷库3座。\n" + caption + U"\n来源：白云县融媒体中心\n（鹭洲区委组织部　供稿）",
      U"来源：白云县融媒体中心\n　　全年新建党群服务驿站12个。\n" + caption + U"\n责任编辑：周敏\n（鹭洲区委组织部　供稿）",
  };
  std::u32string all;
  std::vector<std::string_view> expected;
  for (const std::u32string& page : pages) {
    all += (all.empty() ? U"" : U"\n") + page;
    for (const Line& line : layout(page, matching_view(page), rules().layout).lines) expected.push_back(line.furniture);
  }
  Layout l = layout(all, matching_view(all), rules().layout);
  ASSERT_EQ(l.lines.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(l.lines[i].furniture, expected[i]) << "line " << i;
  // The caption's two places read apart: it is a caption under the paragraph set in only.
  EXPECT_EQ(expected[1], "furniture.photo_caption_credit");
  EXPECT_EQ(expected[6], "");
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

class RegexRequiredTable : public testing::TestWithParam<Case> {};

TEST_P(RegexRequiredTable, ReadsWhatEveryMatchHolds) {
  const auto& c = GetParam().data;
  std::vector<FirstChars> needs = required_chars(from_utf8(c.at("regex").get<std::string>()));
  EXPECT_EQ(needs.empty(), c.value("none", false));
  for (const auto& t : c.value("may", nlohmann::json::array())) EXPECT_TRUE(holds_in_order(needs, from_utf8(t.get<std::string>()))) << t;
  for (const auto& t : c.value("never", nlohmann::json::array())) EXPECT_FALSE(holds_in_order(needs, from_utf8(t.get<std::string>()))) << t;
  // The bit tables answer as the sets do, on the table's texts and each of their characters.
  NeedsInOrder quick(needs);
  for (const char* key : {"may", "never"})
    for (const auto& t : c.value(key, nlohmann::json::array())) {
      std::u32string text = from_utf8(t.get<std::string>());
      EXPECT_EQ(quick.held_by(text), holds_in_order(needs, text)) << t;
      for (size_t i = 0; i < text.size(); ++i)
        EXPECT_EQ(quick.held_by(text.substr(i, 1)), holds_in_order(needs, text.substr(i, 1))) << t << " at " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(Table, RegexRequiredTable, testing::ValuesIn(load_table("regex_required.json")), case_name);

// The regular expressions of rules/*.json (each "regex" and "title_regex").
void collect_patterns(const nlohmann::json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if ((key == "regex" || key == "title_regex") && value.is_string()) out.push_back(value.get<std::string>());
      else collect_patterns(value, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect_patterns(v, out);
  }
}

// Every line of the test digests that a built-in pattern matches holds what the
// prefilter says the pattern needs: a wrong need would lose a title's year or region.
TEST(Layout, EveryMatchOfABuiltInPatternHoldsItsNeeds) {
  std::vector<std::string> patterns;
  for (const auto& e : std::filesystem::directory_iterator(source_path("rules")))
    collect_patterns(nlohmann::json::parse(read_file(e.path().string()), nullptr, true, true), patterns);
  ASSERT_GT(patterns.size(), 20u);
  std::vector<std::u32string> lines;
  for (const auto& e : std::filesystem::directory_iterator(source_path("tests/data"))) {
    if (e.path().extension() != ".txt") continue;
    std::istringstream in(read_file(e.path().string()));
    for (std::string line; std::getline(in, line);) lines.push_back(from_utf8(line));
  }
  size_t hits = 0;
  for (const std::string& p : patterns) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError perr;
    std::unique_ptr<icu::RegexPattern> re(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(p), 0, perr, status));
    ASSERT_TRUE(U_SUCCESS(status)) << p;
    std::vector<FirstChars> needs = required_chars(from_utf8(p));
    for (const std::u32string& line : lines) {
      icu::UnicodeString us = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(line.data()), int32_t(line.size()));
      std::unique_ptr<icu::RegexMatcher> m(re->matcher(us, status));
      if (!m->find()) continue;
      ++hits;
      EXPECT_TRUE(holds_in_order(needs, line)) << p << " on " << to_utf8(line);
    }
  }
  EXPECT_GT(hits, 100u);
}

// The report-year and region rules keep a need: without it every title line compiles
// them, and the first ICU pattern of a process costs more than the rest of a short run.
TEST(Layout, YearAndRegionRulesNeedCharacters) {
  for (const auto& r : rules().structure.report_year) EXPECT_FALSE(r.pattern.may_match(U"2022")) << r.name;
  for (const auto& r : rules().structure.region) EXPECT_FALSE(r.pattern.may_match(U"去年全县完成固定资产投资12.5亿元。")) << r.name;
}

// The built-in furniture rules keep their prefilter: a rule the reader gives up on
// would send every short line to ICU again (15% of a run).
TEST(Layout, EveryFurnitureRuleHasAPrefilter) {
  const LayoutRules& r = rules().layout;
  ASSERT_EQ(r.furniture_first.size(), r.furniture.size());
  ASSERT_EQ(r.furniture_contains.size(), r.furniture.size());
  for (size_t k = 0; k < r.furniture.size(); ++k)
    EXPECT_TRUE(!r.furniture_first[k].chars.any || !r.furniture_contains[k].empty()) << r.furniture[k].name;
  EXPECT_FALSE(r.furniture_first_any.may_start(U'全'));
}

// The furniture rules' first characters as filters (by bits) answer as the sets they
// hold, on every character of the test inputs and on the characters around the bits'
// wrap (1024 apart) of each range's ends.
TEST(Layout, FirstCharsFiltersSameAnswersOnTestInputs) {
  std::vector<std::u32string> lines;
  add_lines_of_test_inputs(lines);
  const LayoutRules& r = rules().layout;
  std::vector<const FirstCharsFilter*> filters{&r.furniture_first_any};
  for (const FirstCharsFilter& f : r.furniture_first) filters.push_back(&f);
  for (const FirstCharsFilter* f : filters) {
    std::u32string asked = U" \t\u3000\u00A00123456789０";
    for (const auto& [lo, hi] : f->chars.ranges)
      for (char32_t c : {lo, hi, char32_t(lo + 1024), char32_t(hi + 1024), char32_t(lo ^ 1024)}) asked += c;
    for (const std::u32string& line : lines) asked += line;
    for (char32_t c : asked) ASSERT_EQ(f->may_start(c), f->chars.may_start(c)) << uint32_t(c);
  }
}

}  // namespace
}  // namespace digestx::test
