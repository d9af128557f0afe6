#include "digestx/facts.hpp"

#include <algorithm>
#include <filesystem>

#include "../src/fact_text.hpp"
#include "digestx/output.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

// The registry (rules/kinds.json) says which kinds are quantities.
bool is_quantity(std::string_view kind) { return rules().kinds.is_quantity(kind); }

// A case: one sentence ("in") and its facts. Each expected fact names the fields it
// checks; "only": true (the default) means no other quantity fact may come out, and
// "none": true that no quantity fact may come out at all.
class FactTable : public testing::TestWithParam<Case> {};

TEST_P(FactTable, Extracts) {
  const auto& c = GetParam().data;
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  // A case that names a fact's status rule reads the line with --explain.
  bool explain = false;
  for (const auto& w : c.value("facts", nlohmann::json::array()))
    explain = explain || (w.contains("rule") && w.at("rule").contains("status"));
  LineAnalysis line = analyse_line(text, rules(), explain);
  std::vector<const Fact*> got;
  for (const Fact& f : line.facts)
    if (is_quantity(f.kind)) got.push_back(&f);
  auto describe = [&] {
    std::string s;
    for (const Fact* f : got) s += slice(text, f->span) + "(" + std::string(f->kind) + ") ";
    return s;
  };
  if (c.value("none", false)) {
    EXPECT_TRUE(got.empty()) << describe();
    return;
  }
  const auto& want = c.at("facts");
  if (c.value("only", true)) {
    EXPECT_EQ(got.size(), want.size()) << describe();
  }
  // The fact of a text: its nth occurrence (`nth`, `part_of_nth`, 0-based) when given, else
  // the last (合计100万元 restates 投入资金100万元: two facts of one text).
  auto find = [&](const std::string& wanted, const nlohmann::json& nth) -> const Fact* {
    const Fact* f = nullptr;
    int seen = 0;
    for (const Fact* g : got)
      if (slice(text, g->span) == wanted && (nth.is_null() || seen++ == nth.get<int>())) f = g;
    return f;
  };
  for (const auto& w : want) {
    std::string wtext = w.at("text");
    const Fact* f = find(wtext, w.value("nth", nlohmann::json()));
    ASSERT_NE(f, nullptr) << "no fact '" << wtext << "'; got " << describe();
    if (w.contains("kind")) EXPECT_EQ(f->kind, w.at("kind").get<std::string>()) << wtext;
    if (w.contains("value")) {
      ASSERT_TRUE(f->value) << wtext;
      EXPECT_EQ(f->value->str(), w.at("value").get<std::string>()) << wtext;
    }
    if (w.contains("unit"))
      EXPECT_EQ(f->unit, w.at("unit").is_null() ? "" : w.at("unit").get<std::string>()) << wtext;
    if (w.contains("qualifier"))
      EXPECT_EQ(f->qualifier, w.at("qualifier").is_null() ? "" : w.at("qualifier").get<std::string>()) << wtext;
    if (w.contains("subject"))
      EXPECT_EQ(f->subject.empty() ? std::string("<null>") : slice(text, f->subject),
                w.at("subject").is_null() ? "<null>" : w.at("subject").get<std::string>())
          << wtext;
    if (w.contains("aspect"))
      EXPECT_EQ(f->aspect, w.at("aspect").is_null() ? "" : w.at("aspect").get<std::string>()) << wtext;
    if (w.contains("status"))  // target, forecast, or null (an outcome)
      EXPECT_EQ(f->status, w.at("status").is_null() ? "" : w.at("status").get<std::string>()) << wtext;
    if (w.contains("rule") && w.at("rule").contains("status")) {
      ASSERT_TRUE(f->rules) << wtext;
      EXPECT_EQ(f->rules->status, w.at("rule").at("status").get<std::string>()) << wtext;
    }
    if (w.contains("part_of"))  // the text of the whole the figure lies in, or null
      EXPECT_EQ(f->part_of.empty() ? std::string("<null>") : slice(text, f->part_of),
                w.at("part_of").is_null() ? "<null>" : w.at("part_of").get<std::string>())
          << wtext;
    if (w.contains("part_of_nth")) {
      const Fact* whole = find(w.at("part_of").get<std::string>(), w.at("part_of_nth"));
      ASSERT_NE(whole, nullptr) << wtext;
      EXPECT_EQ(f->part_of, whole->span) << wtext << " lies in the wrong " << slice(text, whole->span);
    }
    if (w.contains("range")) {
      ASSERT_TRUE(f->range) << wtext;
      EXPECT_EQ(f->range->first.str(), w.at("range")[0].get<std::string>()) << wtext;
      EXPECT_EQ(f->range->second.str(), w.at("range")[1].get<std::string>()) << wtext;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Table, FactTable, testing::ValuesIn(load_table("facts.json")), case_name);

// The combination rules of facts.json (tests/tables/combinations.json): the facts they
// make or leave alone, and the rule names --explain gives them.
class CombinationTable : public testing::TestWithParam<Case> {};

TEST_P(CombinationTable, NamesTheRule) {
  const auto& c = GetParam().data;
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  std::u32string unit = from_utf8(c.value("unit", std::string()));  // whose report the line is
  LineAnalysis line = analyse_line(text, rules(), true, unit);
  std::vector<const Fact*> got;
  std::string all;
  for (const Fact& f : line.facts)
    if (is_quantity(f.kind)) got.push_back(&f), all += slice(text, f.span) + " ";
  if (c.value("none", false)) {
    EXPECT_TRUE(got.empty()) << all;
    return;
  }
  const auto& want = c.at("facts");
  if (c.value("only", true)) EXPECT_EQ(got.size(), want.size()) << all;
  for (const auto& w : want) {
    std::string wtext = w.at("text");
    auto it = std::find_if(got.begin(), got.end(), [&](const Fact* g) { return slice(text, g->span) == wtext; });
    ASSERT_NE(it, got.end()) << "no fact '" << wtext << "'; got " << all;
    const Fact& f = **it;
    auto text_or_null = [](const nlohmann::json& j) { return j.is_null() ? std::string() : j.get<std::string>(); };
    if (w.contains("kind")) EXPECT_EQ(f.kind, w.at("kind").get<std::string>()) << wtext;
    if (w.contains("value")) EXPECT_EQ(f.value ? f.value->str() : "<null>", w.at("value").get<std::string>()) << wtext;
    if (w.contains("unit")) EXPECT_EQ(f.unit, text_or_null(w.at("unit"))) << wtext;
    if (w.contains("qualifier")) EXPECT_EQ(f.qualifier, text_or_null(w.at("qualifier"))) << wtext;
    if (w.contains("subject"))
      EXPECT_EQ(f.subject.empty() ? std::string() : slice(text, f.subject), text_or_null(w.at("subject"))) << wtext;
    if (w.contains("aspect")) EXPECT_EQ(f.aspect, text_or_null(w.at("aspect"))) << wtext;
    if (w.contains("warned")) {  // a warning names the figure's span (subject.list_unpaired)
      bool warned = std::any_of(line.left_out.begin(), line.left_out.end(),
                                [&](const Refusal& r) { return r.span.start == f.span.start && r.span.end == f.span.end; });
      EXPECT_EQ(warned, w.at("warned").get<bool>()) << wtext;
    }
    if (w.contains("part_of"))  // the text of the whole the figure lies in, or null
      EXPECT_EQ(f.part_of.empty() ? std::string() : slice(text, f.part_of), text_or_null(w.at("part_of"))) << wtext;
    if (w.contains("range")) {
      ASSERT_TRUE(f.range) << wtext;
      EXPECT_EQ(f.range->first.str(), w.at("range")[0].get<std::string>()) << wtext;
      EXPECT_EQ(f.range->second.str(), w.at("range")[1].get<std::string>()) << wtext;
    } else {
      EXPECT_FALSE(f.range) << wtext;
    }
    if (!w.contains("rule")) continue;
    ASSERT_TRUE(f.rules) << wtext;
    const auto& r = w.at("rule");
    if (r.contains("pattern")) EXPECT_EQ(f.rules->pattern, r.at("pattern").get<std::string>()) << wtext;
    if (r.contains("qualifier")) EXPECT_EQ(f.rules->qualifier, r.at("qualifier").get<std::string>()) << wtext;
    if (r.contains("subject")) EXPECT_EQ(f.rules->subject, r.at("subject").get<std::string>()) << wtext;
    if (r.contains("kind")) EXPECT_EQ(f.rules->kind, r.at("kind").get<std::string>()) << wtext;
    if (r.contains("unit")) EXPECT_EQ(f.rules->unit, r.at("unit").get<std::string>()) << wtext;
    if (r.contains("aspect")) EXPECT_EQ(f.rules->aspect, r.at("aspect").get<std::string>()) << wtext;
    if (r.contains("part")) EXPECT_EQ(f.rules->part, r.at("part").get<std::string>()) << wtext;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, CombinationTable, testing::ValuesIn(load_table("combinations.json")), case_name);

// --explain's refusals (tests/tables/refusals.json): every numeral not taken, with the
// rule that refused it, and nothing listed for the numerals that became facts.
class RefusalTable : public testing::TestWithParam<Case> {};

TEST_P(RefusalTable, NamesTheRule) {
  const auto& c = GetParam().data;
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  LineAnalysis line = analyse_line(text, rules(), true);
  std::vector<std::pair<std::string, std::string>> got, want;
  for (const Refusal& r : line.refused) got.emplace_back(slice(text, r.span), std::string(r.rule));
  for (const auto& w : c.at("refused")) want.emplace_back(w.at("text"), w.at("rule"));
  EXPECT_EQ(got, want);
  std::vector<std::string> facts;
  for (const Fact& f : line.facts) facts.push_back(slice(text, f.span));
  for (const auto& w : c.at("facts"))
    EXPECT_NE(std::find(facts.begin(), facts.end(), w.get<std::string>()), facts.end()) << w;
  if (c.at("facts").empty()) {
    for (const Fact& f : line.facts) EXPECT_FALSE(is_quantity(f.kind)) << slice(text, f.span);
  }
}

INSTANTIATE_TEST_SUITE_P(Table, RefusalTable, testing::ValuesIn(load_table("refusals.json")), case_name);

// Without --explain nothing is kept about refusals.
TEST(Refusals, OnlyWhenExplaining) {
  LineAnalysis line = analyse_line(from_utf8("长度100"), rules(), false);
  EXPECT_TRUE(line.refused.empty());
}

// A document keeps the rules its names point into (Fact::kind, qualifier, aspect,
// Sentence::period_rule, Refusal::rule): made with rules that nothing else holds, as in
// extract(b, s, *load_rules_dir(d)), they outlive the call (ASan would catch a
// dangling view here).
TEST(DocumentRules, KeepTheRulesTheNamesPointInto) {
  std::weak_ptr<const Rules> watch;
  ExtractOptions options;
  options.explain = true;
  SourceInfo source;
  source.path = "x.txt";
  std::string text = "### 吉阳区委书记孙德震：着力构建大党建体系\n\n去年，发放慰问金39.6万元，3500余名党员下沉一线，长度100。\n";
  Document doc = extract(text, source, *compile_rules(embedded_rules_files()), options);
  watch = doc.rules;
  ASSERT_FALSE(watch.expired());
  ASSERT_EQ(doc.units.size(), 1u);
  const Unit& u = doc.units[0];
  ASSERT_EQ(u.facts.size(), 2u);
  EXPECT_EQ(u.facts[0].kind, "money");
  EXPECT_EQ(u.facts[1].kind, "count");
  EXPECT_EQ(u.facts[1].qualifier, "more_than");
  EXPECT_EQ(u.facts[0].aspect, "amount");
  EXPECT_EQ(u.paragraphs.at(0).sentences.at(0).period_rule.empty(), false);
  ASSERT_EQ(u.refused.size(), 1u);
  EXPECT_EQ(u.refused[0].rule, "refusal.bare_figure");
  // The last owner is the document (and its copies).
  Document copy = doc;
  doc = Document();
  EXPECT_FALSE(watch.expired());
  EXPECT_EQ(copy.units[0].facts[0].kind, "money");
  copy = Document();
  EXPECT_TRUE(watch.expired());
}

TEST(DocumentRules, LineAnalysisKeepsItsRules) {
  LineAnalysis line = analyse_line(from_utf8("保险70余万元"), *compile_rules(embedded_rules_files()), true);
  ASSERT_TRUE(line.rules);
  ASSERT_EQ(line.facts.size(), 1u);
  EXPECT_EQ(line.facts[0].kind, "money");
  EXPECT_EQ(line.facts[0].qualifier, "more_than");
}

// The patterns a figure tries (facts.json patterns, FactPatternRules::gates): those the
// characters next to it let through, and not the others (tests/tables/fact_gates.json).
class FactGateTable : public testing::TestWithParam<Case> {};

TEST_P(FactGateTable, LetsThroughThePatternsThatCanMatch) {
  const auto& c = GetParam().data;
  std::u32string view = matching_view(from_utf8(c.at("in").get<std::string>()));
  std::u32string figure = matching_view(from_utf8(c.at("figure").get<std::string>()));
  size_t b = view.find(figure);
  ASSERT_NE(b, std::u32string::npos);
  const auto& patterns = rules().facts.patterns;
  uint64_t let_through = facts::patterns_let_through(rules().facts.gates, view, b, b + figure.size());
  auto tried = [&](const std::string& name) {
    for (size_t k = 0; k < patterns.size(); ++k)
      if (patterns[k].name == name) return k >= 64 || ((let_through >> k) & 1) != 0;
    ADD_FAILURE() << "no pattern " << name;
    return false;
  };
  for (const auto& name : c.at("tried")) EXPECT_TRUE(tried(name.get<std::string>())) << name;
  for (const auto& name : c.at("not_tried")) EXPECT_FALSE(tried(name.get<std::string>())) << name;
}
INSTANTIATE_TEST_SUITE_P(Table, FactGateTable, testing::ValuesIn(load_table("fact_gates.json")), case_name);

// The facts and refusals are those of trying every pattern on every figure: the same
// rules without the gates give the same, with --explain (the patterns and rules named),
// on every line of the samples and test inputs and on a table of lines where a gated
// item stands next to the figure or does not, with spaces and without.
TEST(FactGates, SameFactsAsEveryPatternTried) {
  Rules plain = rules();
  plain.facts.gates = FactPatternRules::PatternGates();
  plain.facts.gates.ungated = ~uint64_t(0);
  ASSERT_NE(rules().facts.gates.ungated, plain.facts.gates.ungated);  // some patterns are gated
  // The rules read at run time (--rules) are gated alike.
  std::shared_ptr<const Rules> compiled = compile_rules(embedded_rules_files());
  EXPECT_EQ(compiled->facts.gates.ungated, rules().facts.gates.ungated);
  for (int side = 0; side < FactPatternRules::PatternGates::kSides; ++side)
  {
    EXPECT_EQ(compiled->facts.gates.by_char[side], rules().facts.gates.by_char[side]) << side;
    for (int w = 0; w < 4; ++w) EXPECT_EQ(compiled->facts.gates.filter[side][w], rules().facts.gates.filter[side][w]) << side;
  }
  std::vector<std::u32string> lines = {
      U"排名第3名", U"排名第 3 名", U"人民币50万元", U"人民币  50万元，￥300，$5", U"进入全省前10位，排名前五",
      U"近三年全县财政收入年均增长8%", U"工期近2年", U"第1、2、3名", U"第三、四季度", U"发放慰问金39.6万元",
      U"比三年前增加了1200户", U"比5 年前增加了1200户", U"三年来，五年以来", U"2022年", U"2023—2025年",
      U"1至9月", U"3—5月份", U"3月13日", U"3 月13日", U"12-15日", U"5日元", U"今后五年", U"前两个月",
      U"百分之八十五", U"三分之一", U"50元6角三分", U"分别增长3.5、8.2和6.1%", U"第一书记", U"超过80"};
  add_lines_of_test_inputs(lines);
  size_t facts = 0, refused = 0;
  auto same_refusals = [](const std::vector<Refusal>& a, const std::vector<Refusal>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].span != b[i].span || a[i].rule != b[i].rule) return false;
    return true;
  };
  for (const std::u32string& line : lines) {
    LineAnalysis gated = analyse_line(line, rules(), true), tried = analyse_line(line, plain, true);
    ASSERT_EQ(gated.facts.size(), tried.facts.size()) << to_utf8(line);
    EXPECT_TRUE(same_refusals(gated.refused, tried.refused)) << to_utf8(line);
    EXPECT_TRUE(same_refusals(gated.left_out, tried.left_out)) << to_utf8(line);
    refused += gated.refused.size();
    for (size_t i = 0; i < gated.facts.size(); ++i, ++facts) {
      const Fact &a = gated.facts[i], &b = tried.facts[i];
      EXPECT_EQ(a.span, b.span) << to_utf8(line);
      EXPECT_EQ(a.kind, b.kind) << to_utf8(line);
      EXPECT_EQ(a.value, b.value) << to_utf8(line);
      EXPECT_EQ(a.unit, b.unit) << to_utf8(line);
      EXPECT_EQ(a.qualifier, b.qualifier) << to_utf8(line);
      ASSERT_TRUE(a.rules && b.rules) << to_utf8(line);
      EXPECT_EQ(a.rules->pattern, b.rules->pattern) << to_utf8(line);
      EXPECT_EQ(a.rules->numeral, b.rules->numeral) << to_utf8(line);
    }
  }
  EXPECT_GT(facts, 1000u);
  EXPECT_GT(refused, 100u);
}

}  // namespace
}  // namespace digestx::test
