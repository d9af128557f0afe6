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

namespace digestx::test {

namespace {

// What decoding UTF-8 must give, byte by byte as the Unicode standard says it (each
// maximal invalid subpart one U+FFFD): the reference for the decoder's block paths.
struct Reference {
  std::u32string text;
  std::vector<std::pair<size_t, size_t>> bad;  // (byte offset, code point index)
  size_t controls = 0, multibyte = 0;
};

Reference reference_utf8(std::string_view s) {
  Reference r;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char b = p[i];
    if (b < 0x80) {
      r.controls += b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1B;
      r.text.push_back(b);
      ++i;
      continue;
    }
    size_t len = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    unsigned char lo = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80, hi = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
    char32_t c = len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
    size_t k = 1;
    for (; k < len && i + k < n && p[i + k] >= lo && p[i + k] <= hi; ++k, lo = 0x80, hi = 0xBF) c = c << 6 | (p[i + k] & 0x3F);
    if (len != 0 && k == len) {
      r.text.push_back(c);
      ++r.multibyte;
    } else {
      r.bad.emplace_back(i, r.text.size());
      r.text.push_back(0xFFFD);
    }
    i += k;
  }
  return r;
}

// decode() of UTF-8 after a BOM keeps its damage: the text and each replacement's
// warning (byte offset after the BOM, code point) as the reference has them.
void expect_as_reference(const std::string& bytes, const std::string& what) {
  if (bytes.empty()) return;  // a BOM alone is an error of its own
  Reference want = reference_utf8(bytes);
  Decoded d = decode("\xEF\xBB\xBF" + bytes);
  ASSERT_TRUE(d.text == want.text) << what;
  EXPECT_EQ(d.invalid, want.bad.size()) << what;
  size_t listed = 0;
  for (const Warning& w : d.warnings) {
    if (!w.has_span) continue;
    ASSERT_LT(listed, want.bad.size()) << what;
    auto [byte, cp] = want.bad[listed++];
    EXPECT_NE(w.message.find("byte offset " + std::to_string(byte + 3) + " "), std::string::npos) << what << w.message;
    EXPECT_EQ(w.span.start, cp) << what;
  }
  EXPECT_EQ(listed, std::min<size_t>(want.bad.size(), 20)) << what;
}

// The edges of the decoder's blocks (four three-byte characters, twelve bytes, read
// sixteen at a time): what stops a run of plain characters, each put inside one.
struct RunBreak {
  const char* name;
  std::string bytes;
};

const RunBreak kRunBreaks[] = {
    {"none", ""},
    {"lowest_and_highest_plain", "\xE1\x80\x80\xEF\xBF\xBF\xEC\xBF\xBF\xEE\x80\x80"},
    {"lead_E0", "\xE0\xA0\x80"},
    {"lead_E0_overlong", "\xE0\x80\x80"},
    {"lead_ED", "\xED\x9F\xBF"},
    {"lead_ED_surrogate", "\xED\xA0\x80"},
    {"lead_F0", "\xF0\x9F\x98\x80"},
    {"lead_F0_cut", "\xF0\x9F"},
    {"lead_F4_beyond", "\xF4\x90\x80\x80"},
    {"two_bytes", "\xC3\xA9"},
    {"stray_continuation", "\x80"},
    {"stray_continuations", "\xBF\x80\xBF"},
    {"cut_three_byte", "\xE6\x89"},
    {"lead_without_continuation", "\xE6"},
    {"byte_FF", "\xFF"},
    {"overlong_C0", "\xC0\xAF"},
    {"ascii", "a1"},
    {"control_in_ascii", "ab\x01" "cd"},
    {"controls_and_line_ends", "\x1F\n\x1B\r\t\f\x7F\x02"},
};

void PrintTo(const RunBreak& b, std::ostream* os) { *os << b.name; }

class DecodeBlocks : public testing::TestWithParam<RunBreak> {};

// Each break after 0 to 15 ASCII bytes and 0 to 5 characters, so that it falls at
// every offset of a block and of the sixteen bytes read; then more characters, and
// the input's end (a cut sequence last, as a piece may end) right after the break too.
TEST_P(DecodeBlocks, GiveWhatTheReferenceGives) {
  const RunBreak& b = GetParam();
  for (size_t shift = 0; shift < 16; ++shift) {
    for (size_t before = 0; before <= 5; ++before) {
      std::string head = std::string(shift, 'a');
      for (size_t k = 0; k < before; ++k) head += "汉";
      std::string what = std::string(b.name) + " shift " + std::to_string(shift) + " after " + std::to_string(before);
      expect_as_reference(head + b.bytes + "字字字字字字字x", what);
      expect_as_reference(head + b.bytes, what + " at the end");
      expect_as_reference(head + b.bytes + "字" + b.bytes + "字字字字" + b.bytes, what + " twice");
    }
  }
}

// A control byte anywhere in a run of ASCII or of characters is counted (a text of
// more than 5% of them is binary, and the error says how many).
TEST_P(DecodeBlocks, CountControlBytes) {
  const RunBreak& b = GetParam();
  std::string bytes = "a";
  for (size_t shift = 0; shift < 16; ++shift) bytes += std::string(shift, 'b') + "\x01" + "汉字字" + b.bytes + "\x02字";
  size_t controls = reference_utf8(bytes).controls;
  ASSERT_GT(controls * 20, bytes.size());
  try {
    decode(bytes);
    FAIL() << b.name;
  } catch (const InputError& e) {
    EXPECT_EQ(e.code(), "binary") << e.what();
    EXPECT_NE(std::string(e.what()).find("(" + std::to_string(controls) + " control bytes)"), std::string::npos) << e.what();
  }
}

// Pieces cut (at 1 MiB) anywhere in and around a break give what the whole gives.
TEST_P(DecodeBlocks, PiecesGiveWhatTheWholeGives) {
  const RunBreak& b = GetParam();
  std::string filler;
  while (filler.size() < (size_t(1) << 20)) filler += "汉字汉字汉字汉字数123，";
  for (size_t back = 0; back <= 13; ++back) {
    std::string bytes = "\xEF\xBB\xBF" + filler.substr(0, (size_t(1) << 20) - back) + "字字" + b.bytes + "汉字字字字字汉字字字字字";
    size_t size = 0;
    auto d = chunked(bytes, size);
    Decoded whole = decode(bytes);
    ASSERT_TRUE(d) << b.name << " " << back;
    EXPECT_TRUE(d->text == whole.text) << b.name << " " << back;
    EXPECT_EQ(d->invalid, whole.invalid) << b.name << " " << back;
  }
}

INSTANTIATE_TEST_SUITE_P(Breaks, DecodeBlocks, testing::ValuesIn(kRunBreaks),
                         [](const testing::TestParamInfo<RunBreak>& info) { return std::string(info.param.name); });

// Damaged UTF-8 stays UTF-8 while its well-formed multibyte characters (counted in
// blocks) are at least twice its bad sequences: 20 characters bear 10, not 11.
TEST(DecodeBlocks, CountMultibyteCharacters) {
  std::string good;
  for (size_t k = 0; k < 20; ++k) good += k % 7 == 3 ? "ab汉" : "字";
  auto damaged = [&](size_t bad) {
    std::string s = good;
    for (size_t k = 0; k < bad; ++k) s += k % 2 ? "\xFF" : "x\xFF";
    return s;
  };
  EXPECT_EQ(decode(damaged(10)).encoding, "UTF-8");
  try {
    EXPECT_NE(decode(damaged(11)).encoding, "UTF-8");
  } catch (const InputError&) {
  }
}

}  // namespace

}  // namespace digestx::test
