#include "digestx/view.hpp"

#include <vector>

#include "../src/folded_table.hpp"
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
  // Folded in place: the same view, and the text back whole afterwards.
  std::u32string text = in;
  FoldChanges changes = fold_in_place(text);
  EXPECT_EQ(text, v);
  unfold(text, changes);
  EXPECT_EQ(text, in);
}

// The layout finds lines in the view folded in place: no character folds into a line
// break or out of one.
TEST(View, KeepsLineBreaks) {
  for (char32_t c = 0; c < 0x10000; ++c) EXPECT_EQ(is_line_break(fold_char(c)), is_line_break(c)) << uint32_t(c);
}

INSTANTIATE_TEST_SUITE_P(Table, ViewTable, testing::ValuesIn(load_table("view.json")), case_name);

// The matching view's table, written at build time, is the one made from ICU's pairs
// by the same function.
TEST(View, FoldedTableIsMadeFromThePairs) {
  ASSERT_GT(generated::kSimplifiedPairCount, 1000u);
  std::vector<char32_t> table(kBmp);
  fill_folded_table(table.data(), generated::kSimplifiedPairs, generated::kSimplifiedPairCount);
  for (size_t c = 0; c < kBmp; ++c) ASSERT_EQ(generated::kFoldedTable[c], table[c]) << c;
  EXPECT_EQ(fold_char(U'國'), U'国');
  EXPECT_EQ(fold_char(U'\uFF11'), U'1');
  EXPECT_EQ(fold_char(U'\uFF0C'), U'\uFF0C');
}

}  // namespace
}  // namespace digestx::test
