// Part of stage 7, facts: the subject of a figure, the noun phrase it counts or
// measures (101个网格 -> 网格, 组建党员突击队54支 -> 党员突击队). Plain positions in,
// plain positions out: the facts stage says where each figure is, this file says
// where its subject is. The words it goes by are rules/subjects.json.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <string_view>
#include <vector>

#include "digestx/rules.hpp"

namespace digestx {

// A subject in the matching view: [b, e), plus a head [hb, he) it shares with a later
// noun (一产 + 增加值, 市级 + 美丽乡村示范村). Empty when b == e.
struct Subject {
  size_t b = 0, e = 0;
  size_t hb = 0, he = 0;
  std::string_view rule;  // owned by the rules or a literal
  bool empty() const { return e <= b; }
};

// A figure as the subject search sees it.
struct SubjectFigure {
  size_t b = 0, e = 0;  // the figure's text with its unit and qualifier
  Subject subject;
  bool quantity = true;  // false: a date or a name (2018年), which no 分别 list pairs with
  bool counted = false;  // it counts with a measure word (find's `classifier`)
};

struct SubjectInput {
  std::u32string_view text;                // the matching view of one paragraph
  const std::vector<size_t>* sentence_starts = nullptr;  // ascending offsets in `text`
  // Where a figure with a measure word or unit starts (a numeral followed by its
  // unit) and where that unit ends, ascending by start: 8个 in 3个市级和8个区级….
  std::vector<std::pair<size_t, size_t>> counted;
  // The place of the unit whose text this is (桃坪乡 of 桃坪乡党委), in the matching view;
  // empty when unknown. A subject never begins with it.
  std::u32string_view unit_place;
  // The kind of body the unit is, as an index of subjects.json unit_places.own_kinds
  // (医院 for 渠阳市第一人民医院党委), or -1: a subject never begins with its own words.
  int unit_kind = -1;
};

// The place an organisation's name begins with, up to the first place ending of
// subjects.json "unit_places" (桃坪乡党委 -> 桃坪乡, 北苑街道党工委 -> 北苑街道,
// 临河县委政法委 -> 临河县), or empty (市委组织部: no name before 市).
std::u32string_view unit_place_of(std::u32string_view organization, const SubjectRules& rules);

// The first of subjects.json unit_places.own_kinds whose bodies the organisation's name
// holds (渠阳市第一人民医院党委 -> the kind of 医院, 全院), or -1.
int unit_kind_of(std::u32string_view organization, const SubjectRules& rules);

// A character that ends a noun phrase (punctuation, spaces: subjects.json boundary_chars).
inline bool subject_boundary(const SubjectRules& r, char32_t c) {
  return c < r.is_boundary.size() ? bool(r.is_boundary[c]) : r.boundary_chars.find(c) != std::u32string::npos;
}

// A verb right after another verb that names a kind of the noun after it (认领服务项目,
// 办理代办事项): the phrase ending at q reads on over it.
bool verb_as_modifier(const SubjectRules& r, std::u32string_view text, size_t q);

class SubjectFinder {
 public:
  SubjectFinder(SubjectInput in, const SubjectRules& rules) : in_(std::move(in)), r_(rules) {}

  // The subject of the figure [b, e). `classifier`: the figure counts with a measure
  // word, so the noun after it comes first (101个网格). Figures are found left to
  // right; each one found is told with note() before the next one is looked at.
  // `kind`: the figure's kind (a rate's subject passes on to rates only).
  Subject find(size_t b, size_t e, bool classifier, std::string_view kind = {}) const;
  // A figure found (a quantity with its subject, or a date or name: `named` when it is
  // a name such as 5G, which stays part of a noun phrase).
  void note(size_t b, size_t e, bool named, const Subject& s);
  // Room for the notes of `figures` figures at once (about one each; a vector doubling
  // from empty was an allocation every few figures).
  void expect_notes(size_t figures) { seen_.reserve(figures); }

  // 一产、二产、三产增加值分别为8.08亿元、2.08亿元、6.68亿元: the k-th figure of the list
  // after one of `words` gets the k-th noun of the list before it, and `rule` as the
  // subject's rule. `copulas_between`: copulas may stand between the words and the
  // figures (分别提高到每人每月780元、620元). `figures` left to right.
  void split_respectively(std::vector<SubjectFigure>& figures, const Lexicon& words, bool copulas_between,
                          std::string_view rule) const;

 private:
  friend class RespectivelyLists;  // the 分别为 step (subjects_respectively.cpp) reads phrases as this does
  friend class CoordinatedHeads;   // shared heads (subjects_coordinated.cpp), likewise
  friend class SubjectEdges;       // where a phrase begins and ends (subjects_edges.cpp), likewise
  friend class SubjectOwners;      // shares, bounds, beneficiaries, inheritance (subjects_owners.cpp)
  friend class SubjectClauses;     // recipients, slogans, bodies in bounded things (subjects_clauses.cpp)
  struct Seen {
    size_t b, e;
    bool named;
    size_t sb, se;
  };
  using Range = std::pair<size_t, size_t>;

  size_t sentence_begin(size_t pos) const;
  size_t sentence_end(size_t pos) const;
  bool boundary(char32_t c) const { return subject_boundary(r_, c); }  // inline: read at every step of a phrase
  bool figure_starts_at(size_t p) const;
  size_t counted_unit_end(size_t p) const;
  size_t closing_quote(size_t open, size_t limit) const;
  size_t opening_quote(size_t close, size_t floor) const;
  Range after(size_t p, size_t limit, bool* clause = nullptr, size_t figure_begin = 0) const;
  std::optional<Range> head_after_clause(size_t q, size_t limit, size_t p) const;
  // `counting` in what follows: the figure counts with a measure word (find's classifier);
  // only then do two verbs in a row name one piece of work (排查整治46次, never 完成投资).
  bool verb_pair_at(size_t q, size_t p, bool counting) const;
  bool ends_in_verb_pair(const Range& r, bool counting) const;
  Range phrase_after(size_t p, size_t limit) const;
  std::optional<Range> figure_label(size_t b, size_t e, size_t lo, size_t hi) const;
  std::optional<Range> colon_label(size_t b, size_t e, size_t lo, size_t hi, bool counting) const;
  Range before(size_t p, size_t floor, bool* verb, bool counting) const;
  Range phrase_before(size_t p, size_t floor, size_t limit, bool* cut_mid, bool counting) const;
  bool bare_verb(const Range& r) const;
  bool lone_deed(const Range& r) const;
  bool holds_verb(const Lexicon& verbs, size_t b, size_t e) const;
  bool verb_starts_at(size_t q, size_t limit) const;
  bool hard_stop_before(size_t q) const;
  bool rated_activity_at(size_t q, size_t p) const;
  size_t rated_head_end(size_t q, size_t p) const;
  bool bracketed_figure(size_t b, size_t e) const;
  bool closes_bracketed_figure(size_t k) const;
  bool holds_rated_activity(const Range& r) const;
  bool ends_a_fact(size_t q) const;
  bool named_at(size_t pos) const;
  // Steps of SubjectEdges::finish kept in subjects_clauses.cpp (SubjectClauses).
  void drop_recipient(Subject& s) const;
  void drop_trailing_slogan(Subject& s, size_t figure_b) const;
  void drop_bound_body(Subject& s, size_t figure_end) const;
  // `sentence`: [sentence_begin(b), sentence_end(b)), which find() has at hand (looked up
  // again here, it was three binary searches a figure).
  void trim_edges(Subject& s, size_t b, size_t e, Range sentence, bool from_back, bool classifier) const;
  std::optional<Range> purpose_after(size_t b, size_t e, size_t hi) const;
  void share_coordinated_head(Subject& s, size_t figure_end, size_t hi) const;
  // `figure_end`: where the figure ends (a list of figures after it pairs the nouns, no
  // short noun of a 、 list shares the head: 城市、农村低保标准提高到780元、620元).
  void share_modifiers_before(Subject& s, Range sentence, bool count, size_t figure_end) const;
  void share_coordinated_bodies(Subject& s, size_t figure_end, size_t hi) const;

  SubjectInput in_;
  const SubjectRules& r_;
  std::vector<Seen> seen_;  // the figures noted so far, left to right
};

}  // namespace digestx
