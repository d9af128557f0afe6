#include "digestx/rules.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <tuple>
#include <nlohmann/json.hpp>
#include <unicode/regex.h>

#include "../src/json_tree.hpp"
#include "../src/lexicon_sequence.hpp"
#include "../src/lexicon_tables.hpp"
#include "../src/gen/rule_patterns.hpp"
#include "../src/regex_han.hpp"
#include "../src/regex_prefilter.hpp"
#include "../src/regex_programs.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

std::vector<RulesFile> with_replaced(const std::string& name, const std::string& text) {
  std::vector<RulesFile> files = embedded_rules_files();
  for (auto& f : files)
    if (f.name == name) f.text = text;
  return files;
}

// A case: a rules file replaced by "text"; the error must name "pointer".
class BadRulesTable : public testing::TestWithParam<Case> {};

TEST_P(BadRulesTable, NamesFileAndPointer) {
  const auto& c = GetParam().data;
  std::string file = c.at("file");
  try {
    compile_rules(with_replaced(file, c.at("text").get<std::string>()));
    FAIL() << "accepted bad rules";
  } catch (const RulesError& e) {
    EXPECT_EQ(e.file(), file);
    EXPECT_EQ(e.pointer(), c.at("pointer").get<std::string>()) << e.what();
    if (c.contains("mentions"))
      EXPECT_NE(std::string(e.what()).find(c.at("mentions").get<std::string>()), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Table, BadRulesTable, testing::ValuesIn(load_table("bad_rules.json")), case_name);

TEST(Rules, EmbeddedRulesCompile) {
  auto r = default_rules();
  EXPECT_FALSE(r->quantities.units.empty());
  EXPECT_FALSE(r->periods.markers.empty());
}

TEST(Rules, EveryRuleFileIsEmbedded) {
  std::set<std::string> embedded;
  for (const auto& f : embedded_rules_files()) embedded.insert(f.name);
  for (const auto& entry : std::filesystem::directory_iterator(source_path("rules")))
    EXPECT_TRUE(embedded.count(entry.path().filename().string())) << entry.path();
}

TEST(Rules, DirectoryOverridesOneFile) {
  auto dir = std::filesystem::temp_directory_path() / ("digestx_rules_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "periods.json") << R"({"markers": [{"name": "period.custom", "text": "上年度", "period": "last_year"}],
    "max_offset": 4, "not_after": ["比"], "not_before": ["同期"], "year_suffix": "年", "year_not_before": ["度"]})";
  auto r = load_rules_dir(dir.string());
  EXPECT_EQ(r->periods.markers.size(), 1u);
  EXPECT_FALSE(r->quantities.units.empty());  // the others stay built in
  std::ofstream(dir / "periods.json") << "{";
  try {
    load_rules_dir(dir.string());
    FAIL();
  } catch (const RulesError& e) {
    EXPECT_NE(e.file().find("periods.json"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

// The built-in rules carry a fingerprint computed at build time: it must be the one
// computed from their texts at run time (as --rules computes it).
TEST(Rules, EmbeddedFingerprintIsTheComputedOne) {
  EXPECT_EQ(default_rules()->fingerprint, rules_fingerprint(embedded_rules_files()));
  EXPECT_EQ(std::string(embedded_rules_fingerprint()).rfind("sha256:", 0), 0u);
}

}  // namespace
}  // namespace digestx::test

namespace digestx::generated {
extern const char* const kCompactRulesNames[];
extern const size_t kCompactRulesCount;
extern const JsonTreeView kRulesTrees[];
}  // namespace digestx::generated

namespace digestx::test {
namespace {

nlohmann::json without_comments(nlohmann::json j) {
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key().empty() || it.key()[0] != '_') out[it.key()] = without_comments(it.value());
    return out;
  }
  if (j.is_array())
    for (auto& e : j) e = without_comments(e);
  return j;
}

bool same_nodes(const JsonTreeNode& a, const JsonTreeNode& b) {
  return a.type == b.type && a.parent == b.parent && a.key_at == b.key_at && a.key_len == b.key_len &&
         a.first == b.first && a.count == b.count && a.text_at == b.text_at && a.text_len == b.text_len &&
         a.value == b.value;
}

// The built-in rules are read from their flat form, written at build time: it must
// hold every file, and the same values as the file's text less its comments.
TEST(Rules, CompactFormIsTheTextLessComments) {
  ASSERT_EQ(generated::kCompactRulesCount, embedded_rules_files().size());
  for (const RulesFile& f : embedded_rules_files()) {
    bool found = false;
    for (size_t k = 0; k < generated::kCompactRulesCount; ++k) {
      if (f.name != generated::kCompactRulesNames[k]) continue;
      found = true;
      const JsonTreeView& built = generated::kRulesTrees[k];
      JsonTree expected = flatten_json(without_comments(nlohmann::json::parse(f.text)));
      ASSERT_EQ(built.node_count, expected.nodes.size()) << f.name;
      EXPECT_EQ(std::string_view(built.pool, built.pool_size), expected.pool) << f.name;
      for (size_t i = 0; i < expected.nodes.size(); ++i)
        EXPECT_TRUE(same_nodes(built.nodes[i], expected.nodes[i])) << f.name << " node " << i;
    }
    EXPECT_TRUE(found) << f.name;
  }
}

bool same_chars(const FirstChars& a, const FirstChars& b) {
  return a.any == b.any && a.space == b.space && a.digit == b.digit && a.ranges == b.ranges;
}

// The prefilters of the built-in patterns, worked out at build time, are what the
// loader computes from the pattern at run time (as it does for --rules): the two
// paths read every line alike. And every built-in pattern has one.
TEST(Rules, BuiltInPrefiltersAreTheRunTimeOnes) {
  ASSERT_GT(generated::kPrefilterCount, 0u);
  for (size_t k = 0; k < generated::kPrefilterCount; ++k) {
    const generated::Prefilter& p = generated::kPrefilters[k];
    std::string source(p.source, p.source_len);
    if (k > 0) EXPECT_LT(std::string(generated::kPrefilters[k - 1].source), source) << "not sorted at " << k;
    EXPECT_EQ(built_in_prefilter(source), &p) << source;
    std::u32string text = from_utf8(source);
    EXPECT_TRUE(same_chars(prefilter_set(p.first), first_chars(fold(text)))) << source;
    std::vector<FirstChars> needs = required_chars(text), built = prefilter_needs(p);
    ASSERT_EQ(built.size(), needs.size()) << source;
    for (size_t i = 0; i < needs.size(); ++i) EXPECT_TRUE(same_chars(built[i], needs[i])) << source << " need " << i;
  }
  for (const RulesFile& f : embedded_rules_files()) {
    std::vector<std::string> patterns;
    digestx::collect_patterns(nlohmann::json::parse(f.text), "", patterns);
    for (const std::string& p : patterns) EXPECT_NE(built_in_prefilter(p), nullptr) << f.name << ": " << p;
  }
  EXPECT_EQ(built_in_prefilter("(never a built-in pattern)"), nullptr);
}

bool same_set(const rx::Set& a, const rx::Set& b) {
  return a.ranges == b.ranges && a.space == b.space && a.not_space == b.not_space && a.digit == b.digit &&
         a.not_digit == b.not_digit && a.line_end == b.line_end && a.negated == b.negated;
}

bool same_inst(const rx::Inst& a, const rx::Inst& b) {
  return a.op == b.op && a.flag == b.flag && a.behind == b.behind && a.saves == b.saves && a.c == b.c && a.x == b.x &&
         a.y == b.y && a.z == b.z;
}

// The programs of the built-in patterns, compiled at build time, are what rx::compile
// makes of the pattern at run time (as it does for --rules), instruction by instruction
// and set by set, and every built-in pattern has one: LazyRegex runs them in place of
// compiling (the matcher-against-ICU tests of regex_engine_test.cpp run them too).
TEST(Rules, BuiltInProgramsAreTheRunTimeOnes) {
  ASSERT_GT(generated::kCompiledPatternCount, 50u);
  std::string previous;
  for (size_t k = 0; k < generated::kCompiledPatternCount; ++k) {
    const generated::CompiledPattern& p = generated::kCompiledPatterns[k];
    std::string source(generated::kPatternSources + p.source_at, p.source_len);
    if (k > 0) EXPECT_LT(previous, source) << "not sorted at " << k;
    previous = source;
    std::optional<std::shared_ptr<const rx::Program>> built = built_in_program(source);
    ASSERT_TRUE(built.has_value()) << source;
    std::shared_ptr<const rx::Program> compiled = rx::compile(from_utf8(with_han_ranges(source)));
    ASSERT_EQ(bool(*built), bool(compiled)) << source;
    if (!compiled) continue;
    const rx::Program& b = **built;
    ASSERT_EQ(b.code.size(), compiled->code.size()) << source;
    for (size_t i = 0; i < b.code.size(); ++i) EXPECT_TRUE(same_inst(b.code[i], compiled->code[i])) << source << " inst " << i;
    ASSERT_EQ(b.sets.size(), compiled->sets.size()) << source;
    for (size_t i = 0; i < b.sets.size(); ++i) EXPECT_TRUE(same_set(b.sets[i], compiled->sets[i])) << source << " set " << i;
    EXPECT_EQ(b.groups, compiled->groups) << source;
    EXPECT_EQ(b.anchored, compiled->anchored) << source;
    ASSERT_EQ(b.first.has_value(), compiled->first.has_value()) << source;
    if (b.first) EXPECT_TRUE(same_set(*b.first, *compiled->first)) << source;
  }
  for (const RulesFile& f : embedded_rules_files()) {
    std::vector<std::string> patterns;
    digestx::collect_patterns(nlohmann::json::parse(f.text), "", patterns);
    for (const std::string& p : patterns) EXPECT_TRUE(built_in_program(p).has_value()) << f.name << ": " << p;
  }
  EXPECT_FALSE(built_in_program("(never a built-in pattern)").has_value());
  EXPECT_FALSE(built_in_program("").has_value());
}

bool matches(const LazyRegex& re, const char* text) { return re.run(from_utf8(text), RegexMode::whole) == RegexRun::hit; }

// \p{Han} is compiled as the explicit ranges written at build time (the same set), also
// in a class and negated; an escaped backslash before p{Han}, or \Q…\E, is literal text.
TEST(Rules, HanRangesStandForTheProperty) {
  for (bool now : {true, false}) {
    EXPECT_TRUE(matches(LazyRegex("(\\p{Han}{1,4})市", now), "琼南市"));
    EXPECT_TRUE(matches(LazyRegex("(\\p{Han}+)", now), "〇々\U00020000"));
    EXPECT_FALSE(matches(LazyRegex("(\\p{Han}+)", now), "ab"));
    EXPECT_FALSE(matches(LazyRegex("(\\p{Han}+)", now), "，"));
    EXPECT_TRUE(matches(LazyRegex("([^\\p{Han}]+)", now), "ab，"));
    EXPECT_TRUE(matches(LazyRegex("([a\\p{Han}]+)", now), "a市a"));
    EXPECT_TRUE(matches(LazyRegex("(\\\\p\\{Han\\})", now), "\\p{Han}"));
    EXPECT_TRUE(matches(LazyRegex("(\\Q\\p{Han}\\E)", now), "\\p{Han}"));
  }
}

// The character table: words starting or ending outside the BMP (𠀀, U+20000) and in
// far apart pages, characters past every page, and a bucket past the sorted size.
TEST(Lexicon, CharactersOfEveryPlane) {
  Lexicon lex;
  lex.add(U"\U00020000村", 1);
  lex.add(U"大\U00020001", 2);
  lex.add(U"a", 3);
  for (int k = 0; k < 40; ++k) lex.add(U"一" + std::u32string(size_t(k % 7 + 1), char32_t(U'二' + k)), 10 + k);
  std::u32string s = U"\U00020000村大\U00020001a\U0010FFFF";
  EXPECT_EQ(lex.longest_at(s, 0).value, 1);
  EXPECT_EQ(lex.longest_ending_at(s, 4).value, 2);
  EXPECT_EQ(lex.longest_at(s, 4).value, 3);
  EXPECT_FALSE(lex.longest_at(s, 5));
  EXPECT_FALSE(lex.longest_ending_at(s, 6));
  std::u32string big = U"一" + std::u32string(3, char32_t(U'二' + 2));
  EXPECT_EQ(lex.longest_at(big, 0).value, 12);
  EXPECT_EQ(lex.longest_at(big, 0).len, 4u);
  auto firsts = lex.first_chars();
  EXPECT_EQ(firsts.size(), 4u);
}

// A copy (a cue copied as its vector grows) finds the words of a bucket past the sorted
// size in its own index: 十三五期间 among 36 words starting with 十.
TEST(Lexicon, CopiesFindBigBucketsInTheirOwnWords) {
  auto original = std::make_unique<Lexicon>();
  for (std::u32string plan : {U"十二五", U"十三五", U"十四五", U"十五五"})
    for (std::u32string quote : {U"", U"”", U"\""})
      for (std::u32string span : {U"期间", U"时期", U"以来"}) original->add(plan + quote + span, 1);
  Lexicon copied(*original);
  Lexicon assigned;
  assigned = *original;
  original.reset();
  std::u32string s = U"十三五期间，全镇新建5个";
  EXPECT_EQ(copied.longest_at(s, 0).len, 5u);
  EXPECT_EQ(assigned.longest_at(s, 0).len, 5u);
  EXPECT_EQ(copied.longest_ending_at(s, 5).len, 5u);
  EXPECT_FALSE(copied.longest_at(s, 1));
}

TEST(Lexicon, LongestMatchBothWays) {
  Lexicon lex;
  lex.add(U"个", 1);
  lex.add(U"个百分点", 2);
  std::u32string s = U"提高5个百分点";
  auto m = lex.longest_at(s, 3);
  EXPECT_EQ(m.len, 4u);
  EXPECT_EQ(m.value, 2);
  auto e = lex.longest_ending_at(s, 4);
  EXPECT_EQ(e.len, 1u);
  EXPECT_FALSE(lex.longest_at(s, 0));
}

// The same `count` entries at `a` and `b` (plain structures of 32-bit fields).
template <class T>
bool same_entries(const T* a, const T* b, size_t count) {
  return count == 0 || std::memcmp(a, b, count * sizeof(T)) == 0;
}

// The built-in rules' word lists, laid out at build time, are the tables the loader
// builds at run time from the same files (as it does for --rules), slot for slot; the
// built-in rules read them in place, and rules loaded at run time build their own.
TEST(Rules, BuiltInLexiconsAreTheRunTimeOnes) {
  std::vector<lexicon_layout::Image> images;
  lexicon_layout::Arrays built;
  std::shared_ptr<const Rules> run_time;
  {
    LexiconSequence recording;
    run_time = compile_rules(embedded_rules_files());
    EXPECT_EQ(recording.copies(), 0u);
    built = recording.tables(images);
  }
  ASSERT_EQ(images.size(), generated::kLexiconImageCount);
  ASSERT_GT(images.size(), 100u);
  lexicon_layout::Pool table = built_in_lexicon_pool();
  for (size_t k = 0; k < images.size(); ++k) {
    const lexicon_layout::Image& im = images[k];
    ASSERT_TRUE(same_entries(&im, &generated::kLexiconImages[k], 1)) << "image " << k;
    EXPECT_TRUE(same_entries(built.chars.data() + im.chars_at, table.chars + im.chars_at, im.chars_count)) << k;
    EXPECT_TRUE(same_entries(built.words.data() + im.words_at, table.words + im.words_at, im.word_count)) << k;
    EXPECT_TRUE(same_entries(built.index.data() + im.index_at, table.index + im.index_at, im.index_size)) << k;
    EXPECT_TRUE(same_entries(built.lists.data() + im.lists_at, table.lists + im.lists_at, im.lists_count)) << k;
    EXPECT_TRUE(same_entries(built.buckets.data() + im.buckets_at, table.buckets + im.buckets_at, im.buckets_count)) << k;
    EXPECT_TRUE(same_entries(built.filters.data() + im.filters_at, table.filters + im.filters_at, im.filters_count)) << k;
  }
  std::shared_ptr<const Rules> built_in = default_rules();
  for (const Rules* r : {built_in.get(), run_time.get()}) {
    bool in_place = r == built_in.get();
    EXPECT_EQ(r->subjects.nouns.in_place(), in_place);
    EXPECT_EQ(r->numbers.single_followers.in_place(), in_place);  // merged from other lists
  }
  std::u32string text = U"村集体经济项目35个";
  for (size_t p = 0; p <= text.size(); ++p) {
    EXPECT_EQ(built_in->subjects.nouns.longest_at(text, p).len, run_time->subjects.nouns.longest_at(text, p).len);
    EXPECT_EQ(built_in->quantities.unit_words.longest_at(text, p).value,
              run_time->quantities.unit_words.longest_at(text, p).value);
  }
}

// A lexicon changed after the rules loaded (built in, or a copy of one) makes the
// tables its own and keeps what it held.
TEST(Lexicon, ChangedAfterLoadingKeepsItsWords) {
  Lexicon nouns = default_rules()->subjects.nouns;
  ASSERT_FALSE(nouns.empty());
  size_t before = nouns.max_len();
  nouns.add(std::u32string(before + 3, U'测'), 7);
  EXPECT_FALSE(nouns.in_place());
  EXPECT_EQ(nouns.max_len(), before + 3);
  EXPECT_EQ(nouns.longest_at(std::u32string(before + 3, U'测'), 0).value, 7);
  EXPECT_TRUE(default_rules()->subjects.nouns.in_place());
  std::vector<char32_t> firsts = default_rules()->subjects.nouns.first_chars();
  EXPECT_EQ(nouns.first_chars().size(), firsts.size() + 1);
}

// The characters the words start and end with, each once: built in place and at run
// time alike (the facts patterns' gates are worked out from them).
TEST(Lexicon, FirstAndLastCharacters) {
  Lexicon lex;
  EXPECT_TRUE(lex.first_chars().empty());
  EXPECT_TRUE(lex.last_chars().empty());
  lex.add(std::vector<std::u32string>{U"人民币", U"美元", U"￥", U"港币", U"元"}, 0);
  auto sorted = [](std::vector<char32_t> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(sorted(lex.first_chars()), sorted({U'人', U'美', U'￥', U'港', U'元'}));
  EXPECT_EQ(sorted(lex.last_chars()), sorted({U'币', U'元', U'￥'}));
  std::shared_ptr<const Rules> compiled = compile_rules(embedded_rules_files());
  const Lexicon& built_in = default_rules()->quantities.ordinal_prefixes;
  const Lexicon& run_time = compiled->quantities.ordinal_prefixes;
  ASSERT_FALSE(built_in.empty());
  EXPECT_EQ(sorted(built_in.last_chars()), sorted(run_time.last_chars()));
  EXPECT_EQ(sorted(built_in.first_chars()), sorted(run_time.first_chars()));
}

// CharPlaces: where each character stands in the words. Table: words, then characters
// with the places expected (bit k: the (k+1)-th character of some word).
TEST(CharPlaces, PlacesOfEachCharacter) {
  struct Row {
    std::vector<std::u32string> words;
    std::vector<std::pair<char32_t, uint64_t>> places;
  };
  const std::vector<Row> table = {
      {{}, {{U'一', 0}, {U'a', 0}}},
      {{U"一站式"}, {{U'一', 0b1}, {U'站', 0b10}, {U'式', 0b100}, {U'二', 0}}},
      {{U"一站式", U"十五分钟生活圈", U"两学一做"},
       {{U'一', 0b101}, {U'五', 0b10}, {U'圈', 1u << 6}, {U'做', 0b1000}, {U'3', 0}}},
      {{U"一一一"}, {{U'一', 0b111}}},
      {{U"\U00020000村", U"村\U00020000"}, {{U'\U00020000', 0b11}, {U'村', 0b11}, {U'\U0010FFFF', 0}}},
      // Past the 63rd place all places are bit 63.
      {{std::u32string(70, U'长') + U"尾"}, {{U'长', ~uint64_t(0)}, {U'尾', uint64_t(1) << 63}}},
  };
  for (size_t r = 0; r < table.size(); ++r) {
    Lexicon lex;
    for (size_t w = 0; w < table[r].words.size(); ++w) lex.add(table[r].words[w], int(w));
    for (auto [c, want] : table[r].places) EXPECT_EQ(lex.char_places().places(c), want) << "row " << r << " char " << uint32_t(c);
  }
}

TEST(CharPlaces, NextPlaceFromEachStart) {
  const std::vector<std::tuple<uint64_t, size_t, size_t>> table = {
      {0, 0, CharPlaces::kNone},       {0b1, 0, 0},  {0b1, 1, CharPlaces::kNone}, {0b1010, 0, 1},
      {0b1010, 2, 3},                   {0b1010, 4, CharPlaces::kNone},             {uint64_t(1) << 63, 0, 63},
      {uint64_t(1) << 63, 70, 70},      {0b1, 70, CharPlaces::kNone},              {~uint64_t(0), 62, 62},
  };
  for (auto [places, k, want] : table) EXPECT_EQ(CharPlaces::next(places, k), want) << places << " from " << k;
}

// The promise set_phrase_rule relies on: a start whose place for the character at b is
// not among its places holds no word covering b. Checked against every start on texts
// with and without the words, on the built-in set phrases and a small list.
TEST(CharPlaces, NoWordCoversAPositionAtAPlaceNotListed) {
  Lexicon small;
  small.add(std::vector<std::u32string>{U"一站式", U"十五分钟生活圈", U"两学一做", U"一", U"7×24"}, 1);
  const std::vector<const Lexicon*> lexicons = {&small, &rules().exclusions.set_phrases, &rules().periods.marker_words};
  const std::vector<std::u32string> texts = {U"建成一站式服务中心3个", U"打造十五分钟生活圈12个", U"开展两学一做学习教育",
                                             U"提供7×24小时服务", U"一年来，全镇新增就业岗位1200个", U"无关的文字"};
  for (const Lexicon* lex : lexicons)
    for (const std::u32string& text : texts)
      for (size_t b = 0; b < text.size(); ++b) {
        uint64_t places = lex->char_places().places(text[b]);
        for (size_t k = 0; k <= b && k <= lex->max_len(); ++k) {
          auto m = lex->longest_at(text, b - k);
          bool covers = m && b - k + m.len > b;
          if (covers) EXPECT_TRUE(CharPlaces::at(places, k)) << to_utf8(text) << " at " << b << " place " << k;
          bool listed = CharPlaces::at(places, k);
          size_t next = CharPlaces::next(places, k);
          EXPECT_EQ(listed, next == k);
        }
      }
}

// The places follow the words: a copy, a word added, a lexicon moved or assigned.
TEST(CharPlaces, FollowTheWordsThroughChanges) {
  Lexicon lex;
  lex.add(U"一站式", 1);
  EXPECT_EQ(lex.char_places().places(U'式'), 0b100u);
  Lexicon copied(lex);
  lex.add(U"式样", 2);
  EXPECT_EQ(lex.char_places().places(U'式'), 0b101u);
  EXPECT_EQ(copied.char_places().places(U'式'), 0b100u);
  Lexicon moved(std::move(lex));
  EXPECT_EQ(moved.char_places().places(U'样'), 0b10u);
  copied = moved;
  EXPECT_EQ(copied.char_places().places(U'样'), 0b10u);
  EXPECT_TRUE(CharPlaces::at(default_rules()->exclusions.set_phrases.char_places().places(U'一'), 0));  // 一站式
}

// A word that comes again takes its new value and keeps its place.
TEST(Lexicon, AWordAddedAgainTakesItsNewValue) {
  Lexicon lex;
  lex.add(std::vector<std::u32string>{U"万元", U"元", U"万元"}, 1);
  lex.add(U"元", 2);
  std::u32string s = U"5万元";
  EXPECT_EQ(lex.longest_at(s, 1).value, 1);
  EXPECT_EQ(lex.longest_at(s, 2).value, 2);
  EXPECT_EQ(lex.longest_ending_at(s, 3).len, 2u);
}

}  // namespace
}  // namespace digestx::test

namespace digestx::test {
namespace {

// AspectRules::cues_by_kind (status_cues_by_kind): each kind's cues, in the order of
// aspects.json, but the column cues (read by the table step).
TEST(AspectsIndex, CuesByKindHoldEachKindsCuesInOrder) {
  const AspectRules& a = rules().aspects;
  for (auto [cues, by_kind] : {std::pair{&a.cues, &a.cues_by_kind}, std::pair{&a.status_cues, &a.status_cues_by_kind}}) {
    ASSERT_EQ(by_kind->size(), rules().kinds.kinds.size());
    for (size_t k = 0; k < by_kind->size(); ++k) {
      std::vector<uint16_t> want;
      for (size_t i = 0; i < cues->size(); ++i)
        if ((*cues)[i].for_kind[k] && (*cues)[i].where != AspectRules::Where::column) want.push_back(uint16_t(i));
      EXPECT_EQ((*by_kind)[k], want) << rules().kinds.kinds[k].name;
    }
  }
}

// A cue's filters (Cue::unit_bits, qualifier_bits, near_bits) hold the bit of each
// name it lists and of each character a near cue may read right before the figure (the
// last character of a word, a gap character), so that they refuse no figure the full
// reading would take; and they do refuse: most names and characters of a table that the
// cue does not list.
TEST(AspectsIndex, CueFiltersHoldEveryNameAndCharacterTheyMayMeet) {
  const AspectRules& a = rules().aspects;
  std::vector<std::string> names = {"元", "万元", "亿元", "个", "人", "%", "岁", "位", "分", "小时", "at_least", "at_most",
                                    "about", "over", "under", "微克/立方米", "公斤", "次", "户", ""};
  std::u32string chars = U"长增加达为是了约近到至高低年位率产均1a，、 的";
  size_t refused = 0, tried = 0;
  for (const std::vector<AspectRules::Cue>* cues : {&a.cues, &a.status_cues})
    for (const AspectRules::Cue& c : *cues) {
      for (const std::string& u : c.units) EXPECT_TRUE(c.unit_bits & AspectRules::name_bit(u)) << c.name << " " << u;
      for (const std::string& q : c.qualifiers) EXPECT_TRUE(c.qualifier_bits & AspectRules::name_bit(q)) << c.name << " " << q;
      EXPECT_EQ(c.unit_bits != 0, !c.units.empty()) << c.name;
      EXPECT_EQ(c.qualifier_bits != 0, !c.qualifiers.empty()) << c.name;
      EXPECT_EQ(c.near_bits != 0, c.where == AspectRules::Where::near) << c.name;
      for (const std::string& n : names) {
        bool listed = std::find(c.units.begin(), c.units.end(), n) != c.units.end();
        if (c.units.empty() || listed) continue;
        ++tried;
        refused += !(c.unit_bits & AspectRules::name_bit(n));
      }
      if (c.where != AspectRules::Where::near) continue;
      for (size_t k = 0; k < c.words.word_count(); ++k)
        EXPECT_TRUE(c.near_bits & AspectRules::char_bit(c.words.word(k).back())) << c.name;
      if (c.max_gap > 0)
        for (char32_t g : c.gap_chars) EXPECT_TRUE(c.near_bits & AspectRules::char_bit(g)) << c.name;
      for (char32_t ch : chars) {
        std::u32string one(1, ch);
        bool ends_word = false;
        for (size_t k = 0; k < c.words.word_count(); ++k) ends_word |= c.words.word(k).back() == ch;
        if (ends_word || (c.max_gap > 0 && c.gap_chars.find(ch) != std::u32string::npos)) continue;
        ++tried;
        refused += !(c.near_bits & AspectRules::char_bit(ch));
      }
    }
  EXPECT_GT(refused * 2, tried) << refused << " of " << tried;
}

// The figures' aspects and statuses are those of trying every cue on every figure, each
// word list over its whole stretch: the same rules without the kinds' index, the
// first characters' bits nor the cues' filters give the same, on every line of the
// samples and on a table of cues positive and negative.
TEST(AspectsIndex, SameAspectsAsEveryCueTried) {
  Rules plain = rules();
  plain.aspects.cues_by_kind.clear();
  plain.aspects.status_cues_by_kind.clear();
  plain.aspects.first_bits.clear();
  for (std::vector<AspectRules::Cue>* cues : {&plain.aspects.cues, &plain.aspects.status_cues})
    for (AspectRules::Cue& c : *cues) c.unit_bits = c.qualifier_bits = c.near_bits = 0;
  std::vector<std::u32string> lines = {
      U"全年地区生产总值同比增长13.8%，较上年增长了一倍", U"减税降费3.2亿元", U"森林覆盖率提高到95%",
      U"同比分别增长5.0%和6.8%", U"累计投入党建经费186万元，其中街道财政列支120万元、争取上级补助66万元",
      U"“十三五”期间，全县累计完成投资500亿元，年均增长12%", U"预计全年可完成63亿元", U"今年目标任务100亿元",
      U"人均纯收入达23977元", U"10万元以下的村有3个", U"在3至5万元的小额诉讼案件", U"给予3至5万元的奖励",
      U"PM2.5浓度28微克/立方米", U"新开工预计投资5亿元的项目12个", U"全镇收入突破500万元", U"3200余人的",
      U"由上年的2740万元增长到3260万元", U"排名第3位", U"新增8条", U"百吨以上渔船20艘",
      U"班子平均年龄下降3.2岁", U"平均年龄降至38.5岁", U"较上年前移3位", U"慰问前进社区3位老党员",
      U"比上年前移2个位次", U"前进2个村", U"比全县平均水平高1.2个百分点", U"楼高30米", U"综合考核得分高出平均分2.5分",
      U"三公经费支出控制在800万元以内", U"三公经费控制在800万元", U"债务限额为48亿元", U"各项存款余额826.4亿元",
      U"亩产450公斤", U"平均亩产达到458公斤", U"村医每月补助800元", U"每月补助困难群众20万元", U"工业产值降幅为1.2%",
      U"同比增长 8%", U"35岁以下青年党员", U"每户年增收超过2000元", U"力争每个村集体经济收入突破30万元",
      U"完成年度目标任务62亿元的94.5%", U"新增就业目标为1200人", U"物业费平均收缴率提高到91%", U"同比+8.5%"};
  for (const char* sample : {"samples/sanya-2022.txt", "samples/wanning-2021.txt"}) {
    std::u32string text = from_utf8(read_file(source_path(sample)));
    for (size_t from = 0; from < text.size();) {
      size_t end = text.find(U'\n', from);
      if (end == std::u32string::npos) end = text.size();
      lines.push_back(text.substr(from, end - from));
      from = end + 1;
    }
  }
  size_t facts = 0;
  for (const std::u32string& line : lines) {
    LineAnalysis indexed = analyse_line(line, rules(), true), tried = analyse_line(line, plain, true);
    ASSERT_EQ(indexed.facts.size(), tried.facts.size()) << to_utf8(line);
    for (size_t i = 0; i < indexed.facts.size(); ++i, ++facts) {
      const Fact &a = indexed.facts[i], &b = tried.facts[i];
      EXPECT_EQ(a.aspect, b.aspect) << to_utf8(line);
      EXPECT_EQ(a.status, b.status) << to_utf8(line);
      ASSERT_EQ(bool(a.rules), bool(b.rules));
      if (a.rules) EXPECT_EQ(a.rules->aspect, b.rules->aspect) << to_utf8(line);
    }
  }
  EXPECT_GT(facts, 100u);
}

}  // namespace
}  // namespace digestx::test

namespace digestx::test {
namespace {

// CharSet answers as a search of its string: has and find, for members, non-members whose
// low bits are a member's, and every character of the samples and test digests.
void expect_as_string(const CharSet& set, const std::u32string& chars, std::u32string_view asked) {
  for (char32_t c : asked) {
    EXPECT_EQ(set.find(c), chars.find(c)) << to_utf8(std::u32string(1, c));
    EXPECT_EQ(set.has(c), chars.find(c) != std::u32string::npos) << to_utf8(std::u32string(1, c));
  }
}

class CharSetTable : public testing::TestWithParam<Case> {};

TEST_P(CharSetTable, AnswersAsItsString) {
  const auto& c = GetParam().data;
  std::u32string chars = from_utf8(c.at("set").get<std::string>());
  CharSet set(chars);
  EXPECT_EQ(std::u32string(std::u32string_view(set)), chars);
  for (char32_t in : from_utf8(c.at("in").get<std::string>())) EXPECT_TRUE(set.has(in));
  for (char32_t out : from_utf8(c.at("out").get<std::string>())) EXPECT_FALSE(set.has(out));
  expect_as_string(set, chars, from_utf8(c.at("in").get<std::string>() + c.at("out").get<std::string>()));
  if (!c.contains("reassigned")) return;
  set = from_utf8(c.at("reassigned").get<std::string>());
  for (char32_t in : from_utf8(c.at("in_after").get<std::string>())) EXPECT_TRUE(set.has(in));
  for (char32_t out : from_utf8(c.at("out_after").get<std::string>())) EXPECT_FALSE(set.has(out));
}

INSTANTIATE_TEST_SUITE_P(Table, CharSetTable, testing::ValuesIn(load_table("char_set.json")), case_name);

TEST(CharSet, SameAnswersAsTheRulesStringsOnTestInputs) {
  std::vector<std::u32string> lines;
  add_lines_of_test_inputs(lines);
  const Rules& r = rules();
  for (const CharSet* set : {&r.subjects.list_separators, &r.subjects.noun_suffixes, &r.periods.lead_clause_not_in,
                             &r.periods.clause_marker_breaks, &r.structure.name_extra_chars})
    for (const std::u32string& line : lines) expect_as_string(*set, set->chars(), line);
}

class CharTableTable : public testing::TestWithParam<Case> {};

TEST_P(CharTableTable, ReadsWhatWasSetAndZeroElsewhere) {
  const auto& c = GetParam().data;
  CharTable<int> table;
  for (const auto& set : c.at("set")) table.at(from_utf8(set[0].get<std::string>()).at(0)) = set[1].get<int>();
  for (const auto& read : c.at("read")) {
    char32_t ch = from_utf8(read[0].get<std::string>()).at(0);
    EXPECT_EQ(table[ch], read[1].get<int>()) << "U+" << std::hex << uint32_t(ch);
  }
  EXPECT_EQ(table.blocks(), c.at("blocks").get<size_t>());
}

INSTANTIATE_TEST_SUITE_P(Table, CharTableTable, testing::ValuesIn(load_table("char_table.json")), case_name);

// The built-in rules' tables answer as the strings they were filled from, at every
// character of the BMP and past it.
TEST(CharTable, BuiltInTablesAnswerAsTheRulesStrings) {
  const Rules& r = rules();
  const SentenceRules& s = r.sentences;
  for (char32_t c = 0; c < 0x10100; ++c) {
    bool numeral = c < 0x10000 && r.numbers.alphabet.find(c) != std::u32string::npos;
    ASSERT_EQ(r.numbers.info(c) != nullptr, numeral) << "U+" << std::hex << uint32_t(c);
    auto in = [c](const std::u32string& chars) { return c < 0x10000 && chars.find(c) != std::u32string::npos; };
    uint8_t want = (in(s.terminators) ? SentenceRules::kTerminator : 0) | (in(s.ellipsis) ? SentenceRules::kEllipsis : 0) |
                   (in(s.closers) ? SentenceRules::kCloser : 0) | (in(s.ellipsis_continues) ? SentenceRules::kContinues : 0) |
                   (in(s.soft_stops) ? SentenceRules::kSoftStop : 0);
    ASSERT_EQ(s.class_of(c), want) << "U+" << std::hex << uint32_t(c);
  }
  EXPECT_EQ(r.numbers.info(U'万')->type, NumberRules::CharType::big_unit);
  EXPECT_EQ(r.numbers.info(U'万')->value, 4);
  EXPECT_EQ(r.numbers.info(U'七')->value, 7);
}

}  // namespace
}  // namespace digestx::test
