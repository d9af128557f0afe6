#include "digestx/output.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "digestx/pipeline.hpp"
#include "digestx/utf.hpp"
#include "out_buffer.hpp"

namespace digestx {

namespace {

// What each byte of a JSON string's UTF-8 becomes: 0 for itself; for the ASCII that must
// be escaped (control characters, DEL, '"' and '\\'), the letter after the backslash
// ('u' for \u00XX); kMultibyte for the first byte of a longer character, checked apart.
// One look-up a byte: four comparisons a byte (19 instructions with the copy) were most
// of writing a fact's kind, aspect and unit (count, amount, 万元; 12 M per 2 MB of text).
constexpr char kMultibyte = 1;
constexpr std::array<char, 256> json_byte_table() {
  std::array<char, 256> t{};
  for (unsigned c = 0; c < 0x20; ++c) t[c] = 'u';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['"'] = '"';
  t['\\'] = '\\';
  t[0x7F] = 'u';
  for (unsigned c = 0x80; c < 0x100; ++c) t[c] = kMultibyte;
  return t;
}
constexpr std::array<char, 256> kJsonByte = json_byte_table();

// Whether an ASCII character must be escaped inside a JSON string.
inline bool needs_escape(unsigned c) { return c < 0x80 && kJsonByte[c] != 0; }

// Writes the escape of such a character at `o` (at most 6 bytes); returns the end.
char* write_escape(char* o, unsigned c) {
  o[0] = '\\';
  o[1] = kJsonByte[c];
  if (o[1] != 'u') return o + 2;
  static const char hex[] = "0123456789abcdef";
  o[2] = '0';
  o[3] = '0';
  o[4] = hex[(c >> 4) & 0xF];
  o[5] = hex[c & 0xF];
  return o + 6;
}

// One code point of source text as escaped UTF-8 at `o` (at most 6 bytes); returns
// the end. A lone surrogate, or no code point at all, is U+FFFD.
[[gnu::always_inline]] inline char* put_json_char(char* o, char32_t c) {
  // CJK first, as in put_utf8_at: an ASCII test before it cost a branch per character
  // of every text (1.5 M instructions per 2 MB).
  if (c >= 0x800 && c < 0xD800) return put_utf8_at(o, c);
  if (c < 0x80 && needs_escape(c)) return write_escape(o, c);
  return put_utf8_at(o, c);
}

// A JSON string of source text, straight from code points to escaped UTF-8 through a
// small buffer: the hot path of the output (paragraph and sentence texts).
class TextWriter {
 public:
  // `flush`, when given, takes the output whenever it passes kFlushBytes, even in the
  // middle of the string (a paragraph can be a whole file on one line).
  explicit TextWriter(std::string& out, const Flush* flush = nullptr) : buf_(out), flush_(flush) { buf_.put('"'); }
  ~TextWriter() { buf_.put('"'); }
  void add(std::u32string_view s) {
    size_t i = 0;
    while (i < s.size()) {
      // Room for the whole stretch at the worst (6 bytes: \u001f) checked once.
      if (buf_.pending() + 64 > buf_.capacity) spill();
      size_t end = std::min(s.size(), i + (buf_.capacity - buf_.pending()) / 6);
      char* o = buf_.room((end - i) * 6);  // fits: no spill here
      for (; i < end; ++i) o = put_json_char(o, s[i]);
      buf_.commit(o);
    }
  }

 private:
  // The buffer goes to the output; `flush`, when given, takes the output whenever it
  // passes kFlushBytes.
  void spill() {
    buf_.spill();
    std::string& out = buf_.out();
    if (flush_ && *flush_ && out.size() >= kFlushBytes) (*flush_)(out);
  }
  OutBuffer<4096> buf_;
  const Flush* flush_;
};

// A paragraph's text as escaped JSON, kept while its sentences are written: a
// sentence's text is a stretch of it, copied instead of encoded a second time. Each
// character of a digest is written twice, in its paragraph and in its sentence
// (去年，…17.4万余条。今年，…): encoding both was 28 M instructions per 2 MB of text,
// the copies save 7 M of it.
class EscapedParagraph {
 public:
  // Encodes the source text of `pieces`; false, with nothing kept, past kMaxChars (a
  // whole file on one line is written as it comes, never held).
  bool encode(std::u32string_view source, const Pieces& pieces) {
    source_ = source;
    parts_.clear();
    size_t chars = 0;
    for (const Span& p : pieces)
      if (p.end <= source.size()) parts_.push_back({p, chars}), chars += p.size();
    if (chars > kMaxChars) parts_.clear();
    if (parts_.empty()) return false;
    if (bytes_.size() < chars * 6) bytes_.resize(chars * 6);  // never shrunk: no filling again
    if (starts_.size() < chars + 1) starts_.resize(chars + 1);
    char* const begin = &bytes_[0];
    char* o = begin;
    size_t k = 0;
    for (const Part& part : parts_)
      for (char32_t c : source.substr(part.span.start, part.span.size())) {
        starts_[k++] = uint32_t(o - begin);
        o = put_json_char(o, c);
      }
    starts_[k] = uint32_t(o - begin);
    size_ = starts_[k];
    return true;
  }
  // The escaped text of the whole paragraph.
  std::string_view text() const { return {bytes_.data(), size_}; }
  // The escaped text of `piece` of `source`, when it lies inside one piece of the
  // paragraph last encoded.
  std::optional<std::string_view> of(std::u32string_view source, Span piece) const {
    if (source.data() != source_.data()) return std::nullopt;
    for (const Part& part : parts_)
      if (part.span.start <= piece.start && piece.end <= part.span.end) {
        uint32_t from = starts_[part.first_char + piece.start - part.span.start];
        uint32_t to = starts_[part.first_char + piece.end - part.span.start];
        return std::string_view(bytes_.data() + from, to - from);
      }
    return std::nullopt;
  }

 private:
  static constexpr size_t kMaxChars = size_t(1) << 16;
  struct Part {
    Span span;
    size_t first_char;  // of the paragraph
  };
  std::u32string_view source_;
  std::vector<Part> parts_;      // the paragraph's pieces inside the source
  std::string bytes_;            // their escaped text
  std::vector<uint32_t> starts_;  // where each character's escape starts in bytes_, then the end
  size_t size_ = 0;               // of the escaped text in bytes_
};

// A small streaming JSON writer: objects and arrays, pretty or compact. Small values
// gather in a buffer that goes to the output in one append when full, before source
// text (written by TextWriter straight to the output) and at the end: a document is
// hundreds of thousands of small values.
class Json {
 public:
  Json(std::string& out, bool pretty, const Flush* flush = nullptr) : buf_(out), out_(out), pretty_(pretty), flush_(flush) {}
  Json(const Json&) = delete;
  Json& operator=(const Json&) = delete;

  // An HTML page's document: its spans are written in the page's characters, and a
  // fact's text as the page has it (12</b>亿元), so the page's slice gives it back.
  void on_page(const PageMap& page) { page_ = page.empty() ? nullptr : &page; }

  // The depth of a unit in a document's "units" (the document's object, the array).
  static constexpr int kUnitDepth = 2;
  // Starts a writer inside a document's "units", before unit `index` (write_unit_ahead).
  void in_units_before(size_t index) {
    depth_ = kUnitDepth;
    first_ = index == 0;
  }
  // A unit written ahead by write_unit_ahead, its separator included.
  void unit_written_ahead(std::string_view json) {
    if (depth_ != kUnitDepth || after_key_) throw std::logic_error("a unit written ahead out of its place");
    put(json);
    first_ = false;
  }
  // The source text of one span: the page's, on a page.
  void source_text(std::u32string_view source, Span span) {
    if (page_) text(page_->page, page_->to_page(span));
    else text(source, span);
  }

  // Hands a full buffer on; called between values, so any cut is harmless.
  void maybe_flush() {
    if (!flush_ || !*flush_ || out_.size() + buf_.pending() < kFlushBytes) return;
    spill();
    (*flush_)(out_);
  }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  // Keys are the contract's names: plain ASCII, no escaping needed; literals, whose
  // length is known at compile time (no strlen for each of a document's hundreds of
  // thousands of keys).
  // Inline, the key's bytes copied by a move of known size: a call per key, with a copy
  // of unknown length, was a quarter of writing a fact.
  // A key stands in an object, first or after a value, never after a key: its comma
  // is the only question. (The separator's three, and a call per key ("kind", "unit",
  // twelve a fact), were 7 M instructions per 2 MB.)
  template <size_t N>
  [[gnu::always_inline]] Json& key(const char (&k)[N]) {
    constexpr size_t n = N - 1;
    if (pretty_ || n + 8 > 64) return key(std::string_view(k, n));
    char* o = room(n + 4);
    *o = ',';
    o += !first_;
    first_ = false;
    *o++ = '"';
    std::memcpy(o, k, n);
    o += n;
    *o++ = '"';
    *o++ = ':';
    buf_.commit(o);
    after_key_ = true;
    return *this;
  }
  Json& key(std::string_view k) {
    size_t n = k.size();
    if (pretty_ || n + 8 > 64) {
      separator();
      json_string(k);
      put(pretty_ ? ": " : ":");
    } else {
      // Compact output, the usual case: the comma, the key and its colon at once.
      char* o = room(n + 4);
      if (after_key_) after_key_ = false;
      else if (depth_ > 0 && !first_) *o++ = ',';
      if (depth_ > 0) first_ = false;
      *o++ = '"';
      if (n) std::memcpy(o, k.data(), n);  // an empty view may hold no pointer: UB for memcpy
      o += n;
      *o++ = '"';
      *o++ = ':';
      buf_.commit(o);
    }
    after_key_ = true;
    return *this;
  }
  void string(std::string_view s) {
    separator();
    json_string(s);
  }
  // The source text of pieces (or one span) as a JSON string.
  void text(std::u32string_view source, const Pieces& pieces) {
    size_t chars = 0;
    for (const Span& p : pieces)
      if (p.end <= source.size()) chars += p.size();
    text_parts(chars, [&](auto&& put) {
      for (const Span& p : pieces)
        if (p.end <= source.size()) put(source.substr(p.start, p.size()));
    });
  }
  // A paragraph's text, kept for its sentences' (sentence_text).
  void paragraph_text(std::u32string_view source, const Pieces& pieces) {
    if (!paragraph_.encode(source, pieces)) return text(source, pieces);
    separator();
    std::string_view text = paragraph_.text();
    escaped(&text, 1);
  }
  // A sentence's text, copied from its paragraph's when it lies there.
  void sentence_text(std::u32string_view source, const Pieces& pieces) {
    std::string_view stretches[kSentenceStretches];
    size_t count = 0;
    for (const Span& p : pieces) {
      if (p.end > source.size() || p.empty()) continue;
      auto stretch = count < kSentenceStretches ? paragraph_.of(source, p) : std::nullopt;
      if (!stretch) return text(source, pieces);
      stretches[count++] = *stretch;
    }
    separator();
    escaped(stretches, count);
  }
  // A fact's subject: written from its two spans, not made into Pieces (an allocation
  // per fact).
  void text(std::u32string_view source, const ShortPieces& pieces) {
    size_t chars = 0;
    for (const Span& p : {pieces.first, pieces.second})
      if (!p.empty() && p.end <= source.size()) chars += p.size();
    text_parts(chars, [&](auto&& put) {
      for (const Span& p : {pieces.first, pieces.second})
        if (!p.empty() && p.end <= source.size()) put(source.substr(p.start, p.size()));
    });
  }
  void text(std::u32string_view source, Span span) {
    bool inside = span.end <= source.size() && span.start < span.end;
    text_parts(inside ? span.size() : 0, [&](auto&& put) {
      if (inside) put(source.substr(span.start, span.size()));
    });
  }
  void null() {
    separator();
    put("null");
  }
  void boolean(bool b) {
    separator();
    put(b ? "true" : "false");
  }
  void integer(long long v) {
    separator();
    char* o = room(24);
    buf_.commit(std::to_chars(o, o + 24, v).ptr);
  }
  void number(const Decimal& d) {
    separator();
    put(d.str());
  }
  void raw(std::string_view json) {
    separator();
    put(json);
  }
  void span(Span s) {
    if (page_) s = page_->to_page(s);
    separator();
    char* p = room(48);
    *p++ = '[';
    p = std::to_chars(p, p + 20, s.start).ptr;
    *p++ = ',';
    if (pretty_) *p++ = ' ';
    p = std::to_chars(p, p + 20, s.end).ptr;
    *p++ = ']';
    buf_.commit(p);
  }
  void spans(const Pieces& pieces) {
    begin_array();
    for (const Span& s : pieces) span(s);
    end_array();
  }
  void optional_string(std::string_view s) {
    if (s.empty()) null();
    else string(s);
  }
  // "key": "value", or "key": null when the value is empty (a rule name, a unit…).
  template <size_t N>
  void optional_field(const char (&k)[N], std::string_view s) {
    key(k);
    optional_string(s);
  }
  template <class List>
  void strings(const List& list) {
    begin_array();
    for (const auto& s : list) string(s);
    end_array();
  }

 private:
  // Source text of `chars` characters in all as a JSON string; for_each(put) calls
  // put(part) for each of its parts. A short one (a fact's text, its subject) goes
  // straight into the buffer; a long one through TextWriter, which hands a full output
  // on. Through TextWriter, each text was two appends to the output.
  static constexpr size_t kShortText = 256;
  template <class ForEach>
  void text_parts(size_t chars, const ForEach& for_each) {
    separator();
    if (chars <= kShortText) {
      char* o = room(chars * 6 + 2);
      *o++ = '"';
      for_each([&](std::u32string_view part) {
        for (char32_t c : part) o = put_json_char(o, c);
      });
      *o++ = '"';
      buf_.commit(o);
      return;
    }
    spill();
    TextWriter w(out_, flush_);
    for_each([&](std::u32string_view part) { w.add(part); });
  }
  void spill() { buf_.spill(); }
  // Text already escaped, in `count` stretches, between quotes.
  void escaped(const std::string_view* stretches, size_t count) {
    put('"');
    for (size_t k = 0; k < count; ++k) put(stretches[k]);
    put('"');
  }
  char* room(size_t k) { return buf_.room(k); }
  void put(char c) { buf_.put(c); }
  void put(std::string_view s) { buf_.append(s); }
  void json_string(std::string_view s) {
    if (s.size() > buf_.capacity / 16 || !plain_json_string(s)) checked_json_string(s);
  }
  // ASCII (a kind, an aspect, a period's name) and three-byte characters (a unit, an
  // organisation, a name), the usual case: valid UTF-8 as they are, escaped while
  // copied. False, with nothing written, at any other byte. (Non-ASCII went through
  // is_valid_utf8 and a second copy: 230 instructions a string.)
  bool plain_json_string(std::string_view s) {
    char* o = room(s.size() * 6 + 2);
    *o++ = '"';
    const auto* u = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = u + s.size();
    while (u < end) {
      char e = kJsonByte[*u];
      if (e == 0) {
        *o++ = char(*u++);
      } else if (e != kMultibyte) {
        o = write_escape(o, *u++);
      } else if (end - u >= 3 && is_plain_three_byte(u)) {
        std::memcpy(o, u, 3);
        o += 3;
        u += 3;
      } else {
        return false;
      }
    }
    *o++ = '"';
    buf_.commit(o);
    return true;
  }
  // Any string: a file name's stray 0xFF becomes U+FFFD (JSON is UTF-8). Out of line,
  // so that the usual case pays nothing for the std::string it may need.
  [[gnu::noinline]] void checked_json_string(std::string_view s) {
    std::string fixed;
    if (!is_valid_utf8(s)) s = fixed = valid_utf8(s);
    if (s.size() > buf_.capacity / 16) {  // long: escaped straight into the output
      spill();
      append_json_string(out_, s);
      return;
    }
    char* o = room(s.size() * 6 + 2);
    *o++ = '"';
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      if (needs_escape(c)) o = write_escape(o, c);
      else *o++ = ch;
    }
    *o++ = '"';
    buf_.commit(o);
  }
  void open(char c) {
    separator();
    put(c);
    ++depth_;
    first_ = true;
  }
  void close(char c) {
    --depth_;
    if (!first_ && pretty_) newline();
    put(c);
    first_ = false;
  }
  void separator() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ == 0) return;
    if (!first_) put(',');
    if (pretty_) newline();
    first_ = false;
  }
  void newline() {
    put('\n');
    for (int i = 0; i < depth_; ++i) put("  ");
  }
  OutBuffer<8192> buf_;  // small values on their way to out_
  std::string& out_;
  bool pretty_;
  const Flush* flush_ = nullptr;
  int depth_ = 0;
  bool first_ = true;
  bool after_key_ = false;
  const PageMap* page_ = nullptr;
  static constexpr size_t kSentenceStretches = 8;
  EscapedParagraph paragraph_;  // the last paragraph's text, for its sentences
};

void source_fields(Json& j, const SourceInfo& s) {
  j.begin_object();
  j.key("path").string(s.path);
  j.optional_field("encoding", s.encoding);
  j.key("bytes").integer((long long)s.bytes);
  j.key("bom").boolean(s.bom);
  if (!s.markup.empty()) j.key("markup").string(s.markup);
}

void write_fact(Json& j, std::u32string_view text, const Fact& f, const OutputOptions& o) {
  j.begin_object();
  j.key("text").source_text(text, f.span);
  j.key("span").span(f.span);
  j.key("kind").string(f.kind);
  j.key("value");
  if (f.value) j.number(*f.value);
  else j.null();
  j.optional_field("unit", f.unit);
  j.optional_field("qualifier", f.qualifier);
  j.key("range");
  if (f.range) {
    j.begin_array();
    j.number(f.range->first);
    j.number(f.range->second);
    j.end_array();
  } else {
    j.null();
  }
  j.key("subject");
  if (f.subject.empty()) j.null();
  else j.text(text, f.subject);
  j.optional_field("aspect", f.aspect);
  if (!f.status.empty()) j.key("status").string(f.status);
  j.key("period");
  if (const char* p = period_name(f.period)) j.string(p);
  else j.null();
  j.key("year");
  if (f.year) j.integer(*f.year);
  else j.null();
  if (f.joined) j.key("joined").boolean(true);
  if (!f.part_of.empty()) j.key("part_of").span(f.part_of);
  if (o.explain) {
    static const FactRules none;
    const FactRules& r = f.rules ? *f.rules : none;
    j.key("rule").begin_object();
    j.optional_field("kind", r.kind);
    j.key("numeral").strings(r.numeral);
    j.optional_field("unit", r.unit);
    j.optional_field("qualifier", r.qualifier);
    j.optional_field("subject", r.subject);
    j.optional_field("aspect", r.aspect);
    if (!r.status.empty()) j.key("status").string(r.status);
    j.optional_field("pattern", r.pattern);
    j.optional_field("period", r.period);
    j.optional_field("part", r.part);
    j.end_object();
  }
  j.end_object();
}

// --explain: the numerals not taken as facts, each with the rule that refused it.
void write_refused(Json& j, std::u32string_view text, const std::vector<Refusal>& refused) {
  j.key("refused").begin_array();
  for (const Refusal& r : refused) {
    j.begin_object();
    j.key("text").source_text(text, r.span);
    j.key("span").span(r.span);
    j.key("rule").string(r.rule);
    j.end_object();
  }
  j.end_array();
}

void write_facts(Json& j, const Document& doc, const std::vector<Fact>& facts, const OutputOptions& o) {
  j.begin_array();
  for (const Fact& f : facts) {
    write_fact(j, doc.text, f, o);
    j.maybe_flush();
  }
  j.end_array();
}

void write_paragraphs(Json& j, const Document& doc, const std::vector<Paragraph>& paragraphs, const OutputOptions& o) {
  j.begin_array();
  for (const Paragraph& p : paragraphs) {
    j.maybe_flush();
    j.begin_object();
    j.key("text").paragraph_text(doc.text, p.pieces);
    j.key("spans").spans(p.pieces);
    j.key("sentences").begin_array();
    for (const Sentence& s : p.sentences) {
      j.maybe_flush();  // one paragraph can be a whole file on one line
      j.begin_object();
      j.key("text").sentence_text(doc.text, s.pieces);
      j.key("span").span(covering(s.pieces));
      if (s.pieces.size() > 1) j.key("spans").spans(s.pieces);
      j.key("period");
      if (const char* name = period_name(s.period)) j.string(name);
      else j.null();
      j.key("year");
      if (doc.report_year && s.period != Period::none)
        j.integer(*doc.report_year + (s.period == Period::this_year ? doc.plan_year_offset : 0));
      else
        j.null();
      if (o.explain) {
        j.optional_field("period_rule", s.period_rule);
        j.key("period_marked").boolean(s.period_marked);
      }
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
}

std::string paragraphs_text(const Document& doc, const std::vector<Paragraph>& paragraphs) {
  std::string out;
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    if (i) out += '\n';
    out += slice(doc.text, paragraphs[i].pieces);
  }
  return out;
}

Span paragraphs_span(const std::vector<Paragraph>& paragraphs) {
  if (paragraphs.empty()) return {};
  return {covering(paragraphs.front().pieces).start, covering(paragraphs.back().pieces).end};
}

void optional_pieces(Json& j, const Document& doc, const Pieces& p) {
  if (p.empty()) j.null();
  else j.text(doc.text, p);
}

void optional_unit_field(Json& j, const Document& doc, Span s) {
  if (s.empty()) j.null();
  else j.string(field_slice(doc.text, s));
}

}  // namespace

std::string slice(std::u32string_view text, Span span) {
  std::string out;
  if (span.end > text.size() || span.start >= span.end) return out;
  out.reserve(span.size() * 3);
  for (uint32_t i = span.start; i < span.end; ++i) append_utf8(out, text[i]);
  return out;
}

std::string field_slice(std::u32string_view text, Span span) {
  std::string out;
  if (span.end > text.size() || span.start >= span.end) return out;
  bool line_start = false;
  for (uint32_t i = span.start; i < span.end; ++i) {
    if (is_line_break(text[i])) line_start = true;
    else if (!(line_start && is_space(text[i]))) line_start = false, append_utf8(out, text[i]);
  }
  return out;
}

std::string slice(std::u32string_view text, const Pieces& pieces) {
  std::string out;
  for (const Span& s : pieces) out += slice(text, s);
  return out;
}

void append_json_string(std::string& out, std::string_view s) {
  std::string fixed;
  if (!is_valid_utf8(s)) s = fixed = valid_utf8(s);
  out += '"';
  size_t run = 0;  // start of the stretch that needs no escaping, appended in one go
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!needs_escape(c)) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    char buf[8];
    out.append(buf, size_t(write_escape(buf, c) - buf));
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

std::string region_of(const Document& doc) {
  if (!doc.region_given.empty()) return doc.region_given;
  return doc.region.empty() ? std::string() : slice(doc.text, doc.region);
}

// --explain: the rules behind the document's fields, and the page furniture left out.
void write_document_rules(Json& j, const Document& doc) {
  j.key("rules").begin_object();
  j.optional_field("title", doc.title_rule);
  j.optional_field("subtitle", doc.subtitle_rule);
  j.optional_field("region", doc.region_rule);
  j.optional_field("report_year", doc.year_rule);
  j.optional_field("genre", doc.genre_rule);
  j.optional_field("periods", doc.periods_rule);
  j.end_object();
  j.key("furniture").begin_array();
  for (const Document::Furniture& f : doc.furniture) {
    j.begin_object();
    j.key("text").text(doc.text, f.span);  // the line as read: 首页 > 新闻中心, its links left out
    j.key("span").span(f.span);
    j.key("rule").string(f.rule);
    j.end_object();
  }
  j.end_array();
}

// Title, subtitle, region, report year, periods and genre.
void write_front(Json& j, const Document& doc) {
  j.key("title");
  if (doc.title.empty()) {
    j.null();
  } else {
    std::string title;
    for (size_t i = 0; i < doc.title.size(); ++i) {
      if (std::find(doc.title_breaks.begin(), doc.title_breaks.end(), i) != doc.title_breaks.end()) title += ' ';
      title += slice(doc.text, doc.title[i]);
    }
    j.string(title);
  }
  j.key("subtitle");
  optional_pieces(j, doc, doc.subtitle);
  j.optional_field("region", region_of(doc));
  j.key("report_year");
  if (doc.report_year) j.integer(*doc.report_year);
  else j.null();
  j.key("periods").begin_object();
  j.key("last_year");
  if (doc.report_year) j.integer(*doc.report_year);
  else j.null();
  j.key("this_year");
  if (doc.report_year) j.integer(*doc.report_year + doc.plan_year_offset);
  else j.null();
  j.end_object();
  j.key("genre").string(doc.genre);
}

void write_sidebar(Json& j, const Document& doc, const Sidebar& sb, const OutputOptions& o) {
  j.begin_object();
  j.key("label");
  optional_unit_field(j, doc, sb.label);
  j.key("text").string(paragraphs_text(doc, sb.paragraphs));
  j.key("span").span(paragraphs_span(sb.paragraphs));
  if (o.explain) j.key("rule").string(sb.rule);
  j.key("paragraphs");
  write_paragraphs(j, doc, sb.paragraphs, o);
  j.key("facts");
  write_facts(j, doc, sb.facts, o);
  if (o.explain) write_refused(j, doc.text, sb.refused);
  j.end_object();
}

void write_unit(Json& j, const Document& doc, const Unit& u, size_t index, const OutputOptions& o) {
  j.begin_object();
  j.key("index").integer((long long)index);
  j.key("heading");
  optional_pieces(j, doc, u.heading);
  j.key("span");
  if (u.heading.empty()) j.null();
  else j.span(covering(u.heading));
  j.key("organization");
  optional_unit_field(j, doc, u.organization);
  j.key("role");
  optional_unit_field(j, doc, u.role);
  j.key("name");
  optional_unit_field(j, doc, u.name);
  j.key("headline");
  optional_pieces(j, doc, u.headline);
  if (o.explain) j.key("rules").strings(u.rules);
  j.key("paragraphs");
  write_paragraphs(j, doc, u.paragraphs, o);
  j.key("facts");
  write_facts(j, doc, u.facts, o);
  if (o.explain) write_refused(j, doc.text, u.refused);
  j.end_object();
}

void write_unit_ahead(std::string& out, const Document& doc, const Unit& unit, size_t index, const OutputOptions& o) {
  Json j(out, o.pretty);
  j.on_page(doc.page);
  j.in_units_before(index);
  write_unit(j, doc, unit, index, o);
}

void write_warnings(Json& j, const std::vector<Warning>& warnings) {
  j.key("warnings").begin_array();
  for (const Warning& w : warnings) {
    j.begin_object();
    j.key("code").string(w.code);
    j.key("message").string(w.message);
    j.key("span");
    if (w.has_span) j.span(w.span);
    else j.null();
    if (!w.spans.empty()) {
      j.key("spans").begin_array();
      for (Span sp : w.spans) j.span(sp);
      j.end_array();
    }
    j.end_object();
  }
  j.end_array();
}

void write_document(std::string& out, const Document& doc, const OutputOptions& o, const Flush& flush,
                    const UnitStream* units) {
  Json j(out, o.pretty, &flush);
  j.on_page(doc.page);
  j.begin_object();
  if (!doc.id.empty()) j.key("id").raw(doc.id);
  j.key("format").string("digestx/1");
  j.key("digestx").begin_object();
  j.key("version").string(DIGESTX_VERSION);
  j.key("rules").string(doc.rules_fingerprint);
  j.end_object();
  j.key("source");
  source_fields(j, doc.source);
  j.key("chars").integer((long long)doc.page.source(doc.text).size());
  j.end_object();
  write_front(j, doc);
  if (o.explain) write_document_rules(j, doc);
  j.key("sidebars").begin_array();
  for (const Sidebar& sb : doc.sidebars) write_sidebar(j, doc, sb, o);
  j.end_array();
  j.key("units").begin_array();
  for (size_t i = 0; i < unit_count(doc, units); ++i) {
    if (units) units->before(i);
    const std::string* ahead = written_at(units, i);
    if (ahead) j.unit_written_ahead(*ahead);
    else write_unit(j, doc, unit_at(doc, units, i), i, o);
    if (units) units->after(i);
    j.maybe_flush();
  }
  j.end_array();
  if (units) units->finish();
  write_warnings(j, doc.warnings);
  j.end_object();
}

void write_line(std::string& out, const LineAnalysis& line, const OutputOptions& o) {
  Json j(out, o.pretty);
  j.begin_object();
  j.key("numbers").begin_array();
  for (const Numeral& n : line.numerals) {
    j.begin_object();
    j.key("text").text(line.text, Span{n.begin, n.end});
    j.key("span").span({n.begin, n.end});
    j.key("value").number(n.value);
    if (n.low && n.high) {
      j.key("range").begin_array();
      j.number(*n.low);
      j.number(*n.high);
      j.end_array();
    }
    if (o.explain) j.key("rule").strings(n.rules);
    j.end_object();
  }
  j.end_array();
  j.key("facts").begin_array();
  for (const Fact& f : line.facts) write_fact(j, line.text, f, o);
  j.end_array();
  if (o.explain) write_refused(j, line.text, line.refused);
  j.end_object();
}

void write_error(std::string& out, const SourceInfo& source, const std::string& code, const std::string& message,
                 const OutputOptions& o, const std::string& id) {
  Json j(out, o.pretty);
  j.begin_object();
  if (!id.empty()) j.key("id").raw(id);
  j.key("format").string("digestx/1");
  j.key("source");
  source_fields(j, source);
  j.end_object();
  j.key("error").begin_object();
  j.key("code").string(code);
  j.key("message").string(message);
  j.end_object();
  j.end_object();
}

}  // namespace digestx
