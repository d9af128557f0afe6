#include "digestx/rules.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <unicode/regex.h>

#include "../src/json_tree.hpp"
#include "../src/gen/rule_patterns.hpp"
#include "../src/regex_prefilter.hpp"
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

bool matches(const LazyRegex& re, const char* text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> m(re->matcher(icu::UnicodeString::fromUTF8(text), status));
  return U_SUCCESS(status) && m->matches(status);
}

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

}  // namespace
}  // namespace digestx::test
