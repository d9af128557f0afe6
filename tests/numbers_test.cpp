#include "digestx/numbers.hpp"

#include "digestx/output.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

// A case: "in" text and the numerals expected in it, as [{"text", "value", "range"}],
// or "value" when the whole text is one numeral, or "none" when it holds no numeral.
class NumberTable : public testing::TestWithParam<Case> {};

TEST_P(NumberTable, Recognises) {
  const auto& c = GetParam().data;
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  std::u32string view = matching_view(text);
  auto got = find_numerals(view, rules().numbers);
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
  }
}

INSTANTIATE_TEST_SUITE_P(Table, NumberTable, testing::ValuesIn(load_table("numbers.json")), case_name);

}  // namespace
}  // namespace digestx::test
