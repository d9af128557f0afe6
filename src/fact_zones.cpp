// Exclusion zones of the facts stage (exclusions.json): quotes, web addresses, names
// of meetings, set phrases, period markers, versions. Each lookup answers with the
// name of the rule that refuses the numeral, so that --explain can say why a figure
// was not taken.
#include "fact_text.hpp"

namespace digestx::facts {

ExclusionZones::ExclusionZones(const FactText& t) : t_(t) {
  version_before_max_ = t_.x_.version_before_max;
  if (!version_before_max_ && !t_.numerals_.empty())
    for (char32_t c : t_.x_.version_before_chars) version_before_max_ = std::max(version_before_max_, c);
  find_quote_zones();
  find_url_zones();
  find_institution_names();
}

std::string_view ExclusionZones::refusal(const Numeral& n) const {
  const ExclusionRules& x = t_.x_;
  if (zone_at(urls_, n.begin)) return x.url_rule;
  if (unit_label_before(n)) return x.unit_label_rule;
  if (const Zone* z = zone_at(institutions_, n.begin)) return x.institution_names[z->rule].name;
  if (auto set = set_phrase_rule(n.begin, n.end); !set.empty()) return set;
  if (campaign_name(n)) return x.campaign.name;
  return {};
}

// exclusions.json unit_labels: a numeral of magnitudes alone (千, 百万) right after a unit
// label and its colon, white space around it or not: 金额单位：千元, （单位 ：百万元）. A count
// after a label is a figure (全镇参评单位：32个).
bool ExclusionZones::unit_label_before(const Numeral& n) const {
  const ExclusionRules& x = t_.x_;
  const std::u32string_view s = t_.s_;
  if (x.unit_label_rule.empty()) return false;
  for (size_t k = n.begin; k < n.end; ++k)
    if (!in_set(x.unit_label_magnitudes, s[k])) return false;
  size_t p = n.begin;
  while (p > 0 && is_space(s[p - 1])) --p;
  if (p == 0 || (s[p - 1] != U':' && s[p - 1] != U'：')) return false;
  --p;
  while (p > 0 && is_space(s[p - 1])) --p;
  return bool(x.unit_label_words.longest_ending_at(s, p));
}

// exclusions.json campaign_names: a bare 百, 千 or 万 (no digit, no 一 before it) and a
// measure word opening the name of a campaign, unquoted, that a word of campaigns closes
// further on in its clause: 开展百名书记讲党课活动, 实施千名党员进万家行动 (they came out as
// counts of 100 and 1000 people, summable, without a word). Not after a bound (上千名党员
// 参与活动: more than a thousand) nor where no such word follows (选派百名干部驻村 stays a count).
bool ExclusionZones::campaign_name(const Numeral& n) const {
  const auto& c = t_.x_.campaign;
  const std::u32string_view s = t_.s_;
  if (c.name.empty() || n.end != n.begin + 1 || !in_set(c.numerals, s[n.begin])) return false;
  if (!quote_rule(n.begin, n.end).empty()) return false;  // “万人助万企”: a quoted name, kind name
  if (n.begin > 0 && in_set(c.not_after_chars, s[n.begin - 1])) return false;
  // A verb that launches a campaign right before it (开展, 实施) for a name closed by 活动,
  // 行动…: 组织百名党员参加植树活动, 选派千名干部下基层开展帮扶活动 count the people who
  // took part (review of probe 12b). A second bare numeral pairs without one (组织千名干部进万家).
  const bool launched = bool(c.after_verbs.longest_ending_at(s, n.begin));
  auto unit = c.units.longest_at(s, n.end);
  if (!unit) return false;
  for (size_t k = n.end + unit.len; k < s.size() && k <= n.end + unit.len + c.max_chars; ++k) {
    if (in_set(c.breaks, s[k]) || c.not_between.longest_at(s, k)) return false;
    if (c.words.longest_at(s, k)) return launched;
    // 千名干部进万家: a second bare 百/千/万 answers the first (not 增收万元, 2万户).
    if (c.paired && in_set(c.numerals, s[k]) && !t_.r_.numbers.info(s[k - 1]) && !is_ascii_digit(s[k - 1]) &&
        (k + 1 >= s.size() || !c.not_paired_before.longest_at(s, k + 1)))
      return true;
  }
  return false;
}

std::string_view ExclusionZones::name_rule(const Numeral& n, size_t b) const {
  if (auto q = quote_rule(b, n.end); !q.empty()) return q;
  if (is_version(n)) return t_.x_.version_rule;
  return {};
}

std::pair<size_t, size_t> ExclusionZones::institution_span(size_t pos) const {
  const Zone* z = zone_at(institutions_, pos);
  if (!z) return {0, 0};
  size_t end = z->close;
  for (const Zone* next = z + 1; next != institutions_.data() + institutions_.size() && next->open == end; ++next)
    end = next->close;
  return {z->open, end};
}

// The zone that holds pos: the last one opening at or before it, if it closes after.
const ExclusionZones::Zone* ExclusionZones::zone_at(const std::vector<Zone>& zones, size_t pos) {
  auto it = std::upper_bound(zones.begin(), zones.end(), pos, [](size_t p, const Zone& z) { return p < z.open; });
  return it != zones.begin() && pos < (it - 1)->close ? &*(it - 1) : nullptr;
}

void ExclusionZones::find_quote_zones() {
  const ExclusionRules& x = t_.x_;
  std::u32string_view s = t_.s_;
  std::vector<std::pair<size_t, size_t>> stack;  // (quote rule index, position)
  const std::vector<bool>& quote_chars = x.quote_chars;
  const size_t known = quote_chars.size();
  for (size_t i = 0; i < s.size(); ++i) {
    // Most characters are no quote mark: passed in a loop of their own.
    while (i < s.size() && s[i] < known && !quote_chars[s[i]]) ++i;
    if (i == s.size()) break;
    char32_t c = s[i];
    for (size_t k = 0; k < x.quotes.size(); ++k) {
      const auto& q = x.quotes[k];
      if (c != q.open && c != q.close) continue;
      bool closes = false;
      if (c == q.close) {
        for (size_t m = stack.size(); m-- > 0;) {
          if (stack[m].first != k) continue;
          // A quote ending in a clause break or a sentence end is speech, not a name: “去年，
          // 城关镇推动38个住宅小区成立党支部，…93%。” (its figures were names, their units cut
          // off); not “两个确保，三个提升” (a slogan), nor a book's title 《…，…》.
          size_t open = stack[m].second;
          bool speech = q.open != U'《' && q.open != U'〈' && i > open + 1 &&
                        x.speech_marks.find(s[i - 1]) != std::u32string::npos;
          if (i - open <= x.max_quote_chars && !speech) zones_.push_back({open, i, k});
          stack.resize(m);
          closes = true;
          break;
        }
      }
      if (!closes && c == q.open) stack.emplace_back(k, i);
      break;
    }
    if (stack.size() > 64) stack.erase(stack.begin());  // unbalanced marks cannot pile up
  }
  std::sort(zones_.begin(), zones_.end(), [](const Zone& a, const Zone& b) { return a.open < b.open; });
  // The zone that closes last among those up to each one: a lookup is then a binary
  // search, not a walk over every zone before it (quadratic on a long paragraph).
  size_t reach = 0;
  for (size_t k = 0; k < zones_.size(); ++k) {
    if (k == 0 || zones_[k].close > zones_[reach].close) reach = k;
    zone_reach_.push_back(reach);
  }
}

// Inside a quote zone that opens before b and closes at or after e: that zone's rule.
std::string_view ExclusionZones::quote_rule(size_t b, size_t e) const {
  auto it = std::lower_bound(zones_.begin(), zones_.end(), b, [](const Zone& z, size_t p) { return z.open < p; });
  size_t before = size_t(it - zones_.begin());
  if (before == 0) return {};
  const Zone& z = zones_[zone_reach_[before - 1]];
  return e <= z.close ? std::string_view(t_.x_.quotes[z.rule].name) : std::string_view();
}

namespace {
// The places at which s[b] stands in the words of `list` (CharPlaces): a word that covers b
// starts at b - k for one of them, so only those starts are looked up (39.6万元's 3 stands
// in no set phrase). Every place when b is past the text.
uint64_t places_of(const Lexicon& list, std::u32string_view s, size_t b) {
  return b < s.size() ? list.char_places().places(s[b]) : ~uint64_t(0);
}
}  // namespace

std::string_view ExclusionZones::set_phrase_rule(size_t b, size_t e) const {
  const ExclusionRules& x = t_.x_;
  std::u32string_view s = t_.s_;
  size_t max = x.set_phrases.max_len();
  const uint64_t places = places_of(x.set_phrases, s, b);
  for (size_t k = CharPlaces::next(places, 0); k <= max && k <= b; k = CharPlaces::next(places, k + 1)) {
    size_t start = b - k;
    auto m = x.set_phrases.longest_at(s, start);
    if (!m || start + m.len <= b) continue;
    // 17×24米: a phrase that opens with a digit (7×24) opens no number inside another.
    if (start > 0 && is_ascii_digit(s[start]) && is_ascii_digit(s[start - 1])) continue;
    auto ex = x.set_phrase_exceptions.longest_at(s, start);
    if (ex && ex.len >= m.len) continue;
    if (x.set_phrase_bounds.voided(s, start, m.len, size_t(m.value))) continue;
    if (t_.q_.ordinal_prefixes.longest_ending_at(s, start)) continue;  // 第一批 is an ordinal
    return x.set_phrase_rules[size_t(m.value)];
  }
  // Period markers hold numerals too (一年来, 过去一年): they are not quantities.
  const Lexicon& markers = t_.r_.periods.marker_words;
  const uint64_t marker_places = places_of(markers, s, b);
  for (size_t k = CharPlaces::next(marker_places, 0); k <= markers.max_len() && k <= b;
       k = CharPlaces::next(marker_places, k + 1)) {
    auto m = markers.longest_at(s, b - k);
    if (m && b - k + m.len > b) return t_.r_.periods.markers[size_t(m.value)].name;
  }
  // A name that starts right after the numeral: 十五分钟生活圈; not after a verb of its
  // rule's counted_after (召开3次全会: three plenaries held, a count).
  if (auto m = x.set_phrases.longest_at(s, e); m && !t_.r_.numbers.info(s[e]) && !is_ascii_digit(s[e])) {
    const Lexicon& counted = *x.set_phrase_counted_after[size_t(m.value)];
    // ... unless the session's work follows (召开三次全会精神宣讲会: a meeting on its spirit).
    const Lexicon& named = *x.set_phrase_named_before[size_t(m.value)];
    if (!counted.empty() && counted.longest_ending_at(s, b) && !named.longest_at(s, e + m.len)) return {};
    return x.set_phrase_rules[size_t(m.value)];
  }
  return {};
}

bool ExclusionZones::is_version(const Numeral& n) const {
  const ExclusionRules& x = t_.x_;
  std::u32string_view s = t_.s_;
  size_t b = n.begin, e = n.end;
  bool indicator = b > 0 && x.version_not_after.longest_ending_at(s, b);  // GDP412.6亿元
  if (b > 0 && !indicator && s[b - 1] <= version_before_max_ &&
      x.version_before_chars.find(s[b - 1]) != std::u32string::npos)
    return true;
  // 5G is a name, 168cm a length.
  if (x.version_latin_glued && e < s.size() && is_ascii_alpha(s[e]) && n.arabic && !t_.unit_at(e)) return true;
  if (x.version_after_words.longest_at(s, e)) return true;
  // A part of a dotted chain: 3.0.1, 2022.3.15.
  if (e + 1 < s.size() && s[e] == '.' && is_ascii_digit(s[e + 1])) return true;
  if (b >= 2 && s[b - 1] == '.' && is_ascii_digit(s[b - 2])) return true;
  return false;
}

// 2024 of 2024届毕业生: four Arabic digits of a year (19xx, 20xx), nothing else in the numeral.
bool year_digits(std::u32string_view s, const Numeral& n) {
  if (n.end - n.begin != 4 || n.end > s.size()) return false;
  for (uint32_t k = n.begin; k < n.end; ++k)
    if (!is_ascii_digit(s[k])) return false;
  return (s[n.begin] == '1' && s[n.begin + 1] == '9') || (s[n.begin] == '2' && s[n.begin + 1] == '0');
}

// Session and edition numbers inside the names of meetings and events
// (exclusions.json institution_names): 第十二届全省少数民族传统体育运动会,
// 十四届人大一次会议. A bare 一次 counts only right after such a name.
void ExclusionZones::find_institution_names() {
  const auto& rules = t_.x_.institution_names;
  for (size_t r = 0; r < rules.size(); ++r) {
    const auto& rule = rules[r];
    for (const Numeral& n : t_.numerals_) {
      if (rule.ordinal_only) {  // 县第一人民医院, 第二中学: the ordinal names the institution
        if (!rule.words.longest_at(t_.s_, n.end)) continue;  // the name first: most numerals have none
        auto di = t_.q_.ordinal_prefixes.longest_ending_at(t_.s_, n.begin);
        if (size_t end = di ? institution_word_end(rule, n.end) : 0) institutions_.push_back({n.begin - di.len, end, r});
        continue;
      }
      auto unit = rule.units.longest_at(t_.s_, n.end);
      if (!unit || (rule.year_only && !year_digits(t_.s_, n))) continue;
      auto di = t_.q_.ordinal_prefixes.longest_ending_at(t_.s_, n.begin);
      bool bare_ok = bool(rule.bare_units.longest_at(t_.s_, n.end));
      bool after_name = !institutions_.empty() && institutions_.back().close == n.begin;
      if (!di && !bare_ok && !after_name) continue;
      // A class (2024届) names no more than itself: the noun after it is what a figure
      // after counts (2024届高校毕业生320名: 320名's subject 高校毕业生).
      if (size_t end = institution_word_end(rule, n.end + unit.len))
        institutions_.push_back({di ? n.begin - di.len : n.begin, rule.year_only ? n.end + unit.len : end, r});
    }
  }
  std::sort(institutions_.begin(), institutions_.end(), [](const Zone& a, const Zone& b) { return a.open < b.open; });
}

// Where the name that starts at p ends with one of the rule's words, or 0.
size_t ExclusionZones::institution_word_end(const ExclusionRules::InstitutionName& rule, size_t p) const {
  std::u32string_view s = t_.s_;
  for (size_t k = p; k < s.size() && k <= p + rule.max_chars; ++k) {
    if (auto w = rule.words.longest_at(s, k)) return k + w.len;
    if (!is_han(s[k]) || t_.boundary(s[k])) break;
  }
  return 0;
}

// Web addresses: from http:// or www. to the next space or non-ASCII character.
void ExclusionZones::find_url_zones() {
  const ExclusionRules& x = t_.x_;
  std::u32string_view s = t_.s_;
  if (x.url_starts.empty()) return;
  const char32_t first_max = x.url_first_max ? x.url_first_max : char32_t(~0u);
  for (size_t i = 0; i < s.size();) {
    // Most characters (Han) are past every address's first character: 9 M instructions
    // per 2 MB of text when each was looked up.
    if (s[i] > first_max) {
      ++i;
      continue;
    }
    auto m = x.url_starts.longest_at(s, i);
    if (!m) {
      ++i;
      continue;
    }
    size_t e = i + m.len;
    while (e < s.size() && s[e] > ' ' && s[e] < 0x7F) ++e;
    urls_.push_back({i, e, 0});
    i = e;
  }
}

}  // namespace digestx::facts
