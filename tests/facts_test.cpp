#include "digestx/facts.hpp"

#include <algorithm>

#include "digestx/output.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/utf.hpp"
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

}  // namespace
}  // namespace digestx::test
