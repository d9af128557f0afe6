// Figures whose digits copying damaged (a PDF, a news site, OCR). Where one reading is
// certain the token reader takes it (the spaced point: 增长12. 5%); where none is, the
// figure is found here, whole, so that the scanner leaves it out with a warning instead
// of reading the digits after the damage as a figure of their own (新增就业2,3000名 gave
// 3000名, 机械化率达到76 4% gave 4%, 完成投资1O0万元 gave 0万元, without a word).
#include "numeral_scan.hpp"

namespace digestx::numerals {

size_t TokenReader::digit_run_end(size_t p) const {
  while (digit_at(p)) ++p;
  return p;
}

// Past the white space of space_separators at p, kMaxInnerSpaces of it at most.
size_t TokenReader::separators_end(size_t p) const {
  size_t e = p;
  while (e < s_.size() && in(r_.space_separators, s_[e]) && e - p < kMaxInnerSpaces) ++e;
  return e;
}

size_t TokenReader::decimals_end(size_t p) const {
  return is_point(p) && digit_at(p + 1) ? digit_run_end(p + 1) : p;
}

// Whether the character at p, after a run of digits, may start damage, a ratio or a
// spaced point (the rules' own tests need one of these).
bool TokenReader::damage_may_follow(size_t p) const {
  if (p >= s_.size()) return false;
  char32_t c = s_[p];
  return c >= r_.damage_may_follow.size() || r_.damage_may_follow[c] || is_space(c);
}

std::optional<Damage> TokenReader::damage_at(size_t i) const {
  if (!digit_at(i) || (i > 0 && digit_at(i - 1))) return std::nullopt;
  size_t p = digit_run_end(i);
  // Most figures end at a character that no rule looks at, nor a unit before more digits
  // (the loop below): 2022年, 3500余名, 100万元.
  bool letter_before = i > 0 && in(r_.damaged_letters.chars_before, s_[i - 1]);
  if (!letter_before && !damage_may_follow(p) && !(unit_char_at(p) && digit_at(p + 1))) return std::nullopt;
  if (auto d = ratio_at(i, p)) return d;
  if (auto d = damaged_run(i, p, true)) return d;
  // 新增就业3万2,3000人: the digits after a unit character belong to the same figure, so
  // damage there leaves out the whole of it (read apart it was 3万2 and 3000人).
  for (size_t k = decimals_end(p); unit_char_at(k) && digit_at(k + 1);) {
    size_t j = k + 1, q = digit_run_end(j);
    if (auto d = damaged_run(j, q, false)) return Damage{i, d->e, d->rule};
    k = decimals_end(q);
  }
  return std::nullopt;
}

// 师生比1:12, 医护比达到1∶1.2, 按1:1比例配套: a ratio, which no kind of the contract holds
// (numbers.json ratio). Read apart, its figures were refused as bare, lost without a word;
// now left out whole with a warning. Only with a word of a ratio before it in its clause
// (words) or right after it (after_words): 9:30 is a time.
std::optional<Damage> TokenReader::ratio_at(size_t i, size_t p) const {
  const auto& rule = r_.ratio;
  if (rule.name.empty()) return std::nullopt;
  size_t q = decimals_end(p);
  if (q >= s_.size() || !in(rule.chars, s_[q]) || !digit_at(q + 1)) return std::nullopt;
  size_t e = decimals_end(digit_run_end(q + 1));
  // 10:30:15, a time of day: no ratio at its start nor inside it.
  if (e < s_.size() && in(rule.chars, s_[e])) return std::nullopt;
  if (i >= 2 && in(rule.chars, s_[i - 1]) && digit_at(i - 2)) return std::nullopt;
  if (rule.after_words.longest_at(s_, e)) return Damage{i, e, &rule};
  constexpr size_t kMaxClause = 24;
  // ... or before it, after the word (分别增收1,200万元和1,500万元: the second).
  for (size_t k = i; k > 0 && i - k < kMaxClause && !in(rule.not_after, s_[k - 1]); --k) {
    if (rule.words.longest_ending_at(s_, k)) return Damage{i, e, &rule};
    if (k < i && digit_at(k - 1)) return std::nullopt;
  }
  return std::nullopt;
}

// The damage of the run of digits [i, p). `first`: the run starts the figure; inside it
// (after 万) white space is judged by the figure's start, so it is not looked at here.
std::optional<Damage> TokenReader::damaged_run(size_t i, size_t p, bool first) const {
  if (!may_be_damaged(i, p)) return std::nullopt;
  if (auto d = damaged_grouping(i, p)) return d;
  if (auto d = damaged_letters(i, p)) return d;
  if (first) {
    if (auto d = damaged_inner_space(i, p)) return d;
    if (auto d = damaged_dotted_chain(i, p)) return d;
  }
  if (auto d = damaged_list_comma(i, p)) return d;
  return damaged_stop(i, p);
}

// What every damage below needs around the run of digits [i, p): a letter before it
// (改造l2个), a digit one past its end (2,3000名, 1O0万元, 12。5%, 1，200万元), or white space
// or a point right after it (76 4%, 1. 5. 3%). Most figures have none (3500余名, 2022年):
// one test, not the six rules' own (490 instructions a figure).
bool TokenReader::may_be_damaged(size_t i, size_t p) const {
  if (i > 0 && in(r_.damaged_letters.chars_before, s_[i - 1])) return true;
  if (p >= s_.size()) return false;
  if (digit_at(p + 1)) return true;
  char32_t c = s_[p];
  return is_space(c) || in(r_.spaced_points, c) || in(r_.space_separators, c);
}

// 2,3000名, 12,3456元, 1,2345.6万元, 2,30,000元, 12,5%: commas that group no thousands.
// 1,680 and 12,345,678 group them and are read.
std::optional<Damage> TokenReader::damaged_grouping(size_t i, size_t p) const {
  const auto& rule = r_.damaged_grouping;
  auto comma_at = [&](size_t k) { return k < s_.size() && in(rule.chars, s_[k]) && digit_at(k + 1); };
  if (rule.name.empty() || !comma_at(p)) return std::nullopt;
  if (i >= 2 && in(rule.chars, s_[i - 1]) && digit_at(i - 2)) return std::nullopt;  // judged at the chain's start
  bool groups_thousands = p - i <= 3;
  size_t q = p;
  while (comma_at(q)) {
    size_t g = digit_run_end(q + 1);
    groups_thousands = groups_thousands && g - (q + 1) == 3;
    q = g;
  }
  if (groups_thousands) return respectively_commas(i, decimals_end(q));
  return Damage{i, decimals_end(q), &rule};
}

// 分别完成投资1,200,850,960万元: commas that group thousands [i, e) after a word of
// respectively in the clause (a list run together, or thousands?).
std::optional<Damage> TokenReader::respectively_commas(size_t i, size_t e) const {
  const auto& rule = r_.respectively_commas;
  constexpr size_t kMaxClause = 40;
  if (rule.name.empty()) return std::nullopt;
  // A group opening with 0 is no item of a list (分别奖励1,000元): thousands.
  for (size_t k = i; k + 1 < e; ++k)
    if (in(rule.chars, s_[k]) && s_[k + 1] == '0') return std::nullopt;
  // Another figure in the clause after it (分别增收1,200万元和1,500万元), or the next item
  // right after its break (分别为1,260万元，1,580万元): the list is there, and the commas
  // group thousands.
  for (size_t k = e; k < s_.size() && k - e < kMaxClause; ++k) {
    if (digit_at(k)) return std::nullopt;
    if (!in(rule.not_after, s_[k])) continue;
    size_t next = k + 1;
    while (next < s_.size() && is_space(s_[next])) ++next;
    if (digit_at(next)) return std::nullopt;
    break;
  }
  // ... or a figure before it in its clause (分别增收1,200万元和1,500万元: the second;
  // 3个村分别奖励2,500元: a count of those the word shares among).
  bool word = false;
  for (size_t k = i; k > 0 && i - k < kMaxClause && !in(rule.not_after, s_[k - 1]); --k) {
    word = word || rule.words.longest_ending_at(s_, k);
    if (k < i && digit_at(k - 1)) return std::nullopt;
  }
  if (word) return Damage{i, e, &rule};
  return std::nullopt;
}

// 1O0万元, 2l5户: a letter between digits; 改造l2个: l or I alone before digits. Not in
// a word or code of letters and digits (O2O, CO2, I2C).
std::optional<Damage> TokenReader::damaged_letters(size_t i, size_t p) const {
  const auto& rule = r_.damaged_letters;
  if (rule.name.empty()) return std::nullopt;
  size_t b = i, q = p;
  bool damaged = false;
  if (i > 0 && in(rule.chars_before, s_[i - 1]) && (i < 2 || !is_ascii_alpha(s_[i - 2]))) {
    b = i - 1;
    damaged = true;
  }
  while (q + 1 < s_.size() && in(rule.chars, s_[q]) && digit_at(q + 1)) {
    q = digit_run_end(q + 1);
    damaged = true;
  }
  if (!damaged || (b > 0 && is_ascii_alpha(s_[b - 1])) || (q < s_.size() && is_ascii_alpha(s_[q])))
    return std::nullopt;
  return Damage{b, decimals_end(q), &rule};
}

// 机械化率达到76 4%: white space inside a number glued to the word before it, grouping
// no thousands. A column of figures has white space before its first number as well
// (城关镇 12 98.5%); 5 000万元 groups thousands.
std::optional<Damage> TokenReader::damaged_inner_space(size_t i, size_t p) const {
  const auto& rule = r_.damaged_inner_space;
  if (rule.name.empty() || i == 0 || !is_han(s_[i - 1])) return std::nullopt;
  size_t q = separators_end(p);
  if (q == p || !digit_at(q) || separator_at(p, i)) return std::nullopt;
  return Damage{i, decimals_end(digit_run_end(q)), &rule};
}

// 增长12。5%: a full stop between digits.
std::optional<Damage> TokenReader::damaged_stop(size_t i, size_t p) const {
  const auto& rule = r_.damaged_stop;
  if (rule.name.empty() || p + 1 >= s_.size() || !in(rule.chars, s_[p]) || !digit_at(p + 1)) return std::nullopt;
  return Damage{i, decimals_end(digit_run_end(p + 1)), &rule};
}

// 投入资金1，200万元: a full-width comma between half-width digits, before groups of three:
// thousands grouped with the input method's comma (12,000,000 元), or a list's comma
// (排名第3，200余家企业参与); read apart it was 200万元, without a word. Full-width digits
// grouped so (１，２５０万元) are thousands (TokenReader::separator_at).
std::optional<Damage> TokenReader::damaged_list_comma(size_t i, size_t p) const {
  const auto& rule = r_.damaged_list_comma;
  auto group_at = [&](size_t k) {
    return k + 1 < s_.size() && in(rule.chars, s_[k]) && digit_at(k + 1) && !fullwidth_at(k + 1) &&
           digit_run_end(k + 1) - (k + 1) == 3;
  };
  if (rule.name.empty() || p - i > 3 || fullwidth_at(p - 1) || !group_at(p)) return std::nullopt;
  if (i > 0 && in(rule.not_after, s_[i - 1])) return std::nullopt;  // $20，300美圆: a list of prices
  if (i >= 2 && in(rule.chars, s_[i - 1]) && digit_at(i - 2)) return std::nullopt;  // judged at the chain's start
  size_t q = p;
  while (group_at(q)) q = digit_run_end(q + 1);
  return Damage{i, decimals_end(q), &rule};
}

// 增长1. 5. 3%: points with white space beside them joining three runs of digits or more,
// in running text, before a unit: a lost digit or a list run together; read apart it was
// 3%. Without white space (2022.3.15, 1.5.3) every part is an integer of a name.
std::optional<Damage> TokenReader::damaged_dotted_chain(size_t i, size_t p) const {
  const auto& rule = r_.damaged_dotted_chain;
  if (rule.name.empty() || !spaced_point_glued(i)) return std::nullopt;
  size_t q = p, parts = 1;
  bool spaced = false;
  for (;;) {
    size_t at = skip_spaces(q, kMaxInnerSpaces);
    if (at >= s_.size() || !in(r_.spaced_points, s_[at])) break;
    size_t f = skip_spaces(at + 1, kMaxInnerSpaces);
    if (!digit_at(f)) break;
    spaced = spaced || at != q || f != at + 1;
    q = digit_run_end(f);
    ++parts;
  }
  // A figure only where a unit follows (版本1. 5. 3 is a version, a name).
  size_t u = skip_spaces(q, kMaxInnerSpaces);
  if (parts < 3 || !spaced || !(unit_char_at(u) || r_.unit_words.longest_at(s_, u))) return std::nullopt;
  return Damage{i, q, &rule};
}

// Whether the integer starting at i is glued to a Chinese word (one or two spaces
// between at most): running text, not a list marker at the start of a line.
bool TokenReader::spaced_point_glued(size_t i) const {
  size_t b = i;
  while (b > 0 && in(r_.space_separators, s_[b - 1]) && i - b < kMaxInnerSpaces) --b;
  return b > 0 && is_han(s_[b - 1]);
}

// 增长12. 5%, 投资1 . 5亿元, 增长12 .5%: the fraction's first digit after a point with
// white space beside it, in running text (the integer [i, p) glued to a Chinese word, one
// or two spaces between at most), or 0. A list marker (1. 5个村) starts a line.
size_t TokenReader::spaced_fraction_at(size_t i, size_t p) const {
  if (r_.spaced_point_rule.empty()) return 0;
  size_t q = separators_end(p);
  if (q >= s_.size() || !in(r_.spaced_points, s_[q])) return 0;
  size_t f = separators_end(q + 1);
  if ((q == p && f == q + 1) || !digit_at(f)) return 0;
  if (!spaced_point_glued(i)) return 0;
  size_t after = separators_end(digit_run_end(f));  // 1. 5. 3: a dotted chain, no decimal
  if (after < s_.size() && is_point(after) && digit_at(separators_end(after + 1))) return 0;
  return f;
}

}  // namespace digestx::numerals
