#include "digestx/headings.hpp"

#include <filesystem>
#include <stdexcept>

#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

// The rules with structure.json's heading layouts replaced by `layouts`.
std::shared_ptr<const Rules> rules_with_layouts(const nlohmann::json& layouts) {
  std::vector<RulesFile> files = embedded_rules_files();
  for (auto& f : files) {
    if (f.name != "structure.json") continue;
    auto structure = nlohmann::json::parse(f.text);
    structure["heading_layouts"] = layouts;
    f.text = structure.dump();
  }
  return compile_rules(files);
}

std::string field(const std::u32string& text, Span s) { return s.empty() ? "<null>" : to_utf8(text.substr(s.start, s.size())); }
std::string field(const std::u32string& text, const Pieces& p) {
  std::string out;
  for (const Span& s : p) out += to_utf8(text.substr(s.start, s.size()));
  return out.empty() ? "<null>" : out;
}

// Each case: heading layouts, a line (markup already removed), and what they read
// there ("want": null when no layout reads it).
class HeadingLayoutTable : public testing::TestWithParam<Case> {};

TEST_P(HeadingLayoutTable, ReadsTheLine) {
  const auto& c = GetParam().data;
  auto rules = rules_with_layouts(c.at("layouts"));
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  std::u32string view = matching_view(text);
  auto h = parse_heading_line(view, {Span{0, uint32_t(text.size())}}, rules->structure);
  const auto& want = c.at("want");
  if (want.is_null()) {
    EXPECT_FALSE(h) << "read as " << field(text, h->heading.name);
    return;
  }
  ASSERT_TRUE(h);
  EXPECT_EQ(h->layout->name, want.at("layout").get<std::string>());
  EXPECT_EQ(field(text, h->heading.organization), want.at("organization").get<std::string>());
  EXPECT_EQ(field(text, h->heading.role), want.at("role").get<std::string>());
  EXPECT_EQ(field(text, h->heading.name), want.at("name").get<std::string>());
  if (want.contains("headline")) EXPECT_EQ(field(text, h->heading.headline), want.at("headline").get<std::string>());
  if (want.contains("body")) EXPECT_EQ(field(text, h->body), want.at("body").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Table, HeadingLayoutTable, testing::ValuesIn(load_table("heading_layouts.json")), case_name);

const HeadingLayout& layout_named(const StructureRules& st, const std::string& name) {
  for (const HeadingLayout& l : st.layouts)
    if (l.name == name) return l;
  throw std::runtime_error("no layout " + name);
}

// What every match of a layout holds, read from its pattern at load: role words (two for
// two officials), the first two characters of the words of its required literals
// (同志), a bracket's marks; nothing for an optional item. The same from --rules.
TEST(HeadingLayoutNeeds, ReadFromThePattern) {
  const StructureRules& st = rules().structure;
  EXPECT_EQ(layout_named(st, "heading.post_name").role_words_needed, 1u);
  EXPECT_EQ(layout_named(st, "heading.post_name").words_needed, U"");
  EXPECT_EQ(layout_named(st, "heading.post_name_co_official").role_words_needed, 2u);
  EXPECT_EQ(layout_named(st, "heading.post_name_comrade").words_needed, std::u32string(U"\x01同志"));
  EXPECT_EQ(layout_named(st, "heading.post_bracketed_name").words_needed, std::u32string(U"\x02(([[\x02))]]"));
  EXPECT_EQ(layout_named(st, "heading.place_labelled_name").role_words_needed, 0u);
  EXPECT_NE(layout_named(st, "heading.place_labelled_name").words_needed.find(U"述职"), std::u32string::npos);
  auto run_time = compile_rules(embedded_rules_files());
  ASSERT_EQ(run_time->structure.layouts.size(), st.layouts.size());
  for (size_t k = 0; k < st.layouts.size(); ++k) {
    EXPECT_EQ(run_time->structure.layouts[k].role_words_needed, st.layouts[k].role_words_needed) << st.layouts[k].name;
    EXPECT_EQ(run_time->structure.layouts[k].words_needed, st.layouts[k].words_needed) << st.layouts[k].name;
  }
}

// A layout is passed over only on lines it cannot read: the same headings as with every
// layout tried on every line (that holds a role word where one is needed), on every
// line of the samples and test inputs and on lines of each layout, positive and negative.
TEST(HeadingLayoutNeeds, SameHeadingsAsEveryLayoutTried) {
  Rules plain = rules();
  for (HeadingLayout& l : plain.structure.layouts) {
    l.words_needed.clear();
    l.role_words_needed = l.needs_role_word ? 1 : 0;
  }
  plain.structure.role_word_starts = WordStarts();  // every position looked up
  std::vector<std::u32string> lines = {
      U"石门镇党委　述职人：周丽", U"石门镇　述职人：党委书记　周丽", U"述职人：城北镇党委书记　周建华",
      U"城关镇党委书记李明同志", U"城关镇党委书记李明同志指出，全镇新建小区党支部4个",
      U"滨江街道党工委书记　陈立新　办事处主任　刘　洋", U"青石镇党委书记　王海燕、镇长　李　强",
      U"城关镇党委书记（李明）", U"县教育局党组书记、局长（王五）：办好人民满意的教育", U"城关镇党委书记：李明",
      U"以党建引领数字经济跑出加速度——区工业和信息化局党组书记、局长　林志强", U"| 城北镇党委 | 书记 | 王强 |",
      U"城关镇党委书记李明述职摘要", U"青山乡党委书记 王海燕 述职报告（摘要）", U"王大力（海棠区委书记）：强基固本",
      U"织密网格强治理（南岭区南平镇党委书记 林海）", U"支部书记带头，全镇新建党支部4个。"};
  add_lines_of_test_inputs(lines);
  size_t headings = 0;
  for (const std::u32string& line : lines) {
    std::u32string view = matching_view(line);
    Pieces all{Span{0, uint32_t(line.size())}};
    auto filtered = parse_heading_line(view, all, rules().structure), tried = parse_heading_line(view, all, plain.structure);
    ASSERT_EQ(bool(filtered), bool(tried)) << to_utf8(line);
    if (!filtered) continue;
    ++headings;
    EXPECT_EQ(filtered->layout->name, tried->layout->name) << to_utf8(line);
    EXPECT_EQ(field(line, filtered->heading.organization), field(line, tried->heading.organization)) << to_utf8(line);
    EXPECT_EQ(field(line, filtered->heading.role), field(line, tried->heading.role)) << to_utf8(line);
    EXPECT_EQ(field(line, filtered->heading.name), field(line, tried->heading.name)) << to_utf8(line);
    EXPECT_EQ(field(line, filtered->heading.headline), field(line, tried->heading.headline)) << to_utf8(line);
  }
  EXPECT_GT(headings, 100u);
}

// The role words' pre-test (WordStarts) passes over no position where a role word starts:
// at every position of a table of lines it answers yes wherever the lexicon finds a word,
// built in or from --rules; and no where a role word's first character starts another
// word (主动, 一是, 市场, 县域; not 主要, whose characters' low bits are 总裁's, a company's post:
// the filter keeps 64 × 64 bits). A word of one character is found at the end of a line too.
TEST(RoleWordStarts, AnswersAsTheFullScan) {
  auto run_time = compile_rules(embedded_rules_files());
  const std::vector<std::u32string> lines = {
      U"城关镇党委书记李明同志", U"县教育局党组书记、局长（王五）", U"区工业和信息化局党组书记、局长　林志强",
      U"主要做法：一是抓班子", U"市场主体增长，县域经济发展", U"滨江街道党工委书记　陈立新　办事处主任　刘　洋", U"书"};
  size_t found = 0;
  for (const StructureRules* st : {&rules().structure, &run_time->structure}) {
    for (const std::u32string& line : lines) {
      std::u32string view = matching_view(line);
      for (size_t p = 0; p < view.size(); ++p) {
        if (!st->role_words.longest_at(view, p)) continue;
        ++found;
        EXPECT_TRUE(st->role_word_starts.may_start_at(view, p)) << to_utf8(line) << " at " << p;
      }
    }
    for (const char32_t* no_role : {U"主动", U"一是", U"市场", U"县域", U"书"})
      EXPECT_FALSE(st->role_word_starts.may_start_at(matching_view(no_role), 0)) << to_utf8(no_role);
  }
  EXPECT_GE(found, 14u);
  Lexicon words;
  words.add(U"书记", 0);
  words.add(U"长", 1);
  WordStarts starts(words);
  EXPECT_TRUE(starts.may_start_at(U"党委书记", 2));
  EXPECT_FALSE(starts.may_start_at(U"党委书记", 3));
  EXPECT_TRUE(starts.may_start_at(U"镇长", 1));  // the last character: a word of one
  EXPECT_TRUE(starts.may_start_at(U"长期", 0));
  EXPECT_FALSE(starts.may_start_at(U"书法", 0));
  EXPECT_TRUE(WordStarts().may_start_at(U"书法", 0));  // one that knows no words says yes
}

}  // namespace
}  // namespace digestx::test
