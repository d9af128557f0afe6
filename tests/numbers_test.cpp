#include "digestx/numbers.hpp"

#include <string>

#include "digestx/output.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

// The texts of the figures left out as unrepresentable, against the case's
// "left_out", and of those left out as damaged with their rules, against its
// "damaged": [[text, rule], ...] (none when it has no such key).
void expect_left_out(const std::u32string& text, const std::vector<Refusal>& left_out, const nlohmann::json& c) {
  std::vector<std::string> got, want;
  std::vector<std::pair<std::string, std::string>> got_damaged, want_damaged;
  for (const Refusal& r : left_out) {
    if (r.rule.empty()) got.push_back(slice(text, r.span));
    else got_damaged.emplace_back(slice(text, r.span), std::string(r.rule));
  }
  if (c.contains("left_out")) want = c.at("left_out").get<std::vector<std::string>>();
  if (c.contains("damaged")) want_damaged = c.at("damaged").get<std::vector<std::pair<std::string, std::string>>>();
  EXPECT_EQ(got, want) << "figures left out as unrepresentable";
  EXPECT_EQ(got_damaged, want_damaged) << "figures left out as damaged";
}

// A case: "in" text and the numerals expected in it, as [{"text", "value", "range"}],
// or "value" when the whole text is one numeral, or "none" when it holds no numeral;
// "left_out": the figures whose value cannot be represented (none by default).
class NumberTable : public testing::TestWithParam<Case> {};

TEST_P(NumberTable, Recognises) {
  const auto& c = GetParam().data;
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  std::u32string view = matching_view(text);
  std::vector<Refusal> left_out;
  auto got = find_numerals(view, rules().numbers, text, &left_out);
  expect_left_out(text, left_out, c);
  if (c.contains("none")) {
    EXPECT_TRUE(got.empty()) << "found " << slice(text, Span{got[0].begin, got[0].end});
    return;
  }
  nlohmann::json want = c.contains("numerals")
                            ? c.at("numerals")
                            : nlohmann::json::array({{{"text", c.at("in")}, {"value", c.at("value")}}});
  ASSERT_EQ(got.size(), want.size()) << (got.empty() ? "" : slice(text, Span{got[0].begin, got[0].end}));
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(slice(text, Span{got[i].begin, got[i].end}), want[i].at("text").get<std::string>());
    EXPECT_EQ(got[i].value.str(), want[i].at("value").get<std::string>());
    if (want[i].contains("range")) {
      ASSERT_TRUE(got[i].low && got[i].high);
      EXPECT_EQ(got[i].low->str(), want[i].at("range")[0].get<std::string>());
      EXPECT_EQ(got[i].high->str(), want[i].at("range")[1].get<std::string>());
    }
    if (want[i].contains("qualifier")) EXPECT_EQ(got[i].qualifier, want[i].at("qualifier").get<std::string>());
    EXPECT_EQ(got[i].per_power, want[i].value("per_power", 0)) << "per_power of " << want[i].at("text");
  }
}

INSTANTIATE_TEST_SUITE_P(Table, NumberTable, testing::ValuesIn(load_table("numbers.json")), case_name);

// What the numerals become as facts (percent and discount forms, money sub-units,
// measures, ranges, bounds): one line through `digestx numbers` (analyse_line). A
// case lists the quantity facts expected, each with the fields it checks, in order;
// no other quantity fact may come out. "none": no quantity fact at all.
class NumberFactTable : public testing::TestWithParam<Case> {};

std::string show(const std::u32string& text, const std::vector<const Fact*>& facts) {
  std::string s;
  for (const Fact* f : facts) s += slice(text, f->span) + "(" + std::string(f->kind) + ") ";
  return s;
}

TEST_P(NumberFactTable, Extracts) {
  const auto& c = GetParam().data;
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  LineAnalysis line = analyse_line(text, rules());
  expect_left_out(text, line.left_out, c);
  std::vector<const Fact*> got;
  for (const Fact& f : line.facts)
    if (rules().kinds.is_quantity(f.kind)) got.push_back(&f);
  nlohmann::json want = c.value("none", false) ? nlohmann::json::array() : c.at("facts");
  ASSERT_EQ(got.size(), want.size()) << show(text, got);
  for (size_t i = 0; i < got.size(); ++i) {
    const Fact& f = *got[i];
    const auto& w = want[i];
    EXPECT_EQ(slice(text, f.span), w.at("text").get<std::string>());
    auto nullable = [](const nlohmann::json& j) { return j.is_null() ? std::string() : j.get<std::string>(); };
    if (w.contains("kind")) EXPECT_EQ(f.kind, w.at("kind").get<std::string>()) << w;
    if (w.contains("value")) {
      ASSERT_TRUE(f.value) << w;
      EXPECT_EQ(f.value->str(), w.at("value").get<std::string>()) << w;
    }
    if (w.contains("unit")) EXPECT_EQ(f.unit, nullable(w.at("unit"))) << w;
    if (w.contains("qualifier")) EXPECT_EQ(f.qualifier, nullable(w.at("qualifier"))) << w;
    if (w.contains("range")) {
      ASSERT_TRUE(f.range) << w;
      EXPECT_EQ(f.range->first.str(), w.at("range")[0].get<std::string>()) << w;
      EXPECT_EQ(f.range->second.str(), w.at("range")[1].get<std::string>()) << w;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Table, NumberFactTable, testing::ValuesIn(load_table("numbers_facts.json")), case_name);


// Long runs of numeral characters and signs: the recogniser must come through them
// (its work per numeral is bounded) with spans that are ordered, inside the text
// and not overlapping. No timing is asserted; a blow-up shows as a hanging test.
std::u32string repeat(std::u32string_view piece, size_t times) {
  std::u32string out;
  out.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(NumberScale, LongRunsGiveOrderedSpans) {
  const std::vector<std::u32string> runs = {
      repeat(U"一", 200000),        repeat(U"1", 200000),         repeat(U"十", 200000),
      repeat(U"十十十十十十x", 30000), repeat(U"十余", 100000),       repeat(U"1.", 100000),
      repeat(U"1,", 100000),         repeat(U"-", 200000),          repeat(U"负", 200000),
      repeat(U"三分之", 60000),       repeat(U"又一", 100000),        repeat(U"1 1/1 ", 30000),
      repeat(U"百分之", 60000),       repeat(U"2^", 100000),          repeat(U"1e1e", 50000),
      repeat(U"几十", 100000),        repeat(U"半百", 100000),        repeat(U"两", 200000),
      repeat(U"一 ", 100000),         repeat(U"九九八十一", 40000),   repeat(U"1,000", 40000)};
  for (const auto& text : runs) {
    std::u32string view = matching_view(text);
    auto found = find_numerals(view, rules().numbers, text);
    uint32_t last_end = 0;
    for (const Numeral& n : found) {
      ASSERT_LE(last_end, n.begin);
      ASSERT_LT(n.begin, n.end);
      ASSERT_LE(n.end, text.size());
      last_end = n.end;
    }
  }
}

TEST(NumberScale, LongLineThroughFacts) {
  std::u32string text = repeat(U"大于10小于20，3至5个，两三万元，百分之五十，", 5000);
  LineAnalysis line = analyse_line(text, rules());
  EXPECT_EQ(line.facts.size(), 4u * 5000u);
  for (const Fact& f : line.facts) ASSERT_LE(f.span.end, text.size());
}

}  // namespace
}  // namespace digestx::test
