#include "digestx/decode.hpp"

#include <unicode/ucnv.h>

#include "digestx/utf.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

std::string from_hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    if (hex[i] == ' ') {
      --i;
      continue;
    }
    out += char(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

std::string encode(const std::string& utf8, const std::string& encoding) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  int32_t n = ucnv_convert(encoding.c_str(), "UTF-8", &out[0], int32_t(out.size()), utf8.data(), int32_t(utf8.size()), &status);
  if (U_FAILURE(status)) throw std::runtime_error("cannot encode as " + encoding);
  out.resize(size_t(n));
  return out;
}

// Builds the input bytes of a case: "utf8" text, "hex" bytes, or "text" encoded "as".
std::string input_bytes(const nlohmann::json& c) {
  std::string bytes;
  if (c.contains("hex")) bytes = from_hex(c.at("hex"));
  if (c.contains("text")) bytes += c.contains("as") ? encode(c.at("text"), c.at("as")) : c.at("text").get<std::string>();
  if (c.contains("then_hex")) bytes += from_hex(c.at("then_hex"));
  if (c.contains("repeat")) {
    std::string one = bytes;
    for (int i = 1; i < c.at("repeat").get<int>(); ++i) bytes += one;
  }
  return bytes;
}

class DecodeTable : public testing::TestWithParam<Case> {};

TEST_P(DecodeTable, Decodes) {
  const auto& c = GetParam().data;
  std::string bytes = input_bytes(c);
  DecodeOptions opts;
  if (c.contains("force")) opts.encoding = c.at("force");
  if (c.contains("error")) {
    try {
      decode(bytes, opts);
      FAIL() << "expected error " << c.at("error");
    } catch (const InputError& e) {
      EXPECT_EQ(e.code(), c.at("error").get<std::string>()) << e.what();
    }
    return;
  }
  Decoded d = decode(bytes, opts);
  if (c.contains("encoding")) EXPECT_EQ(d.encoding, c.at("encoding").get<std::string>());
  if (c.contains("expect")) EXPECT_EQ(to_utf8(d.text), c.at("expect").get<std::string>());
  if (c.contains("bom")) EXPECT_EQ(d.bom, c.at("bom").get<bool>());
  if (c.contains("warnings")) EXPECT_EQ(d.warnings.size(), c.at("warnings").get<size_t>());
  // Each replaced sequence: [byte offset named by the warning, code point of its U+FFFD].
  if (c.contains("invalid")) {
    std::vector<const Warning*> invalid;
    for (const Warning& w : d.warnings)
      if (w.code == "invalid_bytes") invalid.push_back(&w);
    ASSERT_EQ(invalid.size(), c.at("invalid").size());
    for (size_t i = 0; i < invalid.size(); ++i) {
      size_t byte = c.at("invalid")[i][0], cp = c.at("invalid")[i][1];
      EXPECT_NE(invalid[i]->message.find("byte offset " + std::to_string(byte) + " "), std::string::npos)
          << invalid[i]->message;
      EXPECT_TRUE(invalid[i]->has_span);
      EXPECT_EQ(invalid[i]->span.start, cp);
      ASSERT_LT(invalid[i]->span.start, d.text.size());
      EXPECT_EQ(d.text[invalid[i]->span.start], U'\uFFFD');
    }
  }
  if (c.contains("warning_mentions")) {
    ASSERT_FALSE(d.warnings.empty());
    EXPECT_NE(d.warnings[0].message.find(c.at("warning_mentions").get<std::string>()), std::string::npos)
        << d.warnings[0].message;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, DecodeTable, testing::ValuesIn(load_table("decode.json")), case_name);

TEST(Decode, SpansStayExactAfterReplacement) {
  // "去年" + bad byte + "1个": the replacement keeps one code point per bad sequence.
  std::string bytes = std::string("去年") + "\xFF" + "1个";
  Decoded d = decode(bytes);
  ASSERT_EQ(d.text.size(), 5u);
  EXPECT_EQ(d.text[2], U'\uFFFD');
  ASSERT_FALSE(d.warnings.empty());
  EXPECT_EQ(d.warnings[0].span.start, 2u);
}

}  // namespace
}  // namespace digestx::test
