#include "digestx/headings.hpp"

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

}  // namespace
}  // namespace digestx::test
