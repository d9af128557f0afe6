// The review page: escaping, number display, money sums and the page's markup,
// driven by tests/tables/render.json. The samples and the browser are checked by
// render_test.py and render_browser_test.py.
#include "digestx/render.hpp"

#include <regex>

#include "digestx/pipeline.hpp"
#include "digestx/utf.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

std::vector<Case> cases(const std::string& prefix) {
  std::vector<Case> out;
  for (const Case& c : load_table("render.json"))
    if (c.group.rfind(prefix, 0) == 0) out.push_back(c);
  return out;
}

Document document_of(const nlohmann::json& c) {
  std::string bytes;
  if (c.contains("hex")) {
    std::string hex = c.at("hex");
    for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += char(std::stoi(hex.substr(i, 2), nullptr, 16));
  } else {
    bytes = c.at("text").get<std::string>();
  }
  return extract(bytes, {"in.txt", "", false, 0}, rules());
}

size_t occurrences(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

class Escape : public testing::TestWithParam<Case> {};

TEST_P(Escape, Text) {
  const auto& c = GetParam().data;
  std::string out;
  append_html(out, c.at("in").get<std::string>());
  EXPECT_EQ(out, c.at("html").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Table, Escape, testing::ValuesIn(cases("escape")), case_name);

class Grouped : public testing::TestWithParam<Case> {};

TEST_P(Grouped, ThousandsSeparators) {
  const auto& c = GetParam().data;
  auto d = Decimal::parse(std::string(c.at("in")).substr(c.at("in").get<std::string>()[0] == '-' ? 1 : 0));
  ASSERT_TRUE(d);
  if (c.at("in").get<std::string>()[0] == '-') d = d->negated();
  EXPECT_EQ(grouped(*d), c.at("out").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Table, Grouped, testing::ValuesIn(cases("grouped")), case_name);

class Money : public testing::TestWithParam<Case> {};

void expect_total(const MoneyTotal& m, const nlohmann::json& c, const std::string& period) {
  const auto& want = c.at(period + "_year");
  if (want.is_null()) {
    EXPECT_EQ(m.facts, 0u) << period;
    EXPECT_EQ(m.other_aspects, c.value(period + "_other_aspects", 0u)) << period;
    return;
  }
  EXPECT_EQ(m.yuan.str(), want.get<std::string>()) << period;
  EXPECT_EQ(m.approximate, c.value(period + "_approx", false)) << period;
  EXPECT_EQ(m.other_currency, c.value(period + "_other", 0u)) << period;
  EXPECT_EQ(m.other_aspects, c.value(period + "_other_aspects", 0u)) << period;
  EXPECT_FALSE(m.overflow);
}

TEST_P(Money, SumsByPeriod) {
  const auto& c = GetParam().data;
  Document doc = document_of(c);
  ASSERT_EQ(doc.units.size(), 1u);
  FactSummary s = summarise(doc.units[0].facts);
  EXPECT_EQ(s.facts, doc.units[0].facts.size());
  expect_total(s.last_year, c, "last");
  expect_total(s.this_year, c, "this");
}

INSTANTIATE_TEST_SUITE_P(Table, Money, testing::ValuesIn(cases("money")), case_name);

class Page : public testing::TestWithParam<Case> {};

TEST_P(Page, Markup) {
  const auto& c = GetParam().data;
  Document doc = document_of(c);
  std::string page = render_page(doc);
  for (const auto& s : c.value("contains", nlohmann::json::array())) EXPECT_NE(page.find(s), std::string::npos) << s;
  for (const auto& s : c.value("lacks", nlohmann::json::array())) EXPECT_EQ(page.find(s), std::string::npos) << s;
  // Whatever the input: our one script and style, no resource, every fact marked.
  EXPECT_EQ(occurrences(page, "<script"), 1u);
  EXPECT_EQ(occurrences(page, "<style"), 1u);
  EXPECT_FALSE(std::regex_search(page, std::regex("<(link|img|iframe|object|embed|base|form)\\b")));
  EXPECT_EQ(occurrences(page, "<mark class=\"f "), count_facts(doc) + occurrences(page, " cont\""));
  EXPECT_EQ(to_utf8(from_utf8(page)), page);  // valid UTF-8
}

INSTANTIATE_TEST_SUITE_P(Table, Page, testing::ValuesIn(cases("page")), case_name);

TEST(Render, SeveralInputsOnePage) {
  Document a = extract("去年,组建突击队5支。", {"a.txt", "", false, 0}, rules());
  RenderInput failed;
  failed.source.path = "missing.txt";
  failed.error_code = "not_found";
  failed.error_message = "no such file";
  std::string page = render_page({{&a, {}, {}, {}}, failed});
  EXPECT_NE(page.find("<nav class=\"toc\">"), std::string::npos);
  EXPECT_NE(page.find("id=\"d1\""), std::string::npos);
  EXPECT_NE(page.find("<code>not_found</code> no such file"), std::string::npos);
  EXPECT_NE(page.find("digestx review: 2 documents"), std::string::npos);
}

TEST(Render, CspNamesTheInlineAssets) {
  std::string page = render_page(extract("去年,组建突击队5支。", {}, rules()));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page, m, std::regex("style-src 'sha256-([A-Za-z0-9+/=]{44})'; script-src 'sha256-([A-Za-z0-9+/=]{44})'")));
  EXPECT_NE(m[1], m[2]);
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
}

}  // namespace
}  // namespace digestx::test
