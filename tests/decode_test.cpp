#include "digestx/decode.hpp"

#include <unicode/ucnv.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "digestx/utf.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

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

namespace digestx::test {

namespace {

// decode_chunked over bytes held in memory, read at most `step` bytes at a time.
std::optional<Decoded> chunked(const std::string& bytes, size_t& size, size_t step = size_t(1) << 20) {
  ReadAt read_at = [&](char* buf, size_t n, size_t offset) -> size_t {
    if (offset >= bytes.size()) return 0;
    size_t got = std::min({n, step, bytes.size() - offset});
    std::memcpy(buf, bytes.data() + offset, got);
    return got;
  };
  return decode_chunked(read_at, {}, size);
}

// Over 1 MiB of 汉 (three bytes), é (two) and 😀 (four) shifted by `shift` ASCII bytes,
// so that sequences, stray continuation bytes and cut sequences fall across the cuts.
std::string mixed(size_t shift, std::string_view damage) {
  std::string s(shift, 'a');
  while (s.size() < (size_t(3) << 20)) {
    s += "汉字\xC3\xA9\xF0\x9F\x98\x80\n";
    if (s.size() % 7 == 0) s += damage;
  }
  return s;
}

}  // namespace

TEST(DecodeChunked, GivesWhatDecodeGivesWhereverTheChunksAreCut) {
  for (size_t shift = 0; shift < 5; ++shift) {
    std::string clean = mixed(shift, "");
    size_t size = 0;
    auto d = chunked(clean, size);
    ASSERT_TRUE(d) << shift;
    EXPECT_EQ(size, clean.size());
    EXPECT_TRUE(d->text == decode(clean).text) << shift;
    EXPECT_EQ(d->encoding, "UTF-8");
    // With a BOM, damage is decoded as decode() does it, with the same warnings.
    std::string bommed = "\xEF\xBB\xBF" + mixed(shift, "\x80\x80\x80\x80\xE6\x89\xF0\x9F");
    auto b = chunked(bommed, size, 4093);
    Decoded whole = decode(bommed);
    ASSERT_TRUE(b) << shift;
    EXPECT_TRUE(b->text == whole.text) << shift;
    EXPECT_TRUE(b->bom);
    EXPECT_EQ(b->invalid, whole.invalid);
    ASSERT_EQ(b->warnings.size(), whole.warnings.size());
    for (size_t i = 0; i < whole.warnings.size(); ++i) EXPECT_EQ(b->warnings[i].message, whole.warnings[i].message);
  }
}

TEST(DecodeChunked, LeavesEverythingElseToDecode) {
  size_t size = 0;
  EXPECT_FALSE(chunked(mixed(0, "\xFF"), size));                 // damaged UTF-8 without a BOM
  EXPECT_FALSE(chunked("\xFF\xFE" + std::string(4 << 20, 'a'), size));  // UTF-16
  EXPECT_FALSE(chunked(std::string(2 << 20, ' '), size));          // blank: decode() says so
  EXPECT_FALSE(chunked("%PDF-1.4" + std::string(2 << 20, 'a'), size));
  EXPECT_FALSE(chunked("", size));
  ReadAt none = [](char*, size_t, size_t) -> size_t { return 0; };
  DecodeOptions gb;
  gb.encoding = "GB18030";
  EXPECT_FALSE(decode_chunked(none, gb, size));
}

}  // namespace digestx::test
