// Text that the page layout split into pieces (a paragraph broken by a blank line,
// a heading wrapped over lines), joined into one contiguous string of the matching
// view, with the source position of every character so that spans map back.
// Pieces that sit end to end (most paragraphs: one piece) are not copied: the
// joined text is then a slice of the view itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "digestx/span.hpp"

namespace digestx {

class Joined {
 public:
  static Joined of(std::u32string_view view, const Pieces& pieces) { return of_list(view, pieces); }
  // A line's content: one or two pieces, not made Pieces first (an allocation per line
  // for each rule of the structure stage that read it).
  static Joined of(std::u32string_view view, const ShortPieces& pieces) { return of_list(view, pieces); }

  // Any list of pieces with size(), [i], front() and back().
  template <class List>
  static Joined of_list(std::u32string_view view, const List& pieces) {
    Joined j;
    bool contiguous = true;
    for (size_t i = 1; i < pieces.size(); ++i) contiguous = contiguous && pieces[i].start == pieces[i - 1].end;
    if (contiguous) {
      if (!pieces.empty()) {
        j.base_ = pieces.front().start;
        j.borrowed_ = view.substr(pieces.front().start, pieces.back().end - pieces.front().start);
      }
      return j;
    }
    j.copied_ = true;
    size_t n = 0;
    for (size_t i = 0; i < pieces.size(); ++i) n += pieces[i].size();
    j.owned_.resize(n);
    j.map_.resize(n);
    char32_t* chars = &j.owned_[0];
    uint32_t* map = j.map_.data();
    size_t k = 0;
    for (size_t i_piece = 0; i_piece < pieces.size(); ++i_piece) {
      const Span& p = pieces[i_piece];
      if (p.end > view.size() || p.start > p.end) continue;  // never so from the stages; kept safe
      for (uint32_t i = p.start; i < p.end; ++i, ++k) {
        chars[k] = view[i];
        map[k] = i;
      }
    }
    j.owned_.resize(k);
    j.map_.resize(k);
    return j;
  }

  // The joined characters (valid while this Joined and the view live).
  std::u32string_view chars() const { return copied_ ? std::u32string_view(owned_) : borrowed_; }
  size_t size() const { return copied_ ? owned_.size() : borrowed_.size(); }
  // Whether the characters are one stretch of the view (source(i) = source(0) + i).
  bool contiguous() const { return !copied_; }
  // Source index of chars()[i].
  uint32_t source(size_t i) const { return copied_ ? map_[i] : base_ + uint32_t(i); }

  // The source pieces covered by [begin, end) of the joined string.
  Pieces pieces(size_t begin, size_t end) const {
    Pieces out;
    each_piece(begin, end, [&](Span s) { out.push_back(s); });
    return out;
  }
  // The same pieces handed to `take` one at a time, left to right (a caller that keeps
  // only some of them makes no vector).
  template <class Take>
  void each_piece(size_t begin, size_t end, Take&& take) const {
    if (begin >= end) return;
    if (!copied_) {
      take(Span{base_ + uint32_t(begin), base_ + uint32_t(end)});
      return;
    }
    Span run{map_[begin], map_[begin] + 1};
    for (size_t i = begin + 1; i < end; ++i) {
      if (run.end == map_[i]) {
        ++run.end;
      } else {
        take(run);
        run = {map_[i], map_[i] + 1};
      }
    }
    take(run);
  }

  // The source span from the first to the last character of [begin, end).
  Span span(size_t begin, size_t end) const {
    if (begin >= end) return {};
    return {source(begin), source(end - 1) + 1};
  }

 private:
  bool copied_ = false;
  std::u32string_view borrowed_;
  uint32_t base_ = 0;
  std::u32string owned_;
  std::vector<uint32_t> map_;
};

}  // namespace digestx
