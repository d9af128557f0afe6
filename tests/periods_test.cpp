#include "digestx/periods.hpp"

#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

Period parse(const nlohmann::json& j) {
  if (j.is_null()) return Period::none;
  return j.get<std::string>() == "last_year" ? Period::last_year : Period::this_year;
}

class PeriodTable : public testing::TestWithParam<Case> {};

// A case is a list of sentences of one unit and the period each ends up with.
TEST_P(PeriodTable, Tags) {
  const auto& c = GetParam().data;
  std::optional<int> year;
  if (c.contains("report_year")) year = c.at("report_year").get<int>();
  std::vector<std::u32string> views;
  std::u32string all;
  std::vector<SentenceText> sentences;
  for (const auto& s : c.at("sentences")) {
    std::u32string t = from_utf8(s.get<std::string>());
    uint32_t start = uint32_t(all.size());
    all += t;
    sentences.push_back({{Span{start, uint32_t(all.size())}}});
  }
  std::u32string view = matching_view(all);
  std::string frame_name = c.value("frame", "digest");
  PeriodFrame frame = frame_name == "full_report"         ? PeriodFrame::full_report
                      : frame_name == "full_report_after" ? PeriodFrame::full_report_after
                      : frame_name == "half_year"         ? PeriodFrame::half_year
                                                          : PeriodFrame::digest;
  auto got = assign_periods(view, sentences, year, rules().periods, frame, &rules().layout);
  ASSERT_EQ(got.size(), c.at("periods").size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(period_name(got[i].period) ? period_name(got[i].period) : "null",
              c.at("periods")[i].is_null() ? "null" : c.at("periods")[i].get<std::string>())
        << "sentence " << i;
}

INSTANTIATE_TEST_SUITE_P(Table, PeriodTable, testing::ValuesIn(load_table("periods.json")), case_name);

class ClausePeriodTable : public testing::TestWithParam<Case> {};

// A sentence and the clauses in it that open with a marker (periods.json clause_marker).
TEST_P(ClausePeriodTable, Marks) {
  const auto& c = GetParam().data;
  std::u32string view = matching_view(from_utf8(c.at("sentence").get<std::string>()));
  auto got = clause_marks(view, c.at("report_year").get<int>(), rules().periods, PeriodFrame::digest);
  ASSERT_EQ(got.size(), c.at("clauses").size());
  for (size_t i = 0; i < got.size(); ++i) {
    std::u32string start = from_utf8(c.at("clauses")[i][0].get<std::string>());
    EXPECT_EQ(to_utf8(view.substr(got[i].at, start.size())), to_utf8(start)) << "clause " << i;
    const auto& want = c.at("clauses")[i][1];
    EXPECT_EQ(period_name(got[i].mark.period) ? period_name(got[i].mark.period) : "null",
              want.is_null() ? "null" : want.get<std::string>())
        << "clause " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, ClausePeriodTable, testing::ValuesIn(load_table("clause_periods.json")), case_name);

}  // namespace
}  // namespace digestx::test
