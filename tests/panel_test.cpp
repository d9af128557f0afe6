// The panel's matching rules (rules/panel.json) on tables of positive and negative
// pairs, and build_panel on small hand-made digests (tests/tables/panel.json).
#include "digestx/panel.hpp"

#include "digestx/utf.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

const PanelRules& panel_rules() {
  static const PanelRules r = load_panel_rules();
  return r;
}

std::vector<Case> group(const std::string& name) {
  std::vector<Case> out;
  for (const Case& c : load_table("panel.json"))
    if (c.group == name) out.push_back(c);
  return out;
}

class SubjectTable : public testing::TestWithParam<Case> {};

TEST_P(SubjectTable, NamesTheRuleThatLinksThem) {
  const auto& c = GetParam().data;
  const PanelRules& r = panel_rules();
  const SubjectRule* rule = match_subjects(panel_normal(c.at("planned").get<std::string>(), r),
                                           panel_normal(c.at("achieved").get<std::string>(), r), r);
  if (c.at("rule").is_null()) {
    EXPECT_EQ(rule, nullptr) << rule->name;
  } else {
    ASSERT_NE(rule, nullptr) << "no rule";
    EXPECT_EQ(rule->name, c.at("rule").get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(Linked, SubjectTable, testing::ValuesIn(group("subjects_linked")), case_name);
INSTANTIATE_TEST_SUITE_P(Apart, SubjectTable, testing::ValuesIn(group("subjects_apart")), case_name);

class VariantTable : public testing::TestWithParam<Case> {};

TEST_P(VariantTable, LearnsOnlyTrueVariants) {
  const auto& c = GetParam().data;
  const PanelRules& r = panel_rules();
  bool both = variant_spellings(panel_normal(c.at("a").get<std::string>(), r), panel_normal(c.at("b").get<std::string>(), r), r);
  bool back = variant_spellings(panel_normal(c.at("b").get<std::string>(), r), panel_normal(c.at("a").get<std::string>(), r), r);
  EXPECT_EQ(both, c.at("variant").get<bool>());
  EXPECT_EQ(both, back);  // symmetric
}

INSTANTIATE_TEST_SUITE_P(Table, VariantTable, testing::ValuesIn(group("organisation_variants")), case_name);

std::string_view kind_name(const std::string& k) {
  for (std::string_view known : {"count", "money", "percent", "measure"})
    if (k == known) return known;
  return "other";
}

// [text, value, kind, unit, subject, modifier (optional: of a generic subject)]
std::vector<PanelFact> facts_of(const nlohmann::json& list, int year) {
  std::vector<PanelFact> out;
  for (const auto& f : list) {
    PanelFact p;
    p.text = f[0].get<std::string>();
    p.value = *Decimal::parse(f[1].get<std::string>());
    p.kind = kind_name(f[2].get<std::string>());
    p.unit = f[3].get<std::string>();
    p.subject = f[4].get<std::string>();
    if (f.size() > 5) p.modifier = f[5].get<std::string>();
    p.year = year;
    out.push_back(p);
  }
  return out;
}

PanelDigest digest_of(const nlohmann::json& d) {
  PanelDigest out;
  out.source = d.at("source").get<std::string>();
  out.region = d.at("region").get<std::string>();
  out.year = d.at("year").get<int>();
  for (const auto& u : d.at("units")) {
    PanelUnit pu;
    pu.index = out.units.size();
    pu.organization = u.at("organization").get<std::string>();
    pu.role = u.at("role").get<std::string>();
    pu.name = u.at("name").get<std::string>();
    pu.plans = facts_of(u.value("plans", nlohmann::json::array()), *out.year + 1);
    pu.outcomes = facts_of(u.value("outcomes", nlohmann::json::array()), *out.year);
    out.units.push_back(pu);
  }
  return out;
}

class LinkTable : public testing::TestWithParam<Case> {};

TEST_P(LinkTable, LinksWhatShouldBeLinked) {
  const auto& c = GetParam().data;
  std::vector<PanelDigest> digests;
  for (const auto& d : c.at("digests")) digests.push_back(digest_of(d));
  Panel p = build_panel(digests, panel_rules());
  nlohmann::json links = nlohmann::json::array(), unmatched = nlohmann::json::array(), changes = nlohmann::json::array();
  for (const PanelLink& l : p.links)
    links.push_back({p.digests[l.planned.digest].units[l.planned.unit].plans[l.planned.fact].text,
                     p.digests[l.achieved.digest].units[l.achieved.unit].outcomes[l.achieved.fact].text, l.rule});
  for (const UnmatchedPlan& u : p.unmatched_plans)
    unmatched.push_back({p.digests[u.planned.digest].units[u.planned.unit].plans[u.planned.fact].text, u.reason});
  for (const SecretaryChange& s : p.secretary_changes) {
    const PanelRow &a = p.rows[s.from_row], &b = p.rows[s.to_row];
    changes.push_back({without_spaces(p.digests[a.digest].units[a.unit].name),
                       without_spaces(p.digests[b.digest].units[b.unit].name), *p.digests[b.digest].year});
  }
  EXPECT_EQ(links, c.at("links"));
  EXPECT_EQ(unmatched, c.at("unmatched"));
  EXPECT_EQ(changes, c.at("changes"));
}

INSTANTIATE_TEST_SUITE_P(Table, LinkTable, testing::ValuesIn(group("links")), case_name);

}  // namespace
}  // namespace digestx::test
