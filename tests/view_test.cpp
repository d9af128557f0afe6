#include "digestx/view.hpp"

#include "digestx/utf.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

class ViewTable : public testing::TestWithParam<Case> {};

TEST_P(ViewTable, FoldsOneForOne) {
  const auto& c = GetParam().data;
  std::u32string in = from_utf8(c.at("in").get<std::string>());
  std::u32string v = matching_view(in);
  EXPECT_EQ(v.size(), in.size());  // offsets are shared with the source
  EXPECT_EQ(to_utf8(v), c.at("view").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Table, ViewTable, testing::ValuesIn(load_table("view.json")), case_name);

}  // namespace
}  // namespace digestx::test
