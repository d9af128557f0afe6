// digestx's own matcher against ICU's engine: the same answers (hit or miss, and where
// every group matched) for every built-in pattern on every line of the test inputs, for
// a table of patterns that try each construct, and for the classes \s \d . on every
// character. ICU's syntax is the rules' contract; the matcher is only a quicker way to
// the same answers.
#include "digestx/regex_engine.hpp"

#include <unicode/regex.h>

#include <memory>
#include <string>
#include <vector>

#include "digestx/rules.hpp"
#include "digestx/utf.hpp"
#include "gen/rule_patterns.hpp"
#include "table.hpp"

namespace digestx {
namespace {

using test::Case;
using test::case_name;
using test::load_table;

icu::UnicodeString utf16_of(std::u32string_view s) {
  return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()), int32_t(s.size()));
}

// ICU's answer in the matcher's terms: nullopt for a miss, else the groups' spans in
// characters (-1 where a group did not match).
std::optional<std::vector<int32_t>> icu_answer(const icu::RegexPattern& p, std::u32string_view text, RegexMode mode) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString us = utf16_of(text);
  std::unique_ptr<icu::RegexMatcher> m(p.matcher(us, status));
  bool hit = mode == RegexMode::whole ? m->matches(status) : mode == RegexMode::prefix ? m->lookingAt(status) : m->find(0, status);
  EXPECT_TRUE(U_SUCCESS(status));
  if (!hit) return std::nullopt;
  std::vector<int32_t> out;
  for (int32_t g = 0; g <= m->groupCount(); ++g) {
    int32_t b = m->start(g, status), e = m->end(g, status);
    out.push_back(b < 0 ? -1 : us.countChar32(0, b));
    out.push_back(b < 0 ? -1 : us.countChar32(0, e));
  }
  return out;
}

std::optional<std::vector<int32_t>> own_answer(const LazyRegex& re, std::u32string_view text, RegexMode mode) {
  rx::Groups g;
  RegexRun run = re.run(text, mode, &g);
  EXPECT_NE(run, RegexRun::timed_out);
  if (run != RegexRun::hit) return std::nullopt;
  return g.at;
}

std::unique_ptr<icu::RegexPattern> icu_compiled(const std::string& pattern) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError perr;
  std::unique_ptr<icu::RegexPattern> p(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), 0, perr, status));
  EXPECT_TRUE(U_SUCCESS(status)) << pattern;
  return U_SUCCESS(status) ? std::move(p) : nullptr;
}

std::vector<std::string> built_in_patterns() {
  std::vector<std::string> out;
  for (const RulesFile& f : embedded_rules_files()) collect_patterns(nlohmann::json::parse(f.text), "", out);
  return out;
}

constexpr RegexMode kModes[] = {RegexMode::search, RegexMode::whole, RegexMode::prefix};

// Every built-in pattern runs on the matcher: one left to ICU would set its regex data
// up again at the first document that reaches it (7.5 M instructions).
TEST(RegexEngine, TakesEveryBuiltInPattern) {
  std::vector<std::string> patterns = built_in_patterns();
  ASSERT_GT(patterns.size(), 50u);
  for (const std::string& p : patterns) EXPECT_TRUE(LazyRegex(p, false).runs_own()) << p;
}

// Each built-in pattern on each line of the samples and test digests, and on pairs of
// lines joined by a line break, in all three modes: the answers of both engines agree.
TEST(RegexEngine, AnswersAsIcuOnTestInputs) {
  std::vector<std::u32string> lines;
  test::add_lines_of_test_inputs(lines);
  size_t single = lines.size();
  for (size_t i = 0; i + 1 < single; i += 7) lines.push_back(lines[i] + U"\n" + lines[i + 1]);
  size_t hits = 0;
  for (const std::string& p : built_in_patterns()) {
    auto icu = icu_compiled(p);
    LazyRegex own(p, false);
    ASSERT_TRUE(icu && own.runs_own()) << p;
    for (const std::u32string& line : lines)
      for (RegexMode mode : kModes) {
        auto want = icu_answer(*icu, line, mode);
        hits += want.has_value();
        ASSERT_EQ(own_answer(own, line, mode), want) << p << " on " << to_utf8(line) << " mode " << int(mode);
      }
  }
  EXPECT_GT(hits, 1000u);
}

// \s, \d, . and their complements on every character of the first planes (every 16th
// beyond): the matcher's classes are ICU's.
TEST(RegexEngine, ClassesAsIcu) {
  for (const char* p : {"\\s", "\\S", "\\d", "\\D", ".", "[\\s\\d]", "[^\\s]", "[\\S\\d]"}) {
    auto icu = icu_compiled(p);
    std::shared_ptr<const rx::Program> own = rx::compile(from_utf8(p));
    ASSERT_TRUE(icu && own) << p;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> m(icu->matcher(status));
    for (char32_t c = 0; c < 0x110000; c += c < 0x30000 ? 1 : 16) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      std::u32string one(1, c);
      icu::UnicodeString us = utf16_of(one);
      m->reset(us);
      bool want = m->matches(status);
      ASSERT_EQ(rx::run(*own, one, RegexMode::whole, 1000, nullptr) == rx::Outcome::hit, want) << p << " U+" << std::hex << uint32_t(c);
    }
  }
}

// A pattern that backtracks catastrophically stops at its steps, not at the end of time.
TEST(RegexEngine, StopsAtItsSteps) {
  std::shared_ptr<const rx::Program> own = rx::compile(U"(([^X]|[^X])+)+(?=X)");
  ASSERT_TRUE(own);
  EXPECT_EQ(rx::run(*own, std::u32string(40, U'a'), RegexMode::search, 3000000, nullptr), rx::Outcome::out_of_steps);
  LazyRegex lazy("(([^X]|[^X])+)+(?=X)", false);
  EXPECT_EQ(lazy.run(std::u32string(40, U'a'), RegexMode::search), RegexRun::timed_out);
}

// tests/tables/regex_engine.json: {pattern, text, mode (search, whole, prefix), groups
// ([start, end] of each group from 0, null where it did not match) or null for a miss,
// own (false: a pattern the matcher leaves to ICU)}; every case is ICU's answer too.
class RegexEngineTable : public testing::TestWithParam<Case> {};

TEST_P(RegexEngineTable, Case) {
  const nlohmann::json& c = GetParam().data;
  std::string pattern = c.at("pattern").get<std::string>();
  LazyRegex re(pattern, false);
  ASSERT_EQ(re.runs_own(), c.value("own", true)) << pattern;
  if (!c.contains("text")) return;
  std::u32string text = from_utf8(c.at("text").get<std::string>());
  std::string mode_name = c.value("mode", "search");
  RegexMode mode = mode_name == "whole" ? RegexMode::whole : mode_name == "prefix" ? RegexMode::prefix : RegexMode::search;
  std::optional<std::vector<int32_t>> want;
  if (!c.at("groups").is_null()) {
    want.emplace();
    for (const auto& g : c.at("groups")) {
      want->push_back(g.is_null() ? -1 : g.at(0).get<int32_t>());
      want->push_back(g.is_null() ? -1 : g.at(1).get<int32_t>());
    }
  }
  auto icu = icu_compiled(pattern);
  ASSERT_TRUE(icu);
  EXPECT_EQ(icu_answer(*icu, text, mode), want) << "ICU, " << pattern;
  EXPECT_EQ(own_answer(re, text, mode), want) << pattern;
}

INSTANTIATE_TEST_SUITE_P(Table, RegexEngineTable, testing::ValuesIn(load_table("regex_engine.json")), case_name);

}  // namespace
}  // namespace digestx
