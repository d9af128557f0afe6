#pragma once
// The writers' small output buffer and the UTF-8 encoding of one code point, shared by
// the JSON writer (output.cpp) and the CSV writer (output_csv.cpp).
//
// Why a buffer: a document is hundreds of thousands of small values (keys, figures,
// spans, cells); an append to the output string for each was a quarter of writing a
// fact (JSON) and a third of writing a fact's row (CSV). Values gather in a fixed array
// that goes to the output in one append when full and when the writer is done.

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace digestx {

// One code point as UTF-8 at `o` (at most 4 bytes); returns the end. A lone surrogate,
// or no code point at all, is U+FFFD (as append_utf8). CJK, nearly all of a digest's
// text, is tested first.
[[gnu::always_inline]] inline char* put_utf8_at(char* o, char32_t c) {
  if (c >= 0x800 && c < 0xD800) {
    o[0] = char(0xE0 | (c >> 12));
    o[1] = char(0x80 | ((c >> 6) & 0x3F));
    o[2] = char(0x80 | (c & 0x3F));
    return o + 3;
  }
  if (c < 0x80) {
    *o = char(c);
    return o + 1;
  }
  if (c < 0x800) {
    o[0] = char(0xC0 | (c >> 6));
    o[1] = char(0x80 | (c & 0x3F));
    return o + 2;
  }
  if (c >= 0x10000 && c < 0x110000) {
    o[0] = char(0xF0 | (c >> 18));
    o[1] = char(0x80 | ((c >> 12) & 0x3F));
    o[2] = char(0x80 | ((c >> 6) & 0x3F));
    o[3] = char(0x80 | (c & 0x3F));
    return o + 4;
  }
  if (c < 0x10000 && (c < 0xD800 || c > 0xDFFF)) {  // U+E000..U+FFFF
    o[0] = char(0xE0 | (c >> 12));
    o[1] = char(0x80 | ((c >> 6) & 0x3F));
    o[2] = char(0x80 | (c & 0x3F));
    return o + 3;
  }
  o[0] = char(0xEF);  // U+FFFD
  o[1] = char(0xBF);
  o[2] = char(0xBD);
  return o + 3;
}

// Bytes gathered in a fixed array of N bytes on their way to `out`. A writer asks for
// room(k) (k well under N), writes at most k bytes there and says where it stopped
// with commit(end); put() and append() do both for a byte and a string.
template <size_t N>
class OutBuffer {
 public:
  explicit OutBuffer(std::string& out) : out_(out) {}
  ~OutBuffer() { spill(); }
  OutBuffer(const OutBuffer&) = delete;
  OutBuffer& operator=(const OutBuffer&) = delete;

  static constexpr size_t capacity = N;

  // Room for `k` more bytes at the end of the buffer (the buffer emptied first when
  // they would not fit).
  char* room(size_t k) {
    if (n_ + k > N) spill();
    return buf_ + n_;
  }
  // The bytes written from room() end at `end`.
  void commit(char* end) { n_ = size_t(end - buf_); }
  void put(char c) { *room(1) = c, ++n_; }
  // A string: a long one goes straight to the output, after what is buffered.
  void append(std::string_view s) {
    if (s.size() > N / 4) {
      spill();
      out_ += s;
      return;
    }
    // An empty view may hold no pointer: memcpy from it is undefined (UBSan reported a
    // CSV row's empty cell), so nothing is copied then.
    if (s.empty()) return;
    std::memcpy(room(s.size()), s.data(), s.size());
    n_ += s.size();
  }
  // What is buffered goes to the output.
  void spill() {
    out_.append(buf_, n_);
    n_ = 0;
  }
  // Bytes buffered, not yet in the output.
  size_t pending() const { return n_; }
  std::string& out() { return out_; }

 private:
  std::string& out_;
  char buf_[N];
  size_t n_ = 0;
};

}  // namespace digestx
