#include "digestx/lexicon.hpp"

#include <algorithm>
#include <atomic>
#include <unordered_map>

#include "lexicon_sequence.hpp"

namespace digestx {

using namespace lexicon_layout;

// ---------------------------------------------------------------- the arrays

Image Arrays::append(const Pool& from, const Image& image) {
  auto copy = [](auto& to, const auto* base, uint32_t at, uint32_t count) {
    uint32_t where = uint32_t(to.size());
    to.insert(to.end(), base + at, base + at + count);
    return where;
  };
  Image out = image;
  out.chars_at = copy(chars, from.chars, image.chars_at, image.chars_count);
  out.words_at = copy(words, from.words, image.words_at, image.word_count);
  out.index_at = copy(index, from.index, image.index_at, image.index_size);
  out.lists_at = copy(lists, from.lists, image.lists_at, image.lists_count);
  out.buckets_at = copy(buckets, from.buckets, image.buckets_at, image.buckets_count);
  out.filters_at = copy(filters, from.filters, image.filters_at, image.filters_count);
  return out;
}

namespace {

// FNV-1a over the characters, mixed at the end: words are a few characters long.
size_t hash_word(std::u32string_view word) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char32_t c : word) h = (h ^ uint64_t(c)) * 0x100000001b3ull;
  return size_t(h ^ (h >> 29));
}

// Whether the text at `at` holds the `len` characters at `word` (its length checked by
// the caller): words are a few characters long, compared in place.
bool same_chars(const char32_t* at, const char32_t* word, size_t len) {
  for (size_t k = 0; k < len; ++k)
    if (at[k] != word[k]) return false;
  return true;
}

// Files word i in the index, which has room for it.
void place(Arrays& a, uint32_t i) {
  size_t mask = a.index.size() - 1;
  size_t s = hash_word({a.chars.data() + a.words[i].at, a.words[i].len}) & mask;
  while (a.index[s] != 0) s = (s + 1) & mask;
  a.index[s] = i + 1;
}

// The index sized for the words held, refilled in the words' order when it grows: its
// slots depend on the words alone, not on how they were added, so that the tables
// written at build time are the ones a load at run time makes.
void grow_index(Arrays& a) {
  size_t size = std::max<size_t>(16, a.index.size());
  while (a.words.size() * 2 > size) size *= 2;
  if (size == a.index.size()) return;
  a.index.assign(size, 0);
  for (uint32_t i = 0; i < a.words.size(); ++i) place(a, i);
}

// One side's buckets, table and filter, laid out after the lists, buckets and filters
// held: each character's words longest first (in the order they came among equal
// lengths), or past kSortedMax their distinct lengths.
Side lay_out_side(Arrays& a, bool by_first) {
  std::vector<char32_t> order;  // the characters in the order their first word came
  std::unordered_map<char32_t, std::vector<uint32_t>> words_of;
  for (uint32_t i = 0; i < a.words.size(); ++i) {
    const Word& w = a.words[i];
    char32_t c = a.chars[by_first ? w.at : w.at + w.len - 1];
    auto [it, fresh] = words_of.try_emplace(c);
    if (fresh) order.push_back(c);
    it->second.push_back(i);
  }
  unsigned log2 = 3;  // eight slots at least
  while ((size_t(1) << log2) < 2 * order.size()) ++log2;
  Side side{uint32_t(a.buckets.size()), uint32_t(a.filters.size()), 64 - log2, 64 - (log2 + 3)};
  a.buckets.resize(a.buckets.size() + (size_t(1) << log2), Bucket{0, 0, 0, 0});
  a.filters.resize(a.filters.size() + ((size_t(1) << log2) >> 3), 0);  // eight bits a slot
  Bucket* slots = a.buckets.data() + side.slots_at;
  uint64_t* bits = a.filters.data() + side.filter_at;
  for (char32_t c : order) {
    std::vector<uint32_t>& list = words_of[c];
    auto longer = [&a](uint32_t x, uint32_t y) { return a.words[x].len > a.words[y].len; };
    std::stable_sort(list.begin(), list.end(), longer);
    Bucket b{c, uint32_t(list.size()), uint32_t(a.lists.size()), 0};
    for (uint32_t i : list) {
      uint32_t entry = list.size() > kSortedMax ? a.words[i].len : i;
      if (list.size() <= kSortedMax || a.lists.size() == b.list_at || a.lists.back() != entry) a.lists.push_back(entry);
    }
    b.list_count = uint32_t(a.lists.size() - b.list_at);
    size_t mask = (size_t(1) << log2) - 1, s = size_t(char_hash(c) >> side.slot_shift);
    while (slots[s].word_count != 0) s = (s + 1) & mask;
    slots[s] = b;
    uint64_t bit = char_hash(c) >> side.filter_shift;
    bits[bit >> 6] |= uint64_t(1) << (bit & 63);
  }
  return side;
}

}  // namespace

// ---------------------------------------------------------------- Lexicon

const uint64_t Lexicon::kNoBits[1] = {};

// A vector of structures holding word lists (aspect cues) moves them as it grows.
static_assert(std::is_nothrow_move_constructible_v<Lexicon>);

Lexicon::Lexicon(const Lexicon& other)
    : own_(other.own_ ? std::make_unique<Arrays>(*other.own_) : nullptr),
      image_(other.image_),
      view_(other.view_),
      sequence_(other.sequence_),
      slot_(other.slot_) {
  if (own_) view_ = view_of(own_->pool(), image_);
  if (LexiconSequence* sequence = LexiconSequence::current(); sequence && sequence->holds(*this)) sequence->copied();
}

Lexicon::Lexicon(Lexicon&& other) noexcept
    : own_(std::move(other.own_)),
      image_(other.image_),
      view_(other.view_),
      sequence_(other.sequence_),
      slot_(other.slot_),
      places_(other.places_.exchange(nullptr)),
      pairs_(other.pairs_.exchange(nullptr)) {
  other.image_ = Image{};
  other.view_ = View();
  other.sequence_ = 0;
}

Lexicon& Lexicon::operator=(Lexicon other) noexcept {
  std::swap(own_, other.own_);
  std::swap(image_, other.image_);
  std::swap(view_, other.view_);
  std::swap(sequence_, other.sequence_);
  std::swap(slot_, other.slot_);
  places_.store(other.places_.exchange(places_.load()));
  pairs_.store(other.pairs_.exchange(pairs_.load()));
  return *this;
}

Lexicon::~Lexicon() { drop_places(); }

struct Lexicon::PairTests {
  WordStarts starts;
  WordEnds ends;
};

void Lexicon::drop_places() {
  delete places_.exchange(nullptr);
  delete pairs_.exchange(nullptr);
}

inline const Lexicon::PairTests& Lexicon::pair_tests() const {
  if (const PairTests* built = pairs_.load(std::memory_order_acquire)) return *built;
  return build_pair_tests();
}

const Lexicon::PairTests& Lexicon::build_pair_tests() const {
  auto made = std::make_unique<PairTests>(PairTests{WordStarts(*this), WordEnds(*this)});
  const PairTests* expected = nullptr;
  // As char_places: of two threads building them at once, the first one's are kept.
  if (pairs_.compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel)) return *made.release();
  return *expected;
}

const CharPlaces& Lexicon::char_places() const {
  if (const CharPlaces* built = places_.load(std::memory_order_acquire)) return *built;
  size_t chars = 0;
  for (size_t i = 0; i < view_.word_count; ++i) chars += view_.words[i].len;
  auto made = std::make_unique<CharPlaces>(chars);
  for (size_t i = 0; i < view_.word_count; ++i) made->add(text_of(view_.words[i]));
  const CharPlaces* expected = nullptr;
  // Two threads may build it at once: the first one's is kept, the other's freed.
  if (places_.compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel)) return *made.release();
  return *expected;
}

CharPlaces::CharPlaces(size_t chars) {
  if (chars == 0) return;
  // More slots than characters: an empty one ends every probe. The distinct characters
  // are fewer (一 in most set phrases), so the table stays sparse without doubling.
  size_t size = 2;
  while (size <= chars) size *= 2;
  slots_.resize(size);
  mask_ = size - 1;
}

void CharPlaces::add(std::u32string_view word) {
  for (size_t k = 0; k < word.size(); ++k) {
    size_t s = size_t(hash(word[k])) & mask_;
    while (slots_[s].places != 0 && slots_[s].c != word[k]) s = (s + 1) & mask_;
    slots_[s].c = word[k];
    slots_[s].places |= uint64_t(1) << (k < 63 ? k : 63);
  }
}

Lexicon::View Lexicon::view_of(const Pool& pool, const Image& image) {
  View v;
  if (image.word_count == 0) return v;
  v.chars = pool.chars + image.chars_at;
  v.words = pool.words + image.words_at;
  v.word_count = image.word_count;
  v.index = pool.index + image.index_at;
  v.index_size = image.index_size;
  v.lists = pool.lists + image.lists_at;
  v.max_len = image.max_len;
  auto side = [&](const Side& s) {
    return SideView{pool.filters + image.filters_at + s.filter_at, s.filter_shift, s.slot_shift,
                    (size_t(1) << (64 - s.slot_shift)) - 1, pool.buckets + image.buckets_at + s.slots_at};
  };
  v.first = side(image.first);
  v.last = side(image.last);
  return v;
}

void Lexicon::attach(const Pool& pool, const Image& image) {
  drop_places();
  own_.reset();
  image_ = image;
  view_ = view_of(pool, image);
}

Image Lexicon::append_to(Arrays& into) const {
  if (empty()) return Image{};
  Pool pool{view_.chars - image_.chars_at,     view_.words - image_.words_at,     view_.index - image_.index_at,
            view_.lists - image_.lists_at,     view_.first.slots - image_.first.slots_at - image_.buckets_at,
            view_.first.bits - image_.first.filter_at - image_.filters_at};
  return into.append(pool, image_);
}

bool Lexicon::begin_change() {
  LexiconSequence* sequence = LexiconSequence::current();
  if (sequence && !sequence->holds(*this)) sequence->enter(*this);
  if (sequence && sequence->attaching()) return false;
  if (!own_) {  // built in (or empty): its tables become its own
    auto own = std::make_unique<Arrays>();
    image_ = append_to(*own);
    own_ = std::move(own);
  }
  return true;
}

bool Lexicon::wants_words() {
  LexiconSequence* sequence = LexiconSequence::current();
  if (sequence && !sequence->holds(*this)) sequence->enter(*this);
  return !(sequence && sequence->attaching());
}

void Lexicon::put(std::u32string_view word, int value) {
  if (word.empty()) return;
  Arrays& a = *own_;
  view_.chars = a.chars.data();  // find reads the words filed so far
  view_.words = a.words.data();
  view_.index = a.index.data();
  view_.index_size = a.index.size();
  int64_t known = find(word);
  if (known >= 0) {
    a.words[size_t(known)].value = value;
    return;
  }
  a.words.push_back({uint32_t(a.chars.size()), uint32_t(word.size()), value});
  a.chars.insert(a.chars.end(), word.begin(), word.end());
  if (a.words.size() * 2 > a.index.size())
    grow_index(a);
  else
    place(a, uint32_t(a.words.size() - 1));
  view_.word_count = a.words.size();  // a word may come twice in one list
  view_.chars = a.chars.data();
  view_.words = a.words.data();
  view_.index = a.index.data();
  view_.index_size = a.index.size();
}

void Lexicon::end_change() {
  drop_places();
  Arrays& a = *own_;
  a.lists.clear();
  a.buckets.clear();
  a.filters.clear();
  Image& im = image_;
  im = Image{};
  im.chars_count = uint32_t(a.chars.size());
  im.word_count = uint32_t(a.words.size());
  im.index_size = uint32_t(a.index.size());
  for (const Word& w : a.words) im.max_len = std::max(im.max_len, w.len);
  if (!a.words.empty()) {
    im.first = lay_out_side(a, true);
    im.last = lay_out_side(a, false);
  }
  im.lists_count = uint32_t(a.lists.size());
  im.buckets_count = uint32_t(a.buckets.size());
  im.filters_count = uint32_t(a.filters.size());
  view_ = view_of(a.pool(), im);
  if (LexiconSequence* sequence = LexiconSequence::current()) sequence->keep(*this);
}

void Lexicon::add(std::u32string_view word, int value) {
  if (!begin_change()) return;
  put(word, value);
  end_change();
}

void Lexicon::add(const std::vector<std::u32string>& words, int value) {
  if (!begin_change()) return;
  own_->words.reserve(own_->words.size() + words.size());
  for (const std::u32string& w : words) put(w, value);
  end_change();
}

void Lexicon::merge(const Lexicon& other, int value) {
  if (!begin_change()) return;
  for (size_t i = 0; i < other.view_.word_count; ++i) {
    std::u32string_view w = other.text_of(other.view_.words[i]);
    if (!contains(w)) put(w, value);
  }
  end_change();
}

void Lexicon::merge_offset(const Lexicon& other, int offset) {
  if (!begin_change()) return;
  for (size_t i = 0; i < other.view_.word_count; ++i) {
    std::u32string_view w = other.text_of(other.view_.words[i]);
    if (!contains(w)) put(w, other.view_.words[i].value + offset);
  }
  end_change();
}

namespace {
// The characters of a side's table (first or last characters of the words).
template <class SideView>
std::vector<char32_t> side_chars(const SideView& side) {
  std::vector<char32_t> out;
  for (size_t s = 0; s <= side.mask; ++s)
    if (side.slots[s].word_count) out.push_back(side.slots[s].c);
  return out;
}
}  // namespace

std::vector<char32_t> Lexicon::first_chars() const { return empty() ? std::vector<char32_t>() : side_chars(view_.first); }

std::vector<char32_t> Lexicon::last_chars() const { return empty() ? std::vector<char32_t>() : side_chars(view_.last); }

int64_t Lexicon::find(std::u32string_view word) const {
  if (view_.index_size == 0) return -1;
  size_t mask = view_.index_size - 1;
  for (size_t s = hash_word(word) & mask;; s = (s + 1) & mask) {
    uint32_t v = view_.index[s];
    if (v == 0) return -1;
    const Word& w = view_.words[v - 1];
    if (w.len == word.size() && same_chars(view_.chars + w.at, word.data(), w.len)) return int64_t(v - 1);
  }
}

Lexicon::Match Lexicon::longest_at_slow(std::u32string_view text, size_t pos) const {
  if (!pair_tests().starts.may_start_at(text, pos)) return {};
  const Bucket* b = bucket(view_.first, text[pos]);
  return b ? longest_at_in(text, pos, *b) : Match{};
}

Lexicon::Match Lexicon::longest_ending_at_slow(std::u32string_view text, size_t end) const {
  if (!pair_tests().ends.may_end_at(text, end)) return {};
  const Bucket* b = bucket(view_.last, text[end - 1]);
  return b ? longest_ending_at_in(text, end, *b) : Match{};
}

Lexicon::Match Lexicon::longest_at_in(std::u32string_view text, size_t pos, const Bucket& b) const {
  const uint32_t* list = view_.lists + b.list_at;
  if (b.word_count > kSortedMax) {
    for (uint32_t k = 0; k < b.list_count; ++k) {
      uint32_t len = list[k];
      if (len > text.size() - pos) continue;
      int64_t i = find(text.substr(pos, len));
      if (i >= 0) return {len, view_.words[size_t(i)].value};
    }
    return {};
  }
  // Every word of the bucket starts with its character, text[pos]: compared from the second on.
  for (uint32_t k = 0; k < b.list_count; ++k) {
    const Word& w = view_.words[list[k]];
    if (w.len <= text.size() - pos && same_chars(text.data() + pos + 1, view_.chars + w.at + 1, w.len - 1))
      return {w.len, w.value};
  }
  return {};
}

Lexicon::Match Lexicon::longest_ending_at_in(std::u32string_view text, size_t end, const Bucket& b) const {
  const uint32_t* list = view_.lists + b.list_at;
  if (b.word_count > kSortedMax) {
    for (uint32_t k = 0; k < b.list_count; ++k) {
      uint32_t len = list[k];
      if (len > end) continue;
      int64_t i = find(text.substr(end - len, len));
      if (i >= 0) return {len, view_.words[size_t(i)].value};
    }
    return {};
  }
  // Every word of the bucket ends with its character, text[end - 1]: compared but for it.
  for (uint32_t k = 0; k < b.list_count; ++k) {
    const Word& w = view_.words[list[k]];
    if (w.len <= end && same_chars(text.data() + end - w.len, view_.chars + w.at, w.len - 1)) return {w.len, w.value};
  }
  return {};
}

namespace {

bool is_gap(char32_t c) { return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0; }

}  // namespace

// A big bucket, probed by its lengths: the word as written (it may hold a space) or the
// text with the gaps taken out, the longer of the two. `chars` holds the text's
// characters from the word's first (last) one on, gaps left out, `at[k]` where the
// (k+1)-th ends (starts, going back); `forward` says which way they were read.
Lexicon::Match Lexicon::probe_spaced(const Bucket& b, std::u32string_view chars, const std::vector<size_t>& at,
                                     size_t from, bool forward, Match exact) const {
  for (uint32_t k = 0; k < b.list_count; ++k) {
    uint32_t len = view_.lists[b.list_at + k];
    if (len <= exact.len) break;
    if (len > chars.size()) continue;
    std::u32string word(chars.substr(0, len));
    if (!forward) std::reverse(word.begin(), word.end());
    int64_t i = find(word);
    if (i >= 0) return {uint32_t(forward ? at[len - 1] - from : from - at[len - 1]), view_.words[size_t(i)].value};
  }
  return exact;
}

// text[pos] passed the filter (longest_at_spaced).
Lexicon::Match Lexicon::longest_at_spaced_slow(std::u32string_view text, size_t pos, size_t max_gap) const {
  const Bucket* b = bucket(view_.first, text[pos]);
  if (!b) return {};
  if (b->word_count > kSortedMax) {
    std::u32string chars;
    std::vector<size_t> at;
    for (size_t p = pos, gaps = 0; p < text.size() && chars.size() < view_.max_len; ++p) {
      if (!chars.empty() && is_gap(text[p])) {
        if (gaps++ == max_gap) break;
        continue;
      }
      chars += text[p];
      at.push_back(p + 1);
    }
    return probe_spaced(*b, chars, at, pos, true, longest_at_in(text, pos, *b));
  }
  for (uint32_t k = 0; k < b->list_count; ++k) {  // longest first
    std::u32string_view w = text_of(view_.words[view_.lists[b->list_at + k]]);
    size_t p = pos + 1, gaps = 0, i = 1;  // its first character is text[pos]
    while (i < w.size() && p < text.size()) {
      if (text[p] == w[i]) {
        ++p;
        ++i;
      } else if (i > 0 && is_gap(text[p]) && gaps < max_gap) {
        ++p;
        ++gaps;
      } else {
        break;
      }
    }
    if (i == w.size()) return {uint32_t(p - pos), view_.words[view_.lists[b->list_at + k]].value};
  }
  return {};
}

// text[end - 1] passed the filter (longest_ending_at_spaced).
Lexicon::Match Lexicon::longest_ending_at_spaced_slow(std::u32string_view text, size_t end, size_t max_gap) const {
  const Bucket* b = bucket(view_.last, text[end - 1]);
  if (!b) return {};
  if (b->word_count > kSortedMax) {
    std::u32string chars;  // backwards
    std::vector<size_t> at;
    for (size_t p = end, gaps = 0; p > 0 && chars.size() < view_.max_len; --p) {
      if (!chars.empty() && is_gap(text[p - 1])) {
        if (gaps++ == max_gap) break;
        continue;
      }
      chars += text[p - 1];
      at.push_back(p - 1);
    }
    return probe_spaced(*b, chars, at, end, false, longest_ending_at_in(text, end, *b));
  }
  for (uint32_t k = 0; k < b->list_count; ++k) {  // longest first
    std::u32string_view w = text_of(view_.words[view_.lists[b->list_at + k]]);
    size_t p = end - 1, gaps = 0, i = w.size() - 1;  // its last character is text[end - 1]
    while (i > 0 && p > 0) {
      if (text[p - 1] == w[i - 1]) {
        --p;
        --i;
      } else if (i < w.size() && is_gap(text[p - 1]) && gaps < max_gap) {
        --p;
        ++gaps;
      } else {
        break;
      }
    }
    if (i == 0) return {uint32_t(end - p), view_.words[view_.lists[b->list_at + k]].value};
  }
  return {};
}

// ---------------------------------------------------------------- LexiconSequence

namespace {
thread_local LexiconSequence* current_sequence = nullptr;
std::atomic<uint32_t> sequences_begun{0};
}  // namespace

LexiconSequence::LexiconSequence(const Pool& pool, const Image* images, size_t count)
    : id_(++sequences_begun), pool_(pool), images_(images), count_(count), previous_(current_sequence) {
  current_sequence = this;
}

LexiconSequence::LexiconSequence() : id_(++sequences_begun), previous_(current_sequence) { current_sequence = this; }

LexiconSequence::~LexiconSequence() { current_sequence = previous_; }

LexiconSequence* LexiconSequence::current() { return current_sequence; }

void LexiconSequence::number_next(uint32_t id) { sequences_begun = id - 1; }

bool LexiconSequence::holds(const Lexicon& lexicon) const { return lexicon.sequence_ == id_; }

void LexiconSequence::enter(Lexicon& lexicon) {
  lexicon.sequence_ = id_;
  lexicon.slot_ = uint32_t(next_++);
  if (!attaching()) {
    kept_.emplace_back();
    kept_images_.emplace_back();
  } else if (lexicon.slot_ < count_) {
    lexicon.attach(pool_, images_[lexicon.slot_]);
  } else {
    missing_ = true;
  }
}

void LexiconSequence::keep(const Lexicon& lexicon) {
  Arrays& kept = kept_[lexicon.slot_];
  kept = Arrays();
  kept_images_[lexicon.slot_] = lexicon.append_to(kept);
}

Arrays LexiconSequence::tables(std::vector<Image>& images) const {
  Arrays out;
  images.clear();
  for (size_t k = 0; k < kept_.size(); ++k) images.push_back(out.append(kept_[k].pool(), kept_images_[k]));
  return out;
}

WordStarts::WordStarts(const Lexicon& words) {
  for (size_t k = 0; k < words.word_count(); ++k) {
    std::u32string_view w = words.word(k);
    if (w.empty()) continue;
    if (w.size() == 1)
      bits_[w[0] & 63] = ~uint64_t(0);
    else
      bits_[w[0] & 63] |= uint64_t(1) << (w[1] & 63);
  }
}

WordEnds::WordEnds(const Lexicon& words) {
  for (size_t k = 0; k < words.word_count(); ++k) {
    std::u32string_view w = words.word(k);
    if (w.empty()) continue;
    if (w.size() == 1)
      bits_[w.back() & 63] = ~uint64_t(0);
    else
      bits_[w.back() & 63] |= uint64_t(1) << (w[w.size() - 2] & 63);
  }
}

}  // namespace digestx
