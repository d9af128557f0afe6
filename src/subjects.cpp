#include "digestx/subjects.hpp"

#include <algorithm>
#include <array>

#include "digestx/utf.hpp"
#include "subjects_owners.hpp"

namespace digestx {

namespace {

// Whether [q, p) of the text is made of noun suffixes alone (率, 金, 站点).
bool suffixes_only(const SubjectRules& rules, std::u32string_view text, size_t q, size_t p) {
  for (size_t k = q; k < p; ++k)
    if (rules.noun_suffixes.find(text[k]) == std::u32string::npos) return false;
  return q < p;
}

// Where the opening bracket of a gloss ending at p stands ((GDP), （全口径）: letters or
// at most six Chinese characters), or 0.
size_t gloss_before(std::u32string_view s, size_t p, size_t floor) {
  if (p < floor + 3 || (s[p - 1] != ')' && s[p - 1] != U'）')) return 0;
  size_t k = p - 1;
  while (k > floor && p - 1 - k < 6 && (is_han(s[k - 1]) || is_ascii_alpha(s[k - 1]) || s[k - 1] == '&')) --k;
  if (k == p - 1 || k <= floor + 1 || (s[k - 1] != '(' && s[k - 1] != U'（')) return 0;
  return k - 1;
}

}  // namespace

std::u32string_view unit_place_of(std::u32string_view organization, const SubjectRules& rules) {
  const auto& places = rules.unit_places;
  for (size_t k = places.min_chars; k < organization.size(); ++k)
    if (auto ending = places.endings.longest_at(organization, k)) return organization.substr(0, k + ending.len);
  return {};
}

int unit_kind_of(std::u32string_view organization, const SubjectRules& rules) {
  const auto& kinds = rules.unit_places.own_kinds;
  for (size_t k = 0; k < kinds.size(); ++k)
    for (size_t i = 0; i < organization.size(); ++i)
      if (kinds[k].bodies.longest_at(organization, i)) return int(k);
  return -1;
}

size_t SubjectFinder::sentence_begin(size_t pos) const {
  const auto& starts = *in_.sentence_starts;
  auto it = std::upper_bound(starts.begin(), starts.end(), pos);
  return it == starts.begin() ? 0 : *(it - 1);
}

size_t SubjectFinder::sentence_end(size_t pos) const {
  const auto& starts = *in_.sentence_starts;
  auto it = std::upper_bound(starts.begin(), starts.end(), pos);
  return it == starts.end() ? in_.text.size() : *it;
}

// Where the unit of a counted figure starting at p ends, or 0.
size_t SubjectFinder::counted_unit_end(size_t p) const {
  auto it = std::lower_bound(in_.counted.begin(), in_.counted.end(), std::make_pair(p, size_t(0)));
  return it != in_.counted.end() && it->first == p ? it->second : 0;
}

// Another figure starts here: Arabic digits, or a Chinese numeral with a unit after it
// (not the 一 of 第一书记 or 一线).
bool SubjectFinder::figure_starts_at(size_t p) const {
  return is_ascii_digit(in_.text[p]) || counted_unit_end(p) != 0;
}

size_t SubjectFinder::closing_quote(size_t open, size_t limit) const {
  const auto& s = in_.text;
  for (const auto& [o, c] : r_.quote_pairs) {
    if (s[open] != o) continue;
    for (size_t k = open + 1; k < limit && k < open + 20; ++k)
      if (s[k] == c) return k;
  }
  return 0;
}

size_t SubjectFinder::opening_quote(size_t close, size_t floor) const {
  const auto& s = in_.text;
  for (const auto& [o, c] : r_.quote_pairs) {
    if (s[close] != c) continue;
    for (size_t k = close; k-- > floor && k + 20 > close;)
      if (s[k] == o) return k + 1;
  }
  return 0;
}

SubjectFinder::Range SubjectFinder::after(size_t p, size_t limit, bool* clause, size_t figure_begin) const {
  const auto& s = in_.text;
  // 5万吨级泊位: the grade word goes with the figure; the noun after it is the subject.
  if (auto grade = r_.grade_words.longest_at(s, p); grade && p + grade.len < limit) p += grade.len;
  auto direct = phrase_after(p, limit);
  // 问责8名履职不力的干警: the phrase stops inside a clause that goes on to a 的; the
  // count counts the head noun after it (picks.after_clause).
  // 由38名党员组成的志愿服务队: what is made up of the members comes after the 的; the
  // count is the members' (picks.after_clause_not_after).
  bool members = figure_begin > 0 && r_.after_clause_not_after.longest_ending_at(s, figure_begin);
  if (clause && !members && direct.second > direct.first && direct.second < limit && s[direct.second] != r_.head_marker) {
    if (auto head = head_after_clause(direct.second, limit, p)) {
      *clause = true;
      return *head;
    }
  }
  // 两个验收合格的县级融媒体中心: a phrase with a verb in it that stops at 的 describes
  // the head noun after the 的 (not 12个村的…, where the phrase is a noun); so does one
  // with a verb of a clause (12名违反规定的党员, 3个存在问题的村: picks.after_clause_verbs).
  if (direct.second > direct.first && direct.second < limit && s[direct.second] == r_.head_marker) {
    bool verb = holds_verb(r_.stops_before, direct.first, direct.second);
    bool clause_verb = !verb && holds_verb(r_.after_clause_verbs, direct.first, direct.second);
    auto head = verb || clause_verb ? phrase_after(direct.second + 1, limit) : Range{0, 0};
    if (head.second > head.first) {
      if (clause && clause_verb) *clause = true;
      return head;
    }
  }
  if (direct.second > direct.first) return direct;
  // 400余册不适合青少年阅读的课外读物: a clause that starts with a stop word describes
  // the head noun after its 的.
  for (size_t k = p; k < limit && k < p + r_.max_after + r_.max_after; ++k) {
    if (boundary(s[k]) || figure_starts_at(k)) break;
    if (s[k] == r_.head_marker && k > p) return phrase_after(k + 1, limit);
  }
  return direct;
}

// The head noun after the 的 that ends the clause going on at q (the clause began at p),
// or none: a boundary or a figure first, or a list (5个村和社区的党员 counts the list).
std::optional<SubjectFinder::Range> SubjectFinder::head_after_clause(size_t q, size_t limit, size_t p) const {
  const auto& s = in_.text;
  if (r_.after_clause_rule.empty()) return std::nullopt;
  for (size_t k = q; k < limit && k <= p + r_.after_clause_max; ++k) {
    if (boundary(s[k]) || figure_starts_at(k) || r_.list_separators.find(s[k]) != std::u32string::npos) break;
    if (s[k] != r_.head_marker) continue;
    auto head = phrase_after(k + 1, limit);
    if (head.second > head.first) return head;
    break;
  }
  return std::nullopt;
}

// 安全隐患排查整治46次: the verb ending at q and the verb from q to the figure at p are one
// piece of work (picks.verb_pair), so the phrase reads on past the first.
bool SubjectFinder::verb_pair_at(size_t q, size_t p, bool counting) const {
  if (r_.verb_pair_rule.empty() || !counting) return false;
  auto second = r_.verb_pair_ends.longest_at(in_.text, q);
  return second && q + second.len == p && r_.stops_before.longest_ending_at(in_.text, q);
}

bool SubjectFinder::ends_in_verb_pair(const Range& r, bool counting) const {
  auto second = r_.verb_pair_ends.longest_ending_at(in_.text, r.second);
  if (!second || r.second - second.len <= r.first) return false;
  return verb_pair_at(r.second - second.len, r.second, counting);
}

SubjectFinder::Range SubjectFinder::phrase_after(size_t p, size_t limit) const {
  const auto& s = in_.text;
  if (p < limit && s[p] == r_.head_marker) ++p;
  size_t q = p, count = 0;
  // Where a character, a bracket or a quote of the phrase ends: each adds at least one
  // to count, and none is taken once count reaches max_after (at most kMaxPhraseChars),
  // so they fit here (a vector was an allocation per figure).
  std::array<size_t, SubjectRules::kMaxPhraseChars> ends;
  size_t ends_size = 0;
  auto take = [&](size_t len) {
    q += len;
    count += len;
    if (ends_size < ends.size()) ends[ends_size++] = q;
  };
  while (q < limit && count < r_.max_after) {
    char32_t c = s[q];
    // A short bracket inside the phrase: 村(社区)工作者, 县（市、区）委书记.
    if ((c == '(' || c == U'（') && count > 0) {
      size_t k = q + 1;
      while (k < limit && k < q + 6 && s[k] != ')' && s[k] != U'）' &&
             (is_han(s[k]) || r_.list_separators.find(s[k]) != std::u32string::npos))
        ++k;
      if (k < limit && (s[k] == ')' || s[k] == U'）') && k > q + 1) {
        take(k + 1 - q);
        continue;
      }
    }
    if (boundary(c) || figure_starts_at(q)) break;
    // An ordinal of a counted figure is no part of the noun: 9个省级开发区第1名 (not
    // 省级开发区第); 驻村第一书记 has no figure after its 第.
    if (c == U'第' && count > 0 && q + 1 < limit && figure_starts_at(q + 1)) break;
    if (count > 0 && r_.verbs_after_noun.longest_at(s, q)) break;
    if (auto noun = r_.nouns.longest_at(s, q)) {
      take(noun.len);
      continue;
    }
    if (auto noun = r_.nouns_after.longest_at(s, q)) {
      take(noun.len);
      continue;
    }
    if (c == r_.head_marker) break;
    if (r_.hard_stops.longest_at(s, q) || r_.stops_after.longest_at(s, q)) break;
    if (count > 0 && verb_starts_at(q, limit)) break;
    if (size_t close = closing_quote(q, limit)) {
      take(close + 1 - q);
      continue;
    }
    if (!is_han(c) && !is_ascii_alpha(c)) break;
    take(1);
  }
  // Cut by the length limit: end at the last character that ends a noun (者, 站, 率 …),
  // never inside a bracket or a quote.
  if (count >= r_.max_after && q < limit && !boundary(s[q])) {
    for (size_t i = ends_size; i-- > 1;) {
      size_t e = ends[i - 1];
      if (r_.noun_suffixes.find(s[e - 1]) != std::u32string::npos || s[e - 1] == ')' || s[e - 1] == U'”') {
        q = e;
        break;
      }
    }
  }
  return {p, q};
}

// 1.86亿元　党建与学科建设专项投入, 42个　临床科室党支部 (a 数说 box): the figure opens its
// sentence and white space parts it from a label that runs to the sentence's end; the
// label names what it measures, verbs and 与 and all (the phrase after it stopped at the
// space, the one before it found nothing, and the count took the label above it).
std::optional<SubjectFinder::Range> SubjectFinder::figure_label(size_t b, size_t e, size_t lo, size_t hi) const {
  const auto& s = in_.text;
  if (r_.figure_label_rule.empty() || e >= hi || !is_space(s[e]) || s[e] == '\n') return std::nullopt;
  for (size_t k = lo; k < b; ++k)
    if (!is_space(s[k])) return std::nullopt;
  size_t k = e;
  while (k < hi && is_space(s[k]) && s[k] != '\n') ++k;
  size_t label = k;
  if (k < hi && is_ascii_digit(s[k])) return std::nullopt;
  while (k < hi && !boundary(s[k])) ++k;
  // 8个　省级示范村3个: two items, not one label (digit_after_last).
  if (digit_after_last(s, label, k, r_.head_marker)) return std::nullopt;
  size_t end = k;
  while (k < hi && is_space(s[k])) ++k;
  if (k != hi || end - label < 2 || end - label > r_.figure_label_max) return std::nullopt;
  return Range{label, end};
}

// ▶综合网格：56个, 群众诉求办结率：98.2%: a label, a colon, then the figure to the
// sentence's end: the phrase before the colon is read as the phrase right before the
// figure would be (the colon ended it, and the figure had no subject). So words that
// name nothing stay null as they would there: 其中：3个, 合计：62个, 去年：12个, 新增：8个.
// Not 主要做法：新建…4个, where words stand between the colon and the figure.
std::optional<SubjectFinder::Range> SubjectFinder::colon_label(size_t b, size_t e, size_t lo, size_t hi,
                                                               bool counting) const {
  const auto& s = in_.text;
  if (r_.colon_label_rule.empty() || b <= lo + 1 || (s[b - 1] != U'：' && s[b - 1] != ':')) return std::nullopt;
  for (size_t k = e; k < hi; ++k)
    if (!is_space(s[k]) && !boundary(s[k])) return std::nullopt;  // 。 or nothing after it
  size_t end = b - 1;
  while (end > lo && is_space(s[end - 1])) --end;
  bool verb = false;
  Range label = before(end, lo, &verb, counting);
  if (verb || label.second <= label.first || label.second - label.first > r_.figure_label_max) return std::nullopt;
  if (lone_deed(label) || bare_verb(label)) return std::nullopt;
  return label;
}

SubjectFinder::Range SubjectFinder::before(size_t p, size_t floor, bool* verb, bool counting) const {
  const auto& s = in_.text;
  size_t figure = p;
  for (int guard = 0; guard < 4; ++guard) {
    auto c = r_.copulas.longest_ending_at(s, p);
    if (!c || p - c.len < floor) break;
    auto word = r_.hard_stops.longest_ending_at(s, p);  // 有 inside 所有 is no copula
    if (word && word.len > c.len) break;
    auto noun = r_.nouns.longest_ending_at(s, p);  // nor 均 inside 平均
    if (noun && noun.len > c.len) break;
    // nor 约 inside 签约: 重点人群签约3800余人 (the verb of the people counted, edges.verbs_after_noun)
    auto done = r_.verbs_after_noun.longest_ending_at(s, p);
    if (done && done.len > c.len) break;
    p -= c.len;
  }
  // A verb before a copula is a noun: nothing is done "to" the figure there
  // (全市教育投入达到56.8亿元 -> 教育投入; 投入资金56.8亿元 keeps the verb).
  // Not after a per-capita word, which makes the verb a noun: 亩均投入3000元 (亩均投入).
  auto v = r_.verbs_before_figure.longest_ending_at(s, p);
  *verb = p == figure && v && !r_.phrase_starts.longest_ending_at(s, p - v.len);
  if (*verb) return {p, p};
  // Cut by the length limit inside a word (城乡居民基础养老金最低标准提高到…: 乡居民…), the
  // phrase is read again a few characters further; kept only if it then ends naturally.
  // 地区生产总值（GDP）486.3亿元: a short gloss in brackets right before the figure belongs
  // to the noun before it (a bracket is a boundary elsewhere).
  if (size_t open = gloss_before(s, p, floor)) {
    auto noun = before(open, floor, verb, counting);
    return noun.second > noun.first ? Range{noun.first, p} : Range{p, p};
  }
  bool cut_mid = false;
  auto phrase = phrase_before(p, floor, r_.max_before, &cut_mid, counting);
  if (cut_mid && r_.max_before_reach > r_.max_before) {
    bool cut_again = false;
    auto longer = phrase_before(p, floor, r_.max_before_reach, &cut_again, counting);
    if (!cut_again) phrase = longer;
  }
  return phrase;
}

// The noun phrase ending at p, at most `limit` characters back; cut_mid: the limit
// stopped it inside a run of characters that goes on.
SubjectFinder::Range SubjectFinder::phrase_before(size_t p, size_t floor, size_t limit, bool* cut_mid,
                                                  bool counting) const {
  const auto& s = in_.text;
  size_t q = p, count = 0, head_only = 0;  // head_only: where the head after a quoted name begins
  // A name of letters is not cut by the limit (规上工业企业R&D经费支出占GDP比重: not &D经费…).
  auto name_char = [&](char32_t c) { return is_ascii_alpha(c) || c == '&'; };
  while (q > floor && (count < limit || (count < limit + r_.max_before && q < p && name_char(s[q]) && name_char(s[q - 1])))) {
    char32_t c = s[q - 1];
    // Digits glued to letters (5G基站) and an ampersand between letters (R&D经费) are a name.
    // The point of a name's number too (PM2.5浓度: not 5浓度).
    bool in_name = ((is_ascii_digit(c) || (c == '&' && q >= 2 && is_ascii_alpha(s[q - 2]))) && q < p && is_ascii_alpha(s[q])) ||
                   ((is_ascii_digit(c) || c == '.') && named_at(q - 1));
    if (boundary(c) || (is_ascii_digit(c) && !in_name) || ends_a_fact(q)) break;
    // 5万吨级泊位2个: the grade word after the figure before is no part of this noun.
    if (auto grade = r_.grade_words.longest_ending_at(s, q); grade && q - grade.len > floor && ends_a_fact(q - grade.len))
      break;
    if (auto noun = r_.nouns.longest_ending_at(s, q); noun && q - noun.len >= floor) {
      q -= noun.len;
      count += noun.len;
      continue;
    }
    if (c == r_.head_marker) break;
    // The filter first, inline: most characters end no hard stop (hard_stop_before was
    // called 124,000 times on the 2 MB slice, 92,000 of them for nothing).
    if (r_.hard_stops.may_end_with(c) && hard_stop_before(q)) break;
    // A verb before noun suffixes makes a noun (办结率, 慰问金, 服务站点), not before the
    // first character of a longer noun (配备网格员: 格 is no suffix).
    if (count >= 1 && r_.stops_before.longest_ending_at(s, q) && !suffixes_only(r_, s, q, p) &&
        !verb_as_modifier(r_, s, q) && !verb_pair_at(q, p, counting) && !rated_activity_at(q, p))
      break;
    if (c == U'”' || c == U'》' || c == U'」' || c == U'’') {
      // “家庭医生”签约服务覆盖率: a quoted name before the activities a rate measures
      // is part of it, however long they are (rated_activities).
      bool rated = r_.rated_activities.longest_at(s, q) && rated_head_end(q, p) == p;
      if (count > r_.max_after_quote && !rated) break;
      if (size_t open = opening_quote(q - 1, floor)) {
        if (!head_only) head_only = q;
        count += q - (open - 1);
        q = open - 1;
        continue;
      }
      break;
    }
    if (!is_han(c) && !is_ascii_alpha(c) && !in_name && c != ')' && c != '(' && c != U'）' && c != U'（') break;
    --q;
    ++count;
  }
  // Cut past a quoted name by the length limit or inside a word by a bracket
  // (村（居）委会主任“一肩挑”比例达100%): the phrase may have begun anywhere, the head
  // after the quote is sure (比例).
  *cut_mid = q > floor && count >= limit && !boundary(s[q - 1]);
  bool cut = q > floor && (count >= limit ? !boundary(s[q - 1]) : s[q - 1] == ')' || s[q - 1] == U'）');
  if (head_only && cut) q = head_only;
  // A lone opening bracket left at the start is not part of the phrase.
  while (q < p && (s[q] == ')' || s[q] == U'）')) ++q;
  return {q, p};
}

// A verb that takes an object starts at q (近800户困难群众发放临时救助金: 发放), unless
// a noun suffix follows it and makes it part of a noun (便民服务站, 水质监测点).
bool SubjectFinder::verb_starts_at(size_t q, size_t limit) const {
  auto v = r_.verbs_before_figure.longest_at(in_.text, q);
  if (!v) return false;
  size_t after = q + v.len;
  return after >= limit || r_.noun_suffixes.find(in_.text[after]) == std::u32string::npos;
}

// Whether a verb of `verbs` (stops_before: 验收, 建设, 服务…) starts anywhere in [b, e).
bool SubjectFinder::holds_verb(const Lexicon& verbs, size_t b, size_t e) const {
  for (size_t k = b; k < e; ++k)
    if (auto v = verbs.longest_at(in_.text, k); v && k + v.len <= e) return true;
  return false;
}

// Whether the phrase is a verb and nothing else: 计划建设5万千瓦光伏电站 gives 建设 before
// the figure, and the noun after it is the subject (完成5G基站建设46座 keeps 5G基站建设,
// 完成投资85.6亿元 keeps 投资: nothing after it).
bool SubjectFinder::bare_verb(const Range& r) const {
  auto v = r_.stops_before.longest_at(in_.text, r.first);
  return v && r.first + v.len == r.second;
}

// Whether the phrase is one word of stops_after and nothing else: 签约 of 签约约3000人.
bool SubjectFinder::lone_deed(const Range& r) const {
  if (r_.lone_deed_rule.empty()) return false;
  auto w = r_.stops_after.longest_at(in_.text, r.first);
  return w && r.first + w.len == r.second;
}

// An activity ending at q right before the rate of it, within the phrase ending at p
// (教师培训覆盖率达到95% -> 教师培训覆盖率, not 覆盖率): there the verb names what is rated.
bool SubjectFinder::rated_activity_at(size_t q, size_t p) const {
  return r_.rated_activities.longest_ending_at(in_.text, q) && rated_head_end(q, p) != 0;
}

// Where the head of a rate starting at q ends within p, past activities in a row before
// it (签约服务覆盖率: 签约, 服务, then 覆盖率), or 0.
size_t SubjectFinder::rated_head_end(size_t q, size_t p) const {
  for (int guard = 0; guard < 4 && q < p; ++guard) {
    if (auto head = r_.rated_heads.longest_at(in_.text, q); head && q + head.len <= p) return q + head.len;
    auto next = r_.rated_activities.longest_at(in_.text, q);
    if (!next) return 0;
    q += next.len;
  }
  return 0;
}

// 新成立小区党支部（18个）: the figure [b, e) stands alone in brackets (picks.bracketed_figure).
bool SubjectFinder::bracketed_figure(size_t b, size_t e) const {
  const auto& bf = r_.bracketed_figure;
  const auto& s = in_.text;
  if (bf.rule.empty() || b == 0 || e >= s.size()) return false;
  size_t k = bf.open.find(s[b - 1]);
  return k != std::u32string::npos && s[e] == bf.close[k];
}

// The bracket at k closes a figure alone in brackets noted before: 楼宇经济税收（8.6亿元）同比增长11.2%.
bool SubjectFinder::closes_bracketed_figure(size_t k) const {
  for (auto it = seen_.rbegin(); it != seen_.rend() && it->e >= k; ++it)
    if (it->e == k) return bracketed_figure(it->b, it->e);
  return false;
}

bool SubjectFinder::holds_rated_activity(const Range& r) const {
  // The filter first, inline: most characters end no activity (rated_activity_at was
  // called 95,000 times here on the 2 MB slice, nearly all for nothing).
  for (size_t k = r.first + 1; k < r.second; ++k)
    if (r_.rated_activities.may_end_with(in_.text[k - 1]) && rated_activity_at(k, r.second)) return true;
  return false;
}

// A hard stop ending at q, unless it is the tail of a longer verb (与 in 参与) or a
// one-character word that usually starts a noun on this side (就 in 就业).
bool SubjectFinder::hard_stop_before(size_t q) const {
  const auto& s = in_.text;
  auto h = r_.hard_stops.longest_ending_at(s, q);
  if (!h) return false;
  // The character test first: it refuses as the verb lookup would, and costs less.
  if (h.len == 1 && r_.single_char_stops_before.find(s[q - 1]) == std::u32string::npos) return false;
  auto v = r_.stops_before.longest_ending_at(s, q);
  return !(v && v.len > h.len);
}

// Digits of a name noted at pos (开通24小时自助服务区: 24, refused as a time in a name).
bool SubjectFinder::named_at(size_t pos) const {
  for (auto it = seen_.rbegin(); it != seen_.rend() && it->e > pos; ++it)
    if (it->named && it->b <= pos) return true;
  return false;
}

bool SubjectFinder::ends_a_fact(size_t q) const {
  for (auto it = seen_.rbegin(); it != seen_.rend(); ++it) {
    if (it->e == q) return !it->named;  // a name (5G) is part of the phrase
    if (it->e < q) break;
  }
  return false;
}

Subject SubjectFinder::find(size_t b, size_t e, bool classifier, std::string_view kind) const {
  // sentence_begin(b) and sentence_end(b), from one search.
  const auto& starts = *in_.sentence_starts;
  auto next = std::upper_bound(starts.begin(), starts.end(), b);
  size_t lo = next == starts.begin() ? 0 : *(next - 1), hi = next == starts.end() ? in_.text.size() : *next;
  SubjectOwners owners(*this);
  bool verb = false, clause = false;
  // The phrase after the figure, read when first asked: a figure without a measure word
  // whose phrase before it is a noun never asks (after() was 13 M instructions on the
  // 2 MB slice). It lies after the figure, so it equals no other pick but a purpose.
  std::optional<Range> fwd_read;
  auto fwd = [&]() -> const Range& {
    if (!fwd_read) fwd_read = after(e, hi, &clause, b);
    return *fwd_read;
  };
  auto fwd_ok = [&] { return fwd().second > fwd().first; };
  bool bracketed = bracketed_figure(b, e);
  // A count with a noun after it (101个网格) takes that noun, or the one past a level
  // (past_level): the phrase before it is never picked, so it is not read (it was a
  // quarter of the figures and 13 M instructions on the 2 MB slice). Left empty, it
  // equals no pick: those lie after the figure.
  // 选派医疗骨干二十余名组建8支党员医疗服务队: a verb right after the count starts what the
  // counted do (verbs_before_figure); the noun before the count is theirs (it was 组建).
  bool fwd_verb = classifier && fwd_ok() && verb_starts_at(fwd().first, hi);
  bool back_read = !(classifier && fwd_ok()) || fwd_verb;
  auto back = back_read ? before(bracketed ? b - 1 : b, lo, &verb, classifier) : Range{b, b};
  bool share_whole = back_read && owners.extend_over_share(back, lo, classifier);
  // 签约约3000人, 审结12103件: a count's phrase that is only what the counted do (stops_after)
  // names no noun; null, never the verb (picks.lone_deed).
  bool deed = classifier && back_read && lone_deed(back);
  bool back_ok = back.second > back.first && !deed && !(bare_verb(back) && fwd_ok());
  bool fwd_after_de = e < in_.text.size() && in_.text[e] == r_.head_marker;
  Range pick{0, 0};
  Subject s;
  if (auto label = back.second <= back.first && !fwd_ok() ? figure_label(b, e, lo, hi) : std::nullopt) {
    s.b = label->first;
    s.e = label->second;
    s.rule = r_.figure_label_rule;
    return s;
  }
  if (auto label = back.second <= back.first && !fwd_ok() ? colon_label(b, e, lo, hi, classifier) : std::nullopt) {
    s.b = label->first;
    s.e = label->second;
    s.rule = r_.colon_label_rule;
    return s;
  }
  if (classifier) {
    if (auto level = owners.past_level(e, hi)) pick = *level, s.rule = r_.past_threshold_rule;
    else if (fwd_verb && back_ok) pick = back, s.rule = r_.before_rule;
    else if (fwd_ok()) pick = fwd(), s.rule = fwd_after_de ? r_.after_de_rule : r_.after_rule;
    else if (auto past = owners.past_threshold(e, hi)) pick = *past, s.rule = r_.past_threshold_rule;
    else if (auto rule = owners.unnamed_people(b, e, lo, hi); !rule.empty()) return Subject{b, b, 0, 0, rule};
    else if (back_ok) pick = back, s.rule = r_.before_rule;
  } else if (auto purpose = purpose_after(b, e, hi)) {
    pick = *purpose, s.rule = r_.edges.purpose_rule;
  } else if (r_.grade_words.longest_at(in_.text, e) && fwd_ok()) {
    pick = fwd(), s.rule = r_.grade_rule;  // 10万吨级航道整治工程: the class of the noun after
  } else if (!r_.bound_forward_rule.empty() && r_.threshold_words.longest_ending_at(in_.text, e) && fwd_ok() &&
             fwd().first == e) {
    pick = fwd(), s.rule = r_.bound_forward_rule;  // 力争年内发展35岁以下党员: 党员, not 年内发展
  } else {
    if (back_ok) pick = back, s.rule = r_.before_rule;
    else if (fwd_ok()) pick = fwd(), s.rule = r_.after_rule;
  }
  bool picked_fwd = pick.second > pick.first && pick != back && pick == fwd();
  if (picked_fwd && clause) s.rule = r_.after_clause_rule;
  if (picked_fwd && r_.count_verbs.longest_at(in_.text, pick.second)) s.rule = r_.count_verb_rule;
  if (pick == back && share_whole) s.rule = r_.share_whole_rule;
  if (pick == back && bracketed && pick.second > pick.first) s.rule = r_.bracketed_figure.rule;
  if (pick == back && !r_.rated_activity_rule.empty() && holds_rated_activity(back)) s.rule = r_.rated_activity_rule;
  if (pick == back && ends_in_verb_pair(back, classifier)) s.rule = r_.verb_pair_rule;
  if (pick == back && pick.second > pick.first && r_.object_verbs.longest_ending_at(in_.text, pick.first))
    s.rule = r_.object_verb_rule;
  if (pick.second <= pick.first) {
    if (auto sh = owners.share_owner(b, lo, classifier)) pick = *sh, s.rule = r_.share_rule;
  }
  if (deed && pick.second <= pick.first) return Subject{b, b, 0, 0, r_.lone_deed_rule};
  if (pick.second <= pick.first && !verb) {
    bool opens = false;  // a figure opening its clause: null, and the rule that refused says so
    if (auto inh = owners.inherited(b, lo, e, hi, &opens); inh && owners.passes_on(*inh, kind))
      pick = *inh, s.rule = r_.inherited_rule;
    else if (opens)
      s.rule = r_.inherited_clause_subject.rule;
  }
  s.b = pick.first;
  s.e = pick.second;
  trim_edges(s, b, e, {lo, hi}, pick == back, classifier);
  return s;
}

void SubjectFinder::note(size_t b, size_t e, bool named, const Subject& s) {
  seen_.push_back({b, e, named, s.b, s.e});
}

}  // namespace digestx
