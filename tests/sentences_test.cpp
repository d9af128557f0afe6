#include "digestx/sentences.hpp"

#include "digestx/output.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

class SentenceTable : public testing::TestWithParam<Case> {};

TEST_P(SentenceTable, Splits) {
  const auto& c = GetParam().data;
  std::u32string text = from_utf8(c.at("in").get<std::string>());
  std::u32string view = matching_view(text);
  ParagraphText p{{Span{0, uint32_t(text.size())}}};
  auto got = split_sentences(view, p, rules().sentences);
  std::vector<std::string> texts;
  for (const auto& s : got) texts.push_back(slice(text, s.pieces));
  EXPECT_EQ(texts, c.at("sentences").get<std::vector<std::string>>());
}

INSTANTIATE_TEST_SUITE_P(Table, SentenceTable, testing::ValuesIn(load_table("sentences.json")), case_name);

TEST(Sentences, KeepPiecesAcrossABrokenParagraph) {
  std::u32string text = U"累计新吸收\n\n入党积极分子150名。今年,建成220家驿站。";
  std::u32string view = matching_view(text);
  ParagraphText p{{Span{0, 5}, Span{7, uint32_t(text.size())}}};
  auto got = split_sentences(view, p, rules().sentences);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].pieces.size(), 2u);
  EXPECT_EQ(slice(text, got[0].pieces), "累计新吸收入党积极分子150名。");
}

}  // namespace
}  // namespace digestx::test
