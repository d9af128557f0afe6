#include "digestx/decimal.hpp"

#include "table.hpp"

namespace digestx::test {
namespace {

Decimal D(const std::string& s) {
  bool neg = !s.empty() && s[0] == '-';
  auto d = Decimal::parse(neg ? s.substr(1) : s);
  if (!d) throw std::runtime_error("bad decimal " + s);
  return neg ? d->negated() : *d;
}

class DecimalTable : public testing::TestWithParam<Case> {};

TEST_P(DecimalTable, Computes) {
  const auto& c = GetParam().data;
  std::string op = c.at("op");
  std::optional<Decimal> got;
  if (op == "parse") {
    got = Decimal::parse(c.at("a").get<std::string>());
  } else if (op == "mul") {
    got = D(c.at("a")).mul(D(c.at("b")));
  } else if (op == "add") {
    got = D(c.at("a")).add(D(c.at("b")));
  } else if (op == "shift") {
    got = D(c.at("a")).shift(c.at("b").get<int>());
  } else if (op == "div") {
    got = D(c.at("a")).div(D(c.at("b")), c.value("digits", 6));
  } else if (op == "round") {
    got = D(c.at("a")).rounded(c.at("b").get<int>());
  }
  if (c.at("out").is_null()) {
    EXPECT_FALSE(got.has_value()) << got->str();
  } else {
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->str(), c.at("out").get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(Table, DecimalTable, testing::ValuesIn(load_table("decimal.json")), case_name);

TEST(Decimal, ComparesAcrossScales) {
  EXPECT_EQ(D("1.50"), D("1.5"));
  EXPECT_LT(D("0.333333"), D("0.5"));
  EXPECT_GT(D("-1"), D("-2"));
}

}  // namespace
}  // namespace digestx::test
