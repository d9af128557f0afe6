#include "digestx/subjects.hpp"
#include "digestx/utf.hpp"

namespace digestx {

// Words of the clause around a noun phrase that the phrase reading took in, a step of the
// subject finder of its own: whom a service or a grant goes to (为群众代办事项3200件), a
// slogan after the noun (政务服务事项“秒批秒办”达到120项), and a body set up in the things
// a bound measures (实现百吨以上渔船党组织全覆盖). The words: subjects.json "edges".
class SubjectClauses {
 public:
  explicit SubjectClauses(const SubjectFinder& finder) : f_(finder), t_(finder.in_.text), r_(finder.r_) {}
  void recipient(Subject& s) const;
  bool suffixes_to_end(size_t k, size_t e) const;
  void trailing_slogan(Subject& s, size_t figure_b) const;
  void bound_body(Subject& s, size_t figure_end) const;

 private:
  bool preposition_before(size_t b) const;
  size_t verb_at(size_t k) const;
  bool inside_noun(size_t k, size_t floor) const;

  const SubjectFinder& f_;
  std::u32string_view t_;
  const SubjectRules& r_;
};

void SubjectFinder::drop_recipient(Subject& s) const { SubjectClauses(*this).recipient(s); }
void SubjectFinder::drop_trailing_slogan(Subject& s, size_t figure_b) const {
  SubjectClauses(*this).trailing_slogan(s, figure_b);
}
void SubjectFinder::drop_bound_body(Subject& s, size_t figure_end) const {
  SubjectClauses(*this).bound_body(s, figure_end);
}

// Whether a preposition of recipients (为, 对) stands right before b, or before a per-unit
// word that does (对每个脱贫县); not the tail of a word (成为, 作为, 为民服务 is a noun).
bool SubjectClauses::preposition_before(size_t b) const {
  size_t p = b;
  if (auto per = r_.edges.divisor_words.longest_ending_at(t_, p)) p -= per.len;
  auto prep = r_.edges.recipient_prepositions.longest_ending_at(t_, p);
  if (!prep) return false;
  for (const Lexicon* words : {&r_.nouns, &r_.stops_after, &r_.stops_before, &r_.verbs_before_figure, &r_.hard_stops,
                               &r_.copulas})
    if (auto w = words->longest_ending_at(t_, p); w && w.len > prep.len) return false;
  return true;
}

// The length of a verb of two characters or more starting at k (补助, 代办), or 0.
size_t SubjectClauses::verb_at(size_t k) const {
  size_t best = 0;
  for (const Lexicon* verbs : {&r_.edges.recipient_verbs, &r_.stops_before, &r_.edges.modifier_verbs})
    if (auto v = verbs->longest_at(t_, k); v && v.len > 1 && v.len > best) best = v.len;
  return best;
}

// Whether [k, e) is noun suffixes alone, which make the verb before them a noun:
// 对年销售额超500万元的合作社 (销售额 is no 销售 of a grant; it gave 销售额, not 年销售额).
bool SubjectClauses::suffixes_to_end(size_t k, size_t e) const {
  if (k >= e) return false;
  for (size_t j = k; j < e; ++j)
    if (r_.noun_suffixes.find(t_[j]) == std::u32string::npos) return false;
  return true;
}

// Whether a noun that begins in [floor, k) runs past k (服务 inside 法律服务).
bool SubjectClauses::inside_noun(size_t k, size_t floor) const {
  for (size_t j = floor; j < k; ++j)
    if (auto noun = r_.nouns.longest_at(t_, j); noun && j + noun.len > k) return true;
  return false;
}

// 为群众代办事项3200件 -> 代办事项, 对每个脱贫县补助50万元 -> 补助: after a preposition of
// recipients (edges.recipients) the phrase before the figure holds whom the work or the
// grant goes to, then the verb that names it; the subject begins at that verb (its own
// words, a stops_before verb or a verb naming a kind of noun), two characters left at
// least. No verb inside (为企业减税降费: phrase_starts), the phrase stays.
void SubjectClauses::recipient(Subject& s) const {
  if (s.empty() || r_.edges.recipient_rule.empty() || s.e - s.b < 3 || !preposition_before(s.b)) return;
  for (size_t k = s.b + 1; k + 2 <= s.e; ++k) {
    size_t verb = verb_at(k);
    if (!verb || inside_noun(k, s.b) || suffixes_to_end(k + verb, s.e)) continue;
    s.b = k;
    s.rule = r_.edges.recipient_rule;
    return;
  }
}

// 政务服务事项“秒批秒办”达到120项 -> 政务服务事项 (was 事项“秒批秒办”): a quoted slogan that
// ends the phrase before a copula or a qualifier (达到, 再增加, 超过) names how the noun before it is done, not
// what is counted; the head noun before the quote is the subject, two characters at least
// (开展“三会一课”1200次 has none before its quote and keeps the name). A quote right before
// the figure names the thing counted: 发放科技型中小企业“创新券”1500万元 keeps it.
void SubjectClauses::trailing_slogan(Subject& s, size_t figure_b) const {
  if (s.empty() || r_.edges.slogan_rule.empty() || s.he > s.hb) return;
  if (s.e >= figure_b && f_.figure_starts_at(figure_b)) return;  // no copula, nor a qualifier (超过200项)
  size_t open = f_.opening_quote(s.e - 1, s.b);
  if (open == 0 || open - 1 < s.b + 2) return;
  size_t e = open - 1;
  if (!is_han(t_[e - 1]) && !is_ascii_alpha(t_[e - 1])) return;
  s.e = e;
  s.rule = r_.edges.slogan_rule;
}

// 实现百吨以上渔船党组织全覆盖 -> 渔船: a bound (百吨以上, 50人以上) read forward measures the
// things right after it; a body set up in them (edges.bound_bodies: 党组织, 党支部) is
// no part of what it measures. Kept when fewer than two characters would be left.
void SubjectClauses::bound_body(Subject& s, size_t figure_end) const {
  if (s.empty() || r_.edges.bound_body_rule.empty() || s.b < figure_end || s.he > s.hb) return;
  if (!r_.threshold_words.longest_ending_at(t_, figure_end)) return;
  auto body = r_.edges.bound_bodies.longest_ending_at(t_, s.e);
  if (!body || s.e - body.len < s.b + 2) return;
  s.e -= body.len;
  s.rule = r_.edges.bound_body_rule;
}

}  // namespace digestx
