#include "digestx/decimal.hpp"

#include "../src/figure_digits.hpp"
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
  } else if (op == "figure") {
    // FigureDigits, TokenReader::arabic's reader, gives what Decimal::parse gives, scale included.
    std::string text = c.at("a");
    numerals::FigureDigits figure;
    for (char ch : text) figure.push(ch);
    got = figure.value();
    auto parsed = Decimal::parse(text);
    ASSERT_EQ(got.has_value(), parsed.has_value()) << text;
    if (got) {
      EXPECT_EQ(got->str(), parsed->str()) << text;
      EXPECT_EQ(got->scale(), parsed->scale()) << text;
    }
    EXPECT_EQ(figure.size(), text.size());
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

// to_int64 reads a whole number of scale 0 inline and normalises any other first; the
// normalising divides in 64 bits when the mantissa fits them, in 128 bits otherwise.
TEST(Decimal, ToInt64OnEachSideOf64Bits) {
  struct Row {
    std::string in;
    std::optional<long long> out;
  };
  const Row rows[] = {
      {"0", 0},
      {"12", 12},
      {"-12", -12},
      {"12.000", 12},
      {"12.5", std::nullopt},
      {"0.000", 0},
      {"9223372036854775807", INT64_MAX},
      {"-9223372036854775808", INT64_MIN},
      {"9223372036854775808", std::nullopt},
      {"-9223372036854775809", std::nullopt},
      {"9223372036854775807.000", INT64_MAX},
      {"92233720368547758070.0", std::nullopt},
      {"123456789012345678901234567890.0000", std::nullopt},
      {"1234567890123456789.0000000000", 1234567890123456789LL},
  };
  for (const Row& r : rows) EXPECT_EQ(D(r.in).to_int64(), r.out) << r.in;
  // Normalising keeps the value and drops trailing zeros, on both sides of 64 bits.
  EXPECT_EQ(D("1.2300").str(), "1.23");
  EXPECT_EQ(D("-1.2300").str(), "-1.23");
  EXPECT_EQ(D("12345678901234567890123.4500").str(), "12345678901234567890123.45");
  EXPECT_TRUE(D("12345678901234567890123.000").is_integer());
  EXPECT_FALSE(D("12345678901234567890123.001").is_integer());
}

}  // namespace
}  // namespace digestx::test
