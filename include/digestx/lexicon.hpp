// The rules' word lists: words (already folded to the matching view) mapped to an
// integer payload, with longest-match lookups at a position, without allocating.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace digestx {

// A Lexicon's tables as flat arrays, which lookups read in place. Each part lies at an
// offset into arrays that may hold several lexicons' tables one after another: a
// Lexicon built at run time (--rules) holds arrays of its own, laid out again after
// each change; the built-in rules' lexicons read the arrays written into the binary at
// build time (src/gen/lexicon_table_gen.cpp): building them at every start was 4.4 M of
// the 9.9 M instructions of a run on a one-line file.
namespace lexicon_layout {

// Up to this many words of a bucket are compared in turn, longest first; a bigger
// bucket (set phrases, many starting with 一) is probed in the index by its words'
// distinct lengths instead, so that a lookup does not walk the whole bucket.
constexpr uint32_t kSortedMax = 32;

// Where a character goes in a side's table and filter (see Side).
inline uint64_t char_hash(char32_t c) { return uint64_t(c) * 0x9E3779B97F4A7C15ull; }

struct Word {
  uint32_t at, len;  // its characters: chars[at, at + len) of its lexicon
  int32_t value;
};

// The words that start (end) with the character c, in a slot of its side's table. Up to
// kSortedMax words: list holds their indices, longest first; past that, their distinct
// lengths, longest first. A slot without words is empty.
struct Bucket {
  char32_t c;
  uint32_t word_count;
  uint32_t list_at, list_count;  // into lists
};

// One side (first or last characters): an open-addressing table of buckets, a power of
// two of slots at most half full, and a hashed bit filter of eight bits a slot (most
// positions of a text hold no word's first or last character).
struct Side {
  uint32_t slots_at;   // into buckets; 1 << (64 - slot_shift) slots
  uint32_t filter_at;  // into filters; 1 << (64 - filter_shift) bits
  uint32_t slot_shift, filter_shift;
};

// One lexicon's tables: where each part starts in the arrays, and its size. Offsets
// inside a part (a word's characters, a bucket's list, an index entry, a side's table)
// count from the start of the part, so that the tables copy as they are.
struct Image {
  uint32_t chars_at, chars_count;
  uint32_t words_at, word_count;
  uint32_t index_at, index_size;  // 1 + word index, 0 for an empty slot; a power of two, at most half full
  uint32_t lists_at, lists_count;
  uint32_t buckets_at, buckets_count;
  uint32_t filters_at, filters_count;
  uint32_t max_len;
  Side first, last;
};

// Where the arrays are: in the binary, or in Arrays.
struct Pool {
  const char32_t* chars;
  const Word* words;
  const uint32_t* index;
  const uint32_t* lists;
  const Bucket* buckets;
  const uint64_t* filters;
};

struct Arrays {
  std::vector<char32_t> chars;
  std::vector<Word> words;
  std::vector<uint32_t> index, lists;
  std::vector<Bucket> buckets;
  std::vector<uint64_t> filters;
  Pool pool() const { return {chars.data(), words.data(), index.data(), lists.data(), buckets.data(), filters.data()}; }
  // Copies the tables of `image` (in `from`) after the ones held, and says where they are.
  Image append(const Pool& from, const Image& image);
};

}  // namespace lexicon_layout

class LexiconSequence;

// Where each character stands in the words of a list: bit k of places(c) is set when some
// word holds c as its (k+1)-th character, bit 63 when as its 64th or a later one. A lookup
// for the words that cover a position need then try only the starts that put its
// character at one of its places: a set phrase around a figure's first character (一站式,
// 三年行动, 十五分钟生活圈) was looked up at each of the 7 starts before it, 6 of them for
// nothing on a figure such as 39.6万元, whose 3 no phrase holds.
class CharPlaces {
 public:
  CharPlaces() = default;
  // Room for words of `chars` characters in all, added one by one.
  explicit CharPlaces(size_t chars);
  void add(std::u32string_view word);
  uint64_t places(char32_t c) const {
    if (slots_.empty()) return 0;
    for (size_t s = size_t(hash(c)) & mask_;; s = (s + 1) & mask_) {
      if (slots_[s].places == 0) return 0;
      if (slots_[s].c == c) return slots_[s].places;
    }
  }
  // Whether `places` (of a character) holds place k.
  static bool at(uint64_t places, size_t k) { return (places >> (k < 63 ? k : 63)) & 1; }
  // The first place from k on that `places` holds, or kNone: a loop over the places
  // skips the others at once.
  static constexpr size_t kNone = SIZE_MAX;
  static size_t next(uint64_t places, size_t k) {
    if (k >= 63) return places >> 63 ? k : kNone;
    uint64_t rest = places & (~uint64_t(0) << k);
    return rest ? size_t(__builtin_ctzll(rest)) : kNone;
  }

 private:
  struct Slot {
    char32_t c = 0;
    uint64_t places = 0;  // 0: an empty slot
  };
  static uint64_t hash(char32_t c) { return (uint64_t(c) * 0x9E3779B97F4A7C15ull) >> 40; }
  std::vector<Slot> slots_;  // open addressing, a power of two of slots, more than the characters
  size_t mask_ = 0;
};

class Lexicon {
 public:
  struct Match {
    uint32_t len = 0;  // characters of the text covered (skipped spaces included)
    int value = -1;
    explicit operator bool() const { return len > 0; }
  };
  Lexicon() = default;
  Lexicon(const Lexicon& other);
  Lexicon(Lexicon&& other) noexcept;
  Lexicon& operator=(Lexicon other) noexcept;
  ~Lexicon();
  // Each change lays the tables out again: a list is added at once.
  void add(std::u32string_view word, int value);
  void add(const char32_t* word, int value) { add(std::u32string_view(word), value); }
  void add(const std::vector<std::u32string>& words, int value);
  // Adds the words of `other` that it does not hold yet, with the payload `value`.
  void merge(const Lexicon& other, int value);
  // The same, each word's value its value in `other` plus `offset`.
  void merge_offset(const Lexicon& other, int offset);
  // False when the rules loading on this thread take this lexicon from the tables
  // written at build time (see LexiconSequence): its words need not even be read.
  bool wants_words();
  // Inline fast paths: most positions hold no word's first (last) character.
  Match longest_at(std::u32string_view text, size_t pos) const {
    if (pos >= text.size() || !may_hold(view_.first, text[pos])) return {};
    return longest_at_slow(text, pos);
  }
  // The longest word occupying [end - len, end).
  Match longest_ending_at(std::u32string_view text, size_t end) const {
    if (end == 0 || end > text.size() || !may_hold(view_.last, text[end - 1])) return {};
    return longest_ending_at_slow(text, end);
  }
  // The same, with white space in the text allowed inside the word ("百 分 之"), at
  // most `max_gap` spaces in all; the word must start (end) with a non-space.
  // Inline fast paths as above: the qualifiers' lists are looked up on each side of
  // every figure (qualifiers_around), most of them ending with no character there.
  Match longest_at_spaced(std::u32string_view text, size_t pos, size_t max_gap) const {
    if (pos >= text.size() || !may_hold(view_.first, text[pos])) return {};
    return longest_at_spaced_slow(text, pos, max_gap);
  }
  Match longest_ending_at_spaced(std::u32string_view text, size_t end, size_t max_gap) const {
    if (end == 0 || end > text.size() || !may_hold(view_.last, text[end - 1])) return {};
    return longest_ending_at_spaced_slow(text, end, max_gap);
  }
  // False when no word starts (ends) with c: one bit of a filter, so that a caller with
  // more to do before a lookup (a memo, spaces to skip) can leave at once.
  bool may_start_with(char32_t c) const { return may_hold(view_.first, c); }
  bool may_end_with(char32_t c) const { return may_hold(view_.last, c); }
  bool contains(std::u32string_view word) const { return find(word) >= 0; }
  // Whether one of the words stands wholly inside [from, to) of the text: a cue in the
  // clause before a figure (人均纯收入达23977元), a word that is no name (述职).
  bool occurs_within(std::u32string_view text, size_t from, size_t to) const {
    if (empty()) return false;
    for (size_t p = from; p < to; ++p)
      if (Match m = longest_at(text, p); m && p + m.len <= to) return true;
    return false;
  }
  bool empty() const { return view_.word_count == 0; }
  size_t max_len() const { return view_.max_len; }
  // The characters that words start with, and those they end with (in no order).
  std::vector<char32_t> first_chars() const;
  std::vector<char32_t> last_chars() const;
  // The k-th of its words, in no order (valid while the lexicon is not changed).
  size_t word_count() const { return view_.word_count; }
  std::u32string_view word(size_t k) const { return text_of(view_.words[k]); }
  // Where the characters stand in the words (see CharPlaces): built on first use, by
  // whichever thread asks first, so that a run that never asks pays nothing.
  const CharPlaces& char_places() const;
  // Whether the tables are read where they were written at build time (not copied).
  bool in_place() const { return !own_ && !empty(); }
  // Copies the tables after the ones `into` holds, and says where they are.
  lexicon_layout::Image append_to(lexicon_layout::Arrays& into) const;

 private:
  friend class LexiconSequence;
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  struct SideView {
    const uint64_t* bits = kNoBits;
    uint32_t filter_shift = 58;  // one 64-bit word of zeros: no character
    uint32_t slot_shift = 64;
    size_t mask = 0;  // slots - 1
    const lexicon_layout::Bucket* slots = nullptr;
  };
  struct View {
    const char32_t* chars = nullptr;
    const lexicon_layout::Word* words = nullptr;
    size_t word_count = 0;
    const uint32_t* index = nullptr;
    size_t index_size = 0;
    const uint32_t* lists = nullptr;
    SideView first, last;
    size_t max_len = 0;
  };
  static const uint64_t kNoBits[1];
  // False when no word has c there (the filter); true is checked in the table.
  static bool may_hold(const SideView& side, char32_t c) {
    uint64_t bit = lexicon_layout::char_hash(c) >> side.filter_shift;
    return (side.bits[bit >> 6] >> (bit & 63)) & 1;
  }
  // The bucket of c, or nullptr; may_hold(side, c) is true. Inline: it is on the hot
  // path of every lookup that passes the filter.
  static const lexicon_layout::Bucket* bucket(const SideView& side, char32_t c) {
    for (size_t s = size_t(lexicon_layout::char_hash(c) >> side.slot_shift);; s = (s + 1) & side.mask) {
      const lexicon_layout::Bucket& b = side.slots[s];
      if (b.word_count == 0) return nullptr;
      if (b.c == c) return &b;
    }
  }
  static View view_of(const lexicon_layout::Pool& pool, const lexicon_layout::Image& image);
  int64_t find(std::u32string_view word) const;  // the word's index, or -1
  std::u32string_view text_of(const lexicon_layout::Word& w) const { return {view_.chars + w.at, w.len}; }
  Match longest_at_slow(std::u32string_view text, size_t pos) const;
  Match longest_ending_at_slow(std::u32string_view text, size_t end) const;
  Match longest_at_spaced_slow(std::u32string_view text, size_t pos, size_t max_gap) const;
  Match longest_ending_at_spaced_slow(std::u32string_view text, size_t end, size_t max_gap) const;
  Match longest_at_in(std::u32string_view text, size_t pos, const lexicon_layout::Bucket& b) const;
  Match longest_ending_at_in(std::u32string_view text, size_t end, const lexicon_layout::Bucket& b) const;
  Match probe_spaced(const lexicon_layout::Bucket& b, std::u32string_view chars, const std::vector<size_t>& at,
                     size_t from, bool forward, Match exact) const;
  // Building: begin_change says whether a change is made here (see wants_words), and
  // makes the tables the lexicon's own; put files a word, or gives it its new value;
  // end_change lays the sides out again.
  bool begin_change();
  void put(std::u32string_view word, int value);
  void end_change();
  void attach(const lexicon_layout::Pool& pool, const lexicon_layout::Image& image);
  std::unique_ptr<lexicon_layout::Arrays> own_;  // the tables of a lexicon built at run time
  lexicon_layout::Image image_{};
  View view_;
  uint32_t sequence_ = 0;    // the LexiconSequence it has its place in (0: none)
  uint32_t slot_ = kNoSlot;  // its place there
  // char_places() once built (owned); dropped on each change of the words.
  mutable std::atomic<const CharPlaces*> places_{nullptr};
  // The pre-tests of the slow lookups (a WordStarts and a WordEnds of the words), built
  // on first use like char_places: many positions that pass the one-character filter
  // hold no word (the nouns 政务服务 and 目标任务 end in 务, the 务 of 义务 ends none), and
  // two characters refuse them before the bucket's words are compared (64% of the lookups
  // at a start and 35% of those at an end on the 2 MB slice).
  struct PairTests;
  mutable std::atomic<const PairTests*> pairs_{nullptr};
  const PairTests& pair_tests() const;  // inline in lexicon.cpp: read by every slow lookup
  const PairTests& build_pair_tests() const;
  void drop_places();
};

// A pre-test for a scan that looks a lexicon up at every position of a line: one bit
// for each pair of low six bits of its words' first two characters (4,096 bits), so
// that a position where no word can start costs a load and a shift, cheaper than the
// lexicon's own filter, which reads the first character only: the role words (书记, 主任,
// 一级调研员) start with 书, 主, 一, 市, 县…, each of which in a line of text was looked up
// in vain (主要, 一是, 市场). Built at load from the words (--rules DIR too).
class WordStarts {
 public:
  WordStarts() { bits_.fill(~uint64_t(0)); }  // knows no words: every position may start one
  explicit WordStarts(const Lexicon& words);
  // False when no word of the lexicon starts at text[pos] (pos < text.size()). A word
  // of one character sets its first character's whole row: any character may follow it,
  // and the end of the line stands as 0.
  bool may_start_at(std::u32string_view text, size_t pos) const {
    char32_t second = pos + 1 < text.size() ? text[pos + 1] : 0;
    return (bits_[text[pos] & 63] >> (second & 63)) & 1;
  }

 private:
  std::array<uint64_t, 64> bits_{};  // row: the first character's low bits; bit: the second's
};

// The same for the last two characters of the words, for the lookups of the words ending
// at a position (Lexicon::longest_ending_at).
class WordEnds {
 public:
  WordEnds() { bits_.fill(~uint64_t(0)); }  // knows no words: every position may end one
  explicit WordEnds(const Lexicon& words);
  // False when no word of the lexicon ends at text[end - 1] (0 < end <= text.size()). A
  // word of one character sets its last character's whole row; the start of the text
  // stands as 0 before it.
  bool may_end_at(std::u32string_view text, size_t end) const {
    char32_t before = end >= 2 ? text[end - 2] : 0;
    return (bits_[text[end - 1] & 63] >> (before & 63)) & 1;
  }

 private:
  std::array<uint64_t, 64> bits_{};  // row: the last character's low bits; bit: the one before it
};

}  // namespace digestx
