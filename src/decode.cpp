#include "digestx/decode.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>  // x86-64's baseline: no -march flag, no dispatch
#endif

#include "digestx/utf.hpp"
#include "huge_pages.hpp"

namespace digestx {

namespace {

constexpr size_t kMaxListedInvalid = 20;  // warnings that name a byte offset

// Decoded text and where it was damaged (UTF-8, and UTF-16/32 read by hand).
struct Utf8Result {
  std::u32string text;
  size_t invalid = 0;     // undecodable sequences
  size_t multibyte = 0;   // well-formed non-ASCII sequences
  size_t controls = 0;    // control bytes other than line ends, tab, form feed, escape
  std::vector<std::pair<size_t, size_t>> bad;  // (byte offset, code point index), first few
};

// One pass: validates and decodes; each maximal invalid subpart becomes U+FFFD.
// Notes an undecodable sequence at byte offset `byte`, code point `cp` of the text (the
// first few are listed with their offsets).
void note_invalid(Utf8Result& r, size_t byte, size_t cp) {
  if (r.bad.size() < kMaxListedInvalid) r.bad.emplace_back(byte, cp);
  ++r.invalid;
}

bool is_control_byte(unsigned char c) {
  return c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B;
}

// Bytes 10xxxxxx, 32 at a time with SSE2 (else eight): a byte continues a sequence
// where its top bit is set and the next one is not.
size_t continuation_bytes(std::string_view s) {
  size_t count = 0, i = 0;
#if defined(__SSE2__)
  // 0x80..0xBF are the bytes below 0xC0 as signed bytes (-128..-65). Each lane tallies
  // its own (a match is -1, subtracted), two a round, summed by psadbw before 127
  // rounds can overflow a lane: 13 instructions for 32 bytes where the words took 44
  // (bench slice, 2 MB: 2.75 M -> 0.82 M).
  const __m128i below = _mm_set1_epi8(char(0xC0));
  auto at = [&](size_t k) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + k)); };
  while (s.size() - i >= 32) {
    size_t rounds = std::min<size_t>((s.size() - i) / 32, 127);
    __m128i tally = _mm_setzero_si128();
    for (size_t k = 0; k < rounds; ++k, i += 32) {
      tally = _mm_sub_epi8(tally, _mm_cmplt_epi8(at(i), below));
      tally = _mm_sub_epi8(tally, _mm_cmplt_epi8(at(i + 16), below));
    }
    __m128i sums = _mm_sad_epu8(tally, _mm_setzero_si128());  // two halves, 2,032 at most each
    count += size_t(_mm_cvtsi128_si32(sums)) + size_t(_mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    uint64_t ones = (w & ~(w << 1) & 0x8080808080808080ull) >> 7;  // 1 in each such byte
    count += size_t((ones * 0x0101010101010101ull) >> 56);           // their sum, at most 8
  }
  for (; i < s.size(); ++i) count += (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
  return count;
}

// The multibyte sequence at p[i] (a lead byte of 0x80 or more): its code point and
// length when well-formed; else the bytes one U+FFFD stands for (the lead and the
// continuation bytes that fit it, or the lone byte).
struct Sequence {
  char32_t c = 0;
  size_t bytes = 1;
  bool ok = false;
};

inline Sequence read_multibyte(const unsigned char* p, size_t i, size_t n) {
  unsigned char b = p[i];
  size_t len = 0;
  char32_t c = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
    c = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    c = b & 0x0F;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    c = b & 0x07;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  }
  if (len == 0) return {};
  size_t k = 1;
  for (; k < len && i + k < n; ++k) {
    unsigned char cb = p[i + k];
    if (cb < lo || cb > hi) break;
    lo = 0x80;
    hi = 0xBF;
    c = (c << 6) | (cb & 0x3F);
  }
  return {c, k, k == len};
}

#if defined(__SSE2__)
// How many of the four three-byte sequences p[0..12) would hold are plain, in a row
// from the first (is_plain_three_byte: leads E1..EC and EE..EF); their code points go
// to out[0..4), and garbage after them, for the caller to write over: a run (11
// characters on average in the bench slice) ends in one block, without a byte-wise
// tail. Reads p[0..16). 34 instructions for four characters, loop included, where the
// byte-wise loop took 26 for each: decode_utf8_piece on the bench slice (620,000 such
// characters in 55,000 runs) 21.8 M -> 10.9 M instructions.
inline size_t plain_three_byte_block(const unsigned char* p, char32_t* out) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Every byte's range at once: low <= x <= low + width exactly where x - low is at
  // most width, unsigned; leads at 0, 3, 6 and 9, continuation bytes between them.
  const __m128i low = _mm_setr_epi8(char(0xE1), char(0x80), char(0x80), char(0xE1), char(0x80), char(0x80),
                                    char(0xE1), char(0x80), char(0x80), char(0xE1), char(0x80), char(0x80), 0, 0, 0, 0);
  const __m128i width = _mm_setr_epi8(0x0E, 0x3F, 0x3F, 0x0E, 0x3F, 0x3F, 0x0E, 0x3F, 0x3F, 0x0E, 0x3F, 0x3F, 0, 0, 0, 0);
  __m128i d = _mm_sub_epi8(x, low);
  __m128i fits = _mm_cmpeq_epi8(_mm_min_epu8(d, width), d);
  // ED (its continuation bytes reach the surrogates) is out of range for a
  // continuation byte already: one test for all places.
  fits = _mm_andnot_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(char(0xED))), fits);
  unsigned bad = ~unsigned(_mm_movemask_epi8(fits)) & 0xFFF;
  // Lane j gets bytes 3j..3j+2 (lead lowest): the quadwords of bytes 0..7 and 6..13
  // begin with characters 0 and 2, and shifted down three bytes, with 1 and 3; their
  // low lanes taken in turn (SSE2 has no byte shuffle).
  __m128i z = _mm_unpacklo_epi64(x, _mm_srli_si128(x, 6));
  __m128i t = _mm_srli_epi64(z, 24);
  __m128 even_odd = _mm_shuffle_ps(_mm_castsi128_ps(z), _mm_castsi128_ps(t), _MM_SHUFFLE(2, 0, 2, 0));
  __m128i v = _mm_shuffle_epi32(_mm_castps_si128(even_odd), _MM_SHUFFLE(3, 1, 2, 0));
  // (lead & 0x0F) << 12 | (last & 0x3F) as one multiply-add of the lane's two words,
  // then (middle & 0x3F) << 6.
  __m128i ends = _mm_madd_epi16(_mm_and_si128(v, _mm_set1_epi32(0x003F000F)), _mm_set1_epi32(0x00011000));
  __m128i middle = _mm_srli_epi32(_mm_and_si128(v, _mm_set1_epi32(0x3F00)), 2);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_or_si128(ends, middle));
  // The first bad byte's place over 3, as (place * 11) >> 5 for places 0..11: an
  // imul and a shift where the division by 3 took four instructions.
  return bad == 0 ? 4 : (unsigned(__builtin_ctz(bad)) * 11) >> 5;
}
#endif

// Decodes `s` into r.text from code point `m` on (r.text sized beforehand, grown if
// stray continuation bytes need more room); `base` is the byte offset of s[0] in the
// input, for the warnings. `s` must end where no sequence is cut (see piece_end):
// pieces decoded one after the other then give what the whole would give.
void decode_utf8_piece(Utf8Result& r, size_t& m_io, std::string_view s, size_t base) {
  std::u32string& text = r.text;
  // Counters in locals, not in `r`: a store through a size_t& would make the compiler
  // reload the string's size after every character.
  char32_t* out = &text[0];
  size_t m = m_io, room = text.size(), controls = 0, multibyte = 0;
  auto put = [&](char32_t c) {
    if (m == room) {
      text.resize(room + room / 8 + 16);
      out = &text[0];
      room = text.size();
    }
    out[m++] = c;
  };
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  while (i < n) {
    // ASCII run fast path; control bytes are counted here, where every byte below
    // 0x80 passes (they tell a binary file).
    for (; i < n && p[i] < 0x80; ++i) {
      unsigned char c = p[i];
      if (c < 0x20) controls += is_control_byte(c);  // one test for the printable bytes
      put(c);
    }
    if (i >= n) break;
    // The common case, well-formed three-byte characters (all of CJK) one after the
    // other: leads E1..EC and EE..EF take any continuation bytes. A block that stops
    // short has found where the run ends; the byte-wise loops take the end of the
    // piece and of the room.
    bool stopped = false;
#if defined(__SSE2__)
    // Straight into a block: a test of the lead first (a two-byte character, an E0, ED
    // or F0 lead would take a block's 30 instructions to say no) cost more than it saved
    // on the bench slice, whose runs of CJK are many and its other characters few
    // (decode_utf8_piece 10.9 M -> 11.2 M instructions).
    size_t from = m;
    while (!stopped && i + 16 <= n && m + 4 <= room) {
      size_t k = plain_three_byte_block(p + i, out + m);
      i += 3 * k;
      m += k;
      stopped = k < 4;
    }
    multibyte += m - from;
#endif
    auto cjk_at = [p](size_t k) { return is_plain_three_byte(p + k); };
    auto cjk_value = [p](size_t k) {
      return char32_t(p[k] & 0x0F) << 12 | char32_t(p[k + 1] & 0x3F) << 6 | char32_t(p[k + 2] & 0x3F);
    };
    if (stopped) {
      // The block found where the run ends.
    } else if (m + (n - i) / 3 <= room) {  // the usual case (text sized beforehand): no room test a character
      size_t first = m;
      for (; i + 2 < n && cjk_at(i); i += 3) out[m++] = cjk_value(i);
      multibyte += m - first;
    } else {
      for (; i + 2 < n && cjk_at(i); i += 3, ++multibyte) put(cjk_value(i));
    }
    if (i >= n || p[i] < 0x80) continue;
    Sequence seq = read_multibyte(p, i, n);
    if (seq.ok) {
      put(seq.c);
      ++multibyte;
    } else {
      note_invalid(r, base + i, m);
      put(0xFFFD);
    }
    i += seq.bytes;
  }
  r.controls += controls;
  r.multibyte += multibyte;
  m_io = m;
}

// The text cut to the `m` code points written.
void finish_utf8(Utf8Result& r, size_t m) {
  r.text.resize(m);
  if (r.text.capacity() > m + m / 4 + 64) r.text.shrink_to_fit();  // after many stray bytes
}

Utf8Result decode_utf8(std::string_view s) {
  Utf8Result r;
  // One code point per byte that does not continue a sequence, written straight into
  // place; only stray continuation bytes (each a U+FFFD) can need more room.
  r.text.resize(s.size() - continuation_bytes(s) + 16);
  size_t m = 0;
  decode_utf8_piece(r, m, s, 0);
  finish_utf8(r, m);
  return r;
}

// Where the bytes p[0..n) read so far (more follow) may be cut for decode_utf8_piece:
// before the last byte among the last three that continues no sequence (a lead or
// ASCII), so that no sequence begun before the cut reaches past it; when all three
// continue one, a lead before them has its bytes within p[0..n) (four at most).
size_t piece_end(const unsigned char* p, size_t n) {
  for (size_t back = 1; back <= 3 && back <= n; ++back)
    if ((p[n - back] & 0xC0) != 0x80) return n - back;
  return n;
}

std::u32string utf16_to_utf32(const char16_t* s, size_t n) {
  std::u32string out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    char16_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      out.push_back(0x10000 + ((char32_t(c) - 0xD800) << 10) + (char32_t(s[i + 1]) - 0xDC00));
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      out.push_back(0xFFFD);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

struct IcuResult {
  std::u32string text;
  size_t invalid = 0;
  std::vector<std::pair<size_t, size_t>> bad;
  bool ok = false;  // converter exists
};

// Converts with ICU; undecodable bytes become U+FFFD and their byte offsets are kept.
IcuResult decode_icu(std::string_view bytes, const char* encoding) {
  IcuResult r;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open(encoding, &status), &ucnv_close);
  if (U_FAILURE(status)) return r;
  r.ok = true;
  const UChar sub[] = {0xFFFD};
  ucnv_setSubstString(conv.get(), sub, 1, &status);
  status = U_ZERO_ERROR;
  std::u16string u16(bytes.size() + 16, u'\0');
  std::vector<int32_t> offsets(u16.size());
  const char* src = bytes.data();
  const char* src_end = bytes.data() + bytes.size();
  UChar* dst = reinterpret_cast<UChar*>(&u16[0]);
  UChar* dst_begin = dst;
  UChar* dst_end = dst + u16.size();
  ucnv_toUnicode(conv.get(), &dst, dst_end, &src, src_end, offsets.data(), true, &status);
  if (U_FAILURE(status)) {
    r.ok = false;
    return r;
  }
  size_t units = size_t(dst - dst_begin);
  // Record replaced positions in code-point terms.
  size_t cp = 0;
  for (size_t i = 0; i < units; ++i) {
    char16_t c = u16[i];
    if (c == 0xFFFD) {
      ++r.invalid;
      if (r.bad.size() < kMaxListedInvalid) r.bad.emplace_back(size_t(std::max(offsets[i], 0)), cp);
    }
    if (!(c >= 0xDC00 && c <= 0xDFFF && i > 0 && u16[i - 1] >= 0xD800 && u16[i - 1] <= 0xDBFF)) ++cp;
  }
  r.text = utf16_to_utf32(u16.data(), units);
  return r;
}

// UTF-16 and UTF-32 bytes -> code points. A lone surrogate, a code point beyond
// U+10FFFF or a cut-off last unit becomes U+FFFD, noted with its byte offset as bad
// UTF-8 is, so that a damaged file says where it is damaged.
Utf8Result decode_utf16(std::string_view b, bool little) {
  Utf8Result r;
  size_t units = b.size() / 2;
  r.text.reserve(units + 1);
  auto unit = [&](size_t k) {
    auto lo = static_cast<unsigned char>(b[2 * k]), hi = static_cast<unsigned char>(b[2 * k + 1]);
    return little ? char16_t(lo | (hi << 8)) : char16_t(hi | (lo << 8));
  };
  auto replace = [&](size_t byte) {
    note_invalid(r, byte, r.text.size());
    r.text.push_back(0xFFFD);
  };
  for (size_t k = 0; k < units; ++k) {
    char16_t c = unit(k);
    if (c >= 0xD800 && c <= 0xDBFF && k + 1 < units && unit(k + 1) >= 0xDC00 && unit(k + 1) <= 0xDFFF) {
      r.text.push_back(0x10000 + ((char32_t(c) - 0xD800) << 10) + (char32_t(unit(k + 1)) - 0xDC00));
      ++k;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      replace(2 * k);
    } else {
      r.text.push_back(c);
    }
  }
  if (b.size() % 2 != 0) replace(b.size() - 1);
  return r;
}

Utf8Result decode_utf32(std::string_view b, bool little) {
  Utf8Result r;
  r.text.reserve(b.size() / 4 + 1);
  for (size_t i = 0; i + 3 < b.size(); i += 4) {
    auto at = [&](size_t k) { return char32_t(static_cast<unsigned char>(b[i + k])); };
    char32_t c = little ? at(0) | at(1) << 8 | at(2) << 16 | at(3) << 24 : at(3) | at(2) << 8 | at(1) << 16 | at(0) << 24;
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
      note_invalid(r, i, r.text.size());
      c = 0xFFFD;
    }
    r.text.push_back(c);
  }
  if (b.size() % 4 != 0) {
    note_invalid(r, b.size() - b.size() % 4, r.text.size());
    r.text.push_back(0xFFFD);
  }
  return r;
}

// Share of code points that look like text: Han, CJK punctuation, printable ASCII,
// whitespace. Used to tell UTF-16 without a BOM and binary files apart.
double texty_share(const std::u32string& t) {
  if (t.empty()) return 0;
  size_t good = 0;
  for (char32_t c : t) {
    if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\r' || c == '\t' || is_han(c) || (c >= 0x3000 && c <= 0x303F) ||
        (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x2000 && c <= 0x206F) || (c >= 0x00A0 && c <= 0x024F))
      ++good;
  }
  return double(good) / double(t.size());
}

void warn_invalid(Decoded& d, size_t invalid, const std::vector<std::pair<size_t, size_t>>& bad, size_t bom_bytes) {
  d.invalid += invalid;
  if (invalid == 0) return;
  for (const auto& [byte, cp] : bad) {
    Warning w;
    w.code = "invalid_bytes";
    w.message = "undecodable byte(s) at byte offset " + std::to_string(byte + bom_bytes) + " replaced with U+FFFD";
    w.has_span = true;
    w.span = {uint32_t(cp), uint32_t(cp + 1)};
    d.warnings.push_back(std::move(w));
  }
  if (invalid > bad.size()) {
    Warning w;
    w.code = "invalid_bytes";
    w.message = std::to_string(invalid) + " undecodable byte sequences in all were replaced with U+FFFD";
    d.warnings.push_back(std::move(w));
  }
}

constexpr size_t kDetectBytes = 64 * 1024;  // the head of a file that tells its encoding

bool is_chinese_multibyte(std::string_view name) { return name == "GB18030" || name == "Big5"; }

// GB18030 text read as Big5 breaks on several characters in a hundred (GB2312 uses
// byte pairs that Big5 leaves unassigned: ICU's Big5, windows-950, gives U+FFFD,
// U+001A or a private-use character for them), while Big5 text, even with some
// damage, reads as Big5: such text needs no detector, which costs more than the rest
// of the pipeline on a small file. Only the head is tried, as for the detector.
bool clearly_not_big5(std::string_view head) {
  IcuResult big5 = decode_icu(head, "Big5");
  if (!big5.ok) return false;
  size_t wide = 0, unassigned = 0;
  for (char32_t c : big5.text) {
    wide += c >= 0x80;
    unassigned += c == 0xFFFD || c == 0x1A || (c >= 0xE000 && c <= 0xF8FF);
  }
  return wide >= 50 && unassigned * 50 >= wide;  // 2% of the non-ASCII characters
}

std::string detect_with_icu(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> det(ucsdet_open(&status), &ucsdet_close);
  if (U_FAILURE(status)) return {};
  // The head of the file is enough to tell; the detector is slow on megabytes.
  size_t len = std::min<size_t>(bytes.size(), kDetectBytes);
  ucsdet_setText(det.get(), bytes.data(), int32_t(len), &status);
  int32_t found = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(det.get(), &found, &status);
  if (U_FAILURE(status)) return {};
  for (int32_t i = 0; i < found; ++i) {
    const char* name = ucsdet_getName(matches[i], &status);
    if (U_FAILURE(status) || !name) continue;
    std::string n = name;
    // Chinese digests: take the first Chinese multibyte charset it proposes.
    if (is_chinese_multibyte(n)) return n;
  }
  return {};
}

Decoded from_icu(std::string_view bytes, const std::string& encoding, size_t bom_bytes) {
  IcuResult r = decode_icu(bytes, encoding.c_str());
  if (!r.ok) throw InputError("unknown_encoding", "unknown encoding '" + encoding + "'");
  Decoded d;
  d.text = std::move(r.text);
  d.encoding = encoding;
  warn_invalid(d, r.invalid, r.bad, bom_bytes);
  return d;
}

bool starts_with(std::string_view b, const char* prefix, size_t n) { return b.size() >= n && std::memcmp(b.data(), prefix, n) == 0; }

std::string upper(std::string s) {
  for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Decoded with_bom(std::string_view bytes) {
  Decoded d;
  d.bom = true;
  size_t bom_bytes = 2;
  Utf8Result r;
  if (starts_with(bytes, "\xEF\xBB\xBF", 3)) {
    bom_bytes = 3;
    r = decode_utf8(bytes.substr(3));
    d.encoding = "UTF-8";
  } else if (starts_with(bytes, "\xFF\xFE\x00\x00", 4)) {
    bom_bytes = 4;
    r = decode_utf32(bytes.substr(4), true);
    d.encoding = "UTF-32LE";
  } else if (starts_with(bytes, "\x00\x00\xFE\xFF", 4)) {
    bom_bytes = 4;
    r = decode_utf32(bytes.substr(4), false);
    d.encoding = "UTF-32BE";
  } else if (starts_with(bytes, "\xFF\xFE", 2)) {
    r = decode_utf16(bytes.substr(2), true);
    d.encoding = "UTF-16LE";
  } else {
    r = decode_utf16(bytes.substr(2), false);
    d.encoding = "UTF-16BE";
  }
  d.text = std::move(r.text);
  warn_invalid(d, r.invalid, r.bad, bom_bytes);
  return d;
}

bool has_bom(std::string_view b) {
  return starts_with(b, "\xEF\xBB\xBF", 3) || starts_with(b, "\xFF\xFE", 2) || starts_with(b, "\xFE\xFF", 2) ||
         starts_with(b, "\x00\x00\xFE\xFF", 4);
}

// A forced encoding still meets binary detection: control characters other than line
// breaks and tabs in more than one character in twenty tell a binary file.
void require_not_binary(const Decoded& d) {
  size_t controls = 0;
  for (char32_t c : d.text) controls += (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') || c == 0x7F;
  if (controls * 20 > d.text.size())
    throw InputError("binary", "looks like a binary file, not text (" + std::to_string(controls) + " control characters)");
}

// Whether the text holds anything but white space and line breaks.
bool holds_text(const std::u32string& text) {
  return !std::all_of(text.begin(), text.end(), [](char32_t c) { return is_space(c) || is_line_break(c); });
}

void require_text(const Decoded& d) {
  if (d.text.empty()) throw InputError("empty", d.bom ? "holds only a byte order mark" : "is empty");
  if (!holds_text(d.text)) throw InputError("empty", "holds only white space");
}

// A file of another kind saved (or renamed) as .txt, told by its first bytes: what it
// is and what to do, rather than a count of control bytes.
struct Signature {
  std::string_view magic;
  size_t at;
  const char* what;
};

const char* other_format(std::string_view b) {
  static const Signature signatures[] = {
      {"%PDF-", 0, "a PDF file: save its text as a .txt file (pdftotext, or Save As text)"},
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 0, "an old Word, WPS or Excel file (OLE2): save it as text"},
      {"{\\rtf", 0, "an RTF file: save it as text"},
      {"\x89PNG", 0, "a PNG image: the text must first be recognised (OCR)"},
      {"\xFF\xD8\xFF", 0, "a JPEG image: the text must first be recognised (OCR)"},
      {"GIF8", 0, "a GIF image: the text must first be recognised (OCR)"},
      {std::string_view("II*\0", 4), 0, "a TIFF image: the text must first be recognised (OCR)"},
      {std::string_view("MM\0*", 4), 0, "a TIFF image: the text must first be recognised (OCR)"},
      {"WEBP", 8, "a WebP image: the text must first be recognised (OCR)"},
      {"\x1F\x8B", 0, "a gzip-compressed file: uncompress it first (gunzip)"},
      {"7z\xBC\xAF\x27\x1C", 0, "a 7-Zip archive: extract its files first"},
      {"Rar!\x1A\x07", 0, "a RAR archive: extract its files first"},
      {"\x7F" "ELF", 0, "an executable program, not text"},
  };
  for (const Signature& s : signatures)
    if (b.size() >= s.at + s.magic.size() && b.substr(s.at, s.magic.size()) == s.magic) return s.what;
  if (b.substr(0, 4) != std::string_view("PK\x03\x04", 4)) return nullptr;
  // ZIP: Office Open XML and OpenDocument files name their parts near the start.
  std::string_view head = b.substr(0, 4096);
  if (head.find("word/") != std::string_view::npos) return "a Word (ZIP) file: save it as text";
  if (head.find("xl/") != std::string_view::npos) return "an Excel (ZIP) file: save it as text";
  if (head.find("ppt/") != std::string_view::npos) return "a PowerPoint (ZIP) file: save its text as a .txt file";
  if (head.find("opendocument") != std::string_view::npos) return "an OpenDocument (ZIP) file: save it as text";
  return "a ZIP archive: extract its files first";
}

constexpr size_t kChunkBytes = size_t(1) << 20;  // read at a time by decode_chunked

// Reads into `buf` from byte `offset` until it is full or the input ends; how many.
size_t read_full(const ReadAt& read_at, std::string& buf, size_t from, size_t offset) {
  size_t got = from;
  while (got < buf.size()) {
    size_t n = read_at(&buf[got], buf.size() - got, offset + got - from);
    if (n == 0) break;
    got += n;
  }
  return got;
}

// Code points the UTF-8 bytes from `offset` on start (bytes that continue no sequence).
size_t count_starts(const ReadAt& read_at, std::string& buf, size_t offset) {
  size_t starts = 0;
  for (;;) {
    size_t n = read_full(read_at, buf, 0, offset);
    if (n == 0) return starts;
    starts += n - continuation_bytes(std::string_view(buf.data(), n));
    offset += n;
  }
}

// The UTF-8 bytes from `offset` on, decoded a piece at a time (each cut by piece_end);
// stops at the first undecodable sequence when `stop_at_invalid`. `end` is where the
// bytes ended; the warnings' byte offsets count from `offset`, as decode_utf8's do.
Utf8Result decode_utf8_chunked(const ReadAt& read_at, size_t offset, bool stop_at_invalid, size_t& end) {
  std::string buf(kChunkBytes, '\0');
  Utf8Result r;
  // The text is 4 bytes a character, written end to end (big.txt's 20 MB: 28 MB of
  // text, 7,800 page faults of a run's 13,700).
  size_t room = count_starts(read_at, buf, offset) + 16;
  r.text.reserve(room);
  advise_huge_pages(r.text.data(), room * sizeof(char32_t));
  r.text.resize(room);
  size_t m = 0, carry = 0, start = offset;
  for (;;) {
    size_t n = read_full(read_at, buf, carry, offset + carry);
    const auto* p = reinterpret_cast<const unsigned char*>(buf.data());
    size_t cut = n == carry ? n : piece_end(p, n);  // nothing more read: the rest is the last piece
    decode_utf8_piece(r, m, std::string_view(buf.data(), cut), offset - start);  // as decode_utf8 counts
    offset += cut;
    if (n == carry || (stop_at_invalid && r.invalid > 0)) break;
    carry = n - cut;
    std::memmove(&buf[0], buf.data() + cut, carry);
  }
  end = offset;
  finish_utf8(r, m);
  return r;
}

}  // namespace

Decoded decode(std::string_view bytes, const DecodeOptions& options) {
  if (bytes.empty()) throw InputError("empty", "is empty");
  if (const char* what = other_format(bytes)) throw InputError("binary", std::string("is ") + what);
  std::string forced = upper(options.encoding);
  if (!forced.empty() && forced != "AUTO") {
    size_t bom = 0;
    if ((forced == "UTF-8" || forced == "UTF8") && starts_with(bytes, "\xEF\xBB\xBF", 3)) bom = 3;
    Decoded d = from_icu(bytes.substr(bom), options.encoding, bom);
    d.bom = bom > 0;
    if (!d.text.empty() && d.text[0] == 0xFEFF) {
      d.text.erase(0, 1);
      d.bom = true;
      // The warnings' spans index the text: they move back with it.
      for (Warning& w : d.warnings)
        if (w.has_span) w.span = {w.span.start - 1, w.span.end - 1};
    }
    require_not_binary(d);
    require_text(d);
    return d;
  }
  if (has_bom(bytes)) {
    Decoded d = with_bom(bytes);
    require_text(d);
    return d;
  }
  Utf8Result u = decode_utf8(bytes);
  size_t controls = u.controls;
  if (u.invalid == 0 && controls * 100 <= bytes.size()) {
    Decoded d;
    d.text = std::move(u.text);
    d.encoding = "UTF-8";
    require_text(d);
    return d;
  }
  size_t nuls = size_t(std::count(bytes.begin(), bytes.end(), '\0'));
  if (nuls > 0) {
    // UTF-16 without a BOM: NULs sit on one parity (the high bytes of ASCII). An odd
    // length is a cut-off last unit, replaced and reported like any damage.
    size_t odd = 0;
    for (size_t i = 1; i < bytes.size(); i += 2) odd += bytes[i] == '\0';
    bool little = odd * 2 >= nuls;
    Utf8Result t = decode_utf16(bytes, little);
    if (texty_share(t.text) > 0.95) {
      Decoded d;
      d.text = std::move(t.text);
      d.encoding = little ? "UTF-16LE" : "UTF-16BE";
      d.warnings.push_back({"utf16_without_bom", "no byte order mark; read as " + d.encoding, false, {}});
      warn_invalid(d, t.invalid, t.bad, 0);
      require_text(d);
      return d;
    }
  }
  if (controls * 20 > bytes.size() || nuls * 100 > bytes.size()) {
    throw InputError("binary", "looks like a binary file, not text (" + std::to_string(controls) + " control bytes)");
  }
  // Mostly valid UTF-8 with a few bad bytes: keep UTF-8 and mark the damage. GB18030 text
  // forms a valid UTF-8 sequence for about one character in ten, far below this bar.
  if (u.multibyte > 0 && u.invalid * 2 <= u.multibyte) {
    Decoded d;
    d.text = std::move(u.text);
    d.encoding = "UTF-8";
    warn_invalid(d, u.invalid, u.bad, 0);
    require_text(d);
    return d;
  }
  std::string guess = clearly_not_big5(bytes.substr(0, kDetectBytes)) ? "GB18030" : detect_with_icu(bytes);
  if (guess.empty()) guess = "GB18030";
  Decoded d = from_icu(bytes, guess, 0);
  size_t invalid = 0;
  for (char32_t c : d.text) invalid += c == 0xFFFD;
  if (invalid * 20 > d.text.size() || texty_share(d.text) < 0.8) {
    throw InputError("undecodable", "cannot be decoded as UTF-8, GB18030 or another known Chinese encoding");
  }
  require_text(d);
  return d;
}

// Clean UTF-8 (or UTF-8 after its BOM, damage and all) as decode() takes it, read
// twice (the code points counted, then decoded into a text of that size): a 200 MB
// file held its 200 MB of bytes beside its 298 MiB of text while decoded.
std::optional<Decoded> decode_chunked(const ReadAt& read_at, const DecodeOptions& options, size_t& bytes) {
  std::string forced = upper(options.encoding);
  if (!forced.empty() && forced != "AUTO") return std::nullopt;
  std::string head(kDetectBytes, '\0');
  head.resize(read_full(read_at, head, 0, 0));
  if (head.empty() || other_format(head)) return std::nullopt;
  bool bom = starts_with(head, "\xEF\xBB\xBF", 3);
  if (!bom && has_bom(head)) return std::nullopt;
  std::string().swap(head);
  Utf8Result u = decode_utf8_chunked(read_at, bom ? 3 : 0, !bom, bytes);
  if (!holds_text(u.text)) return std::nullopt;  // decode() says which error
  Decoded d;
  d.text = std::move(u.text);
  d.encoding = "UTF-8";
  d.bom = bom;
  if (bom) warn_invalid(d, u.invalid, u.bad, 3);
  else if (u.invalid > 0 || u.controls * 100 > bytes) return std::nullopt;
  return d;
}

Decoded decode_owned(std::string&& bytes, const DecodeOptions& options) {
  Decoded d = decode(bytes, options);
  std::string().swap(bytes);
  return d;
}

}  // namespace digestx
