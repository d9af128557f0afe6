// Part of stage 7, facts: the subject finder's reading of whose figure it is when the
// noun phrase right next to it is not the whole story, a step of its own
// (subjects_owners.cpp).
#pragma once

#include <optional>
#include <string_view>

#include "digestx/subjects.hpp"

namespace digestx {

// Owners a figure belongs to beyond the phrase next to it: the owner of a share (研发投入占
// 营业收入比重, 入股农户占全村农户的三分之二), the noun a count counts past a bound (36名35岁以下
// 青年党员), the people a count serves or sets to work (为近500人提供免费体检, 组织100来人参加
// 培训: none named), and the subject
// of the figure before that this one continues (由5个增加到12个). Phrases are read as the
// finder reads them; `counting` is the figure's classifier (SubjectFinder::verb_pair_at).
class SubjectOwners {
 public:
  using Range = SubjectFinder::Range;
  explicit SubjectOwners(const SubjectFinder& finder) : f_(finder) {}

  bool extend_over_share(Range& r, size_t floor, bool counting) const;
  std::optional<Range> share_owner(size_t b, size_t floor, bool counting) const;
  std::optional<Range> past_threshold(size_t e, size_t hi) const;
  std::optional<Range> past_level(size_t e, size_t hi) const;
  std::string_view unnamed_people(size_t b, size_t e, size_t lo, size_t hi) const;
  // `figure_end`, `sentence_end`: where the figure ends and its sentence does, to tell a
  // figure that opens a clause of its own (800余人达成就业意向).
  bool opens_clause(size_t figure_end, size_t sentence_end) const;
  std::optional<Range> inherited(size_t p, size_t floor, size_t figure_end, size_t sentence_end,
                                 bool* opens = nullptr) const;
  bool passes_on(Range subject, std::string_view kind) const;

 private:
  std::optional<Range> noun_past_bound(size_t p, size_t hi) const;
  const SubjectFinder& f_;
};

}  // namespace digestx
