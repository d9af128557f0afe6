// Internal to the facts stage (facts.cpp, fact_zones.cpp, fact_patterns.cpp): the
// paragraph the stage reads, its numerals, the word lookups every part of the stage
// shares, and the draft a fact is built in.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "digestx/facts.hpp"
#include "digestx/subjects.hpp"
#include "digestx/utf.hpp"

namespace digestx::facts {

// What one numeral became, in joined coordinates.
struct Draft {
  size_t b = 0, e = 0;  // the fact's text
  size_t nb = 0, ne = 0;  // the numeral(s) inside it
  std::string_view kind;  // owned by the rules or a literal
  std::optional<Decimal> value;
  std::string unit;
  std::string_view qualifier;
  std::optional<std::pair<Decimal, Decimal>> range;
  Subject subject;  // with a head shared with a later noun of a list (一产、…三产增加值: 增加值)
  std::vector<std::string_view> numeral_rules;  // names owned by the rules (or literals)
  std::string_view unit_rule, qualifier_rule, kind_rule;  // names owned by the rules (or literals)
  std::string_view pattern_rule;  // the facts.json pattern that composed it
  std::string_view aspect, aspect_rule;  // owned by the rules
  std::string_view status, status_rule;  // target, forecast (empty: an outcome); owned by the rules
  const AspectRules::Cue* status_cue = nullptr;  // the cue behind `status`
  bool classifier = false;  // a measure word: the subject is looked for after it first
  // The whole this figure is a part of (其中…, …合计): [part_b, part_e) of that fact's text;
  // equal when none. Such a part never joins a total beside its whole.
  size_t part_b = 0, part_e = 0;
  std::string_view part_rule;
};

// The paragraph as the facts stage sees it: the matching view, its numerals, and the
// lookups of words next to a figure.
class FactText {
 public:
  FactText(const FactInput& in, const Rules& rules);

  // Spaces allowed between a figure and a word next to it, and inside that word.
  static constexpr size_t kMaxGap = 4;

  size_t skip_spaces(size_t p) const {
    size_t q = p;
    while (q < s_.size() && is_space(s_[q]) && q - p < kMaxGap) ++q;
    return q;
  }
  // The longest word of `lex` at p, spaces before and inside it skipped; the length
  // counts them.
  // Inline: most lookups next to a figure meet a character no word of the list starts
  // (ends) with, and leave before the memo or the spaces (230,000 of each per 2 MB of text).
  Lexicon::Match word_at(const Lexicon& lex, size_t p) const {
    if (p < s_.size() && !is_space(s_[p]) && !lex.may_start_with(s_[p])) return {};
    return word_at_memo(lex, p);
  }
  // The longest word of `lex` ending at e, likewise.
  Lexicon::Match word_ending_at(const Lexicon& lex, size_t e) const {
    if (e > 0 && !is_space(s_[e - 1])) return lex.longest_ending_at_spaced(s_, e, kMaxGap);
    return word_ending_after_spaces(lex, e);
  }
  // The numeral starting at p (spaces skipped), or nullptr.
  const Numeral* numeral_at(size_t p) const;
  // Frees the numerals found here once no draft reads them: a paragraph of a million
  // figures (a 50 MB line) held them, 288 bytes each, beside its facts (numeral_at and
  // the composers must not run after this).
  void release_numerals() {
    std::vector<Numeral>().swap(own_numerals_);
    std::vector<uint32_t>().swap(numeral_starts_);
    std::vector<ListLinks>().swap(list_links_);
  }
  // Where numeral i stands in a list of bare figures (1、2、3; subjects.json
  // list_separators), read once per paragraph: each lookup is then O(1), so a run of
  // 100k figures 1、2、3… stays linear whatever the list's bound (quantities.json
  // list_unit max_figures).
  struct ListLinks {
    uint32_t first = 0, last = 0;  // the first and last numeral of its run of joined numerals
    // The first later numeral of its list that carries a unit (the figures between all
    // bare list members), or kNone: 分别增长3.5、8.2…和6.6%: the 6.6 for each figure.
    uint32_t unit_at = 0;
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  const ListLinks& list_links(size_t i) const {
    if (list_links_.size() != numerals_.size()) read_lists();
    return list_links_[i];
  }
  // Whether the numerals k-1 and k stand in one list: one list separator between them and
  // nothing else (1、2、3).
  bool list_joined(size_t k) const;
  // One of subjects.json list_separators (、和及与).
  bool list_separator(char32_t c) const { return r_.subjects.list_separators.find(c) != std::u32string::npos; }
  // A figure that can stand in such a list: Arabic, plain, no year, code or range of its own.
  bool list_member(const Numeral& n) const;
  // The unit at p, unless a longer word that is not a unit starts there (支部, 个人),
  // or a Latin unit runs on into another word (5cmx).
  Lexicon::Match unit_at(size_t p) const;
  std::string as_written(size_t b, size_t e) const;
  std::u32string folded(size_t b, size_t e) const;
  // A figure's text [b, e) grown over its qualifiers: around it (比三十大), after it (以上,
  // 左右) and before it (近, 约, 不少于; 至少有, 超过了). `own`: the qualifier its text holds
  // already (3500余名), which a vague "about" before it does not replace.
  struct Qualified {
    size_t b, e;
    std::string_view qualifier, rule;
  };
  Qualified qualifiers_around(size_t b, size_t e, std::string_view own, std::string_view own_rule) const;
  std::pair<const QualifierRules::Reach*, size_t> reached(size_t b) const;
  bool is_year(const Numeral& n) const;
  // A character that ends a noun phrase (subjects.json boundary_chars).
  bool boundary(char32_t c) const {
    return subject_boundary(r_.subjects, c);
  }
  // An Arabic integer with a leading zero (0898) is a code, not a quantity.
  bool code_like(const Numeral& n) const {
    return n.arabic && !n.point && n.end - n.begin > 1 && s_[n.begin] == '0';
  }
  // A figure in [b, e) of the joined text whose value cannot be held (`rule` empty) or
  // whose digits are damaged (`rule` names the damage): reported to the caller (in
  // source positions), never given a value it does not have; a damaged one is a
  // refusal for --explain too.
  void leave_out(size_t b, size_t e, std::string_view rule = {}) const {
    if (b >= e) return;
    Span span = j_.span(b, std::min(e, s_.size()));
    if (in_.left_out) in_.left_out->push_back({span, rule});
    if (in_.refused && !rule.empty()) in_.refused->push_back({span, rule});
  }
  // A numeral that was not taken, and the rule that refused it (--explain).
  void refuse(const Numeral& n, std::string_view rule) const {
    if (in_.refused && !rule.empty()) in_.refused->push_back({j_.span(n.begin, n.end), rule});
  }

  const FactInput& in_;
  const Joined& j_;
  std::u32string_view s_;
  const Rules& r_;
  const QuantityRules& q_;
  const ExclusionRules& x_;
  std::vector<Numeral> own_numerals_;    // when the caller gave none
  const std::vector<Numeral>& numerals_;  // the numerals of the text, left to right
  std::vector<uint32_t> numeral_starts_;

 private:
  // The last lookups of word_at, by word list and position: each pattern of facts.json
  // tried on a figure asks for the same words after it again (a unit at its end: 340,000
  // lookups per 2 MB of text, most of them repeats).
  struct WordMemo {
    uint64_t text = 0;  // the FactText that filled it (its memo_tag_); 0: empty
    const Lexicon* lex = nullptr;
    size_t p = 0;
    Lexicon::Match m;
  };
  static constexpr size_t kWordMemoSize = 128;
  // The last units looked for, by position: the patterns tried on a figure ask for the
  // unit after it again and again (130,000 lookups per 2 MB of text, each three or four
  // word lists and a unit per another).
  struct UnitMemo {
    uint64_t text = 0;  // as in WordMemo
    size_t p = 0;
    Lexicon::Match m;
  };
  static constexpr size_t kUnitMemoSize = 16;
  // The memos live once per thread and each entry names the paragraph that filled it:
  // emptying them for each paragraph (3 KB) was 9 M instructions per 2 MB of text, as
  // much as the lookups they save on a paragraph of one figure.
  struct Memos {
    std::array<WordMemo, kWordMemoSize> words{};
    std::array<UnitMemo, kUnitMemoSize> units{};
    uint64_t last_tag = 0;
  };
  static Memos& thread_memos();
  Memos& memos_;
  uint64_t memo_tag_;
  Lexicon::Match word_at_memo(const Lexicon& lex, size_t p) const;
  Lexicon::Match word_ending_after_spaces(const Lexicon& lex, size_t e) const;
  Lexicon::Match find_unit_at(size_t p) const;
  bool cue_fits(const QuantityRules::Unit::Cue& cue, size_t p, size_t len, bool chain) const;
  void read_lists() const;
  mutable std::vector<ListLinks> list_links_;
};

// Exclusion zones (exclusions.json): where a numeral is no quantity, and the rule that
// says so. Found once per paragraph, looked up per numeral.
class ExclusionZones {
 public:
  explicit ExclusionZones(const FactText& t);
  // The rule that refuses numeral n before any pattern is tried (a web address, the
  // name of a meeting, a set phrase, a period marker), or "".
  std::string_view refusal(const Numeral& n) const;
  // The rule that makes [b, e) a name, not a quantity (inside quotes, a version), or "".
  std::string_view name_rule(const Numeral& n, size_t b) const;
  bool quoted(size_t b, size_t e) const { return !quote_rule(b, e).empty(); }
  // The set phrase that holds position b (第三、四季度: the 四季度 that the numbers
  // stage read as no numeral), or "".
  std::string_view set_phrase_at(size_t b) const { return set_phrase_rule(b, b + 1); }
  bool in_url(size_t pos) const { return zone_at(urls_, pos) != nullptr; }
  // The name of a meeting or event that holds pos, with the names right after it
  // (十四届人大 + 三次会议), as [begin, end); empty when pos is in none.
  std::pair<size_t, size_t> institution_span(size_t pos) const;

 private:
  struct Zone {
    size_t open, close;  // positions of the quote marks, or [begin, end) of a name
    size_t rule;         // index of the rule that made it
  };
  void find_quote_zones();
  void find_url_zones();
  void find_institution_names();
  size_t institution_word_end(const ExclusionRules::InstitutionName& rule, size_t p) const;
  std::string_view quote_rule(size_t b, size_t e) const;
  std::string_view set_phrase_rule(size_t b, size_t e) const;
  bool is_version(const Numeral& n) const;
  bool unit_label_before(const Numeral& n) const;
  bool campaign_name(const Numeral& n) const;
  static const Zone* zone_at(const std::vector<Zone>& zones, size_t pos);

  const FactText& t_;
  std::vector<Zone> zones_;
  std::vector<size_t> zone_reach_;  // zone_reach_[k]: the zone of zones_[0..k] that closes last
  std::vector<Zone> urls_;
  std::vector<Zone> institutions_;  // names of meetings and events holding session numbers
  // The largest of exclusions.json's versions before_chars (Latin letters): the character
  // before most figures (Han) is past it, and the list is not searched (10 M instructions
  // per 2 MB of text).
  char32_t version_before_max_ = 0;
};

// The composer (fact_patterns.cpp): the first pattern of facts.json that matches at
// numeral i gives the fact, or the rule that refused the numeral.
struct Composed {
  std::optional<Draft> fact;
  std::string_view refusal;  // when no fact: the rule that refused it
};
Composed compose_fact(const FactText& t, const ExclusionZones& zones, size_t i, size_t consumed_until);
// The first 64 patterns of facts.json that the characters next to the figure [b, e) of s
// let through (FactPatternRules::gates): bit k for pattern k. compose_fact tries those
// alone (and any past the 64th): the others cannot match there.
uint64_t patterns_let_through(const FactPatternRules::PatternGates& gates, std::u32string_view s, size_t b, size_t e);

// facts.json parts: the figures in the clause after the rule's words (其中) that have the
// kind and unit of the nearest figure before them are its parts, in order, while together
// they come to no more than it (src/fact_parts.cpp).
void mark_parts_after(std::vector<Draft>& drafts, std::u32string_view text, const FactPatternRules::CombineRule& rule,
                      std::u32string_view clause_breaks, const KindRegistry& kinds);
// facts.json sum: the figure right after the rule's words (合计) is the sum of the figures of
// its kind and unit right before it when they add up to it exactly.
void mark_sum_after(std::vector<Draft>& drafts, std::u32string_view text, const FactPatternRules::CombineRule& rule,
                    std::u32string_view clause_breaks, const KindRegistry& kinds);
// facts.json unpaired: the figures of a list side by side without 分别 take no noun they
// cannot be told to count (src/fact_lists.cpp); `warned`: the drafts whose subject is
// left out, or kept as the nouns together, to be warned of as subject_unpaired.
void unpair_lists(std::vector<Draft>& drafts, std::u32string_view text, const FactPatternRules::CombineRule& rule,
                  const Rules& rules, std::vector<size_t>& warned);
// Once aspects are known: a part stays one only of a whole that totals add (aspect amount),
// itself an amount, of the whole's period (period_of: the period of a figure at a position).
void keep_parts_of_summed(std::vector<Draft>& drafts, const KindRegistry& kinds,
                          const std::function<Period(size_t)>& period_of);

}  // namespace digestx::facts
