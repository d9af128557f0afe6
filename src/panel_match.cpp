// Comparing across years: spellings of organisations, names and subjects, all on a
// normal form (width folded, simplified, without spaces, quotes and brackets), so that
// 陈　光 is 陈光 and 暖“新”驿站 is 暖新驿站.
#include <algorithm>
#include <map>

#include "digestx/panel.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"

namespace digestx {

std::u32string panel_normal(std::string_view utf8, const PanelRules& rules) {
  std::u32string folded = fold(from_utf8(utf8));
  std::u32string out;
  out.reserve(folded.size());
  for (char32_t c : folded) {
    if (is_space(c) || is_line_break(c) || rules.ignore_chars.find(c) != std::u32string::npos) continue;
    out += c;
  }
  return out;
}

namespace {

// The length of the longest suffix of `suffixes` (longest first) at `at`, 0 for none.
size_t suffix_at(std::u32string_view key, size_t at, const std::vector<std::u32string>& suffixes) {
  for (const std::u32string& s : suffixes)
    if (key.size() - at >= s.size() && key.compare(at, s.size(), s) == 0) return s.size();
  return 0;
}

bool ends_with(std::u32string_view s, std::u32string_view end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

}  // namespace

std::u32string_view place_of(std::u32string_view key, const std::vector<std::u32string>& suffixes) {
  for (size_t i = 0; i < key.size(); ++i) {
    size_t end = i + suffix_at(key, i, suffixes);
    if (end == i) continue;
    while (size_t more = end < key.size() ? suffix_at(key, end, suffixes) : 0) end += more;
    return key.substr(0, end);
  }
  return {};
}

namespace {

// What follows the region's name is a place of a lower level (城关镇 in 桐溪县城关镇党委),
// not a body of the region (教育局 in 泸川县教育局党组, 农业农村局: 农村 is no place).
bool names_place_below(std::u32string_view rest, const PanelRules& rules) {
  const auto& suffixes = rules.place_suffixes.empty() ? rules.places_below_region : rules.place_suffixes;
  std::u32string_view place = place_of(rest, suffixes);
  for (const std::u32string& level : rules.places_below_region)
    if (place.size() > level.size() && ends_with(place, level)) return true;
  return false;
}

}  // namespace

std::u32string org_key(std::string_view organization, std::string_view region, const PanelRules& rules) {
  std::u32string key = panel_normal(organization, rules);
  std::u32string place = panel_normal(region, rules);
  // 中共石桥镇委员会 is 石桥镇党委 (中共X县委员会 is X县委). Before the region's name is
  // looked for: 中共桐溪县城关镇委员会 names it after 中共.
  const std::u32string& prefix = rules.full_name_prefix;
  if (!rules.full_name_rule.empty() && key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0)
    for (const auto& [ending, short_form] : rules.full_name_endings)
      if (key.size() > prefix.size() + ending.size() && ends_with(key, ending)) {
        key = key.substr(prefix.size(), key.size() - prefix.size() - ending.size()) + short_form;
        break;
      }
  // 泸川县教育局党组 in 泸川县's digest is its 县教育局党组: the region's level (县) stays;
  // 桐溪县城关镇党委 in 桐溪县's digest is 城关镇党委: a town is named without its county.
  if (!rules.region_prefix_rule.empty() && place.size() >= 2 && key.size() > place.size() &&
      key.compare(0, place.size(), place) == 0)
    key.erase(0, names_place_below(std::u32string_view(key).substr(place.size()), rules) ? place.size()
                                                                                       : place.size() - 1);
  return key;
}

std::string without_spaces(std::string_view utf8) {
  std::string out;
  for (char32_t c : from_utf8(utf8))
    if (!is_space(c)) append_utf8(out, c);
  return out;
}

double shared_chars(std::u32string_view a, std::u32string_view b) {
  if (a.empty() || b.empty()) return 0;
  std::map<char32_t, int> left;
  for (char32_t c : a) ++left[c];
  size_t common = 0;
  for (char32_t c : b) {
    auto it = left.find(c);
    if (it != left.end() && it->second > 0) {
      --it->second;
      ++common;
    }
  }
  return 2.0 * double(common) / double(a.size() + b.size());
}

namespace {

bool ends_alike(std::u32string_view a, std::u32string_view b, size_t n) {
  return a.size() >= n && b.size() >= n && a.substr(a.size() - n) == b.substr(b.size() - n);
}

// `shorter` runs through `longer` in order (两新工委 through 两新组织工委).
bool runs_through(std::u32string_view shorter, std::u32string_view longer) {
  size_t at = 0;
  for (char32_t c : longer)
    if (at < shorter.size() && shorter[at] == c) ++at;
  return at == shorter.size();
}

bool rule_holds(const SubjectRule& r, std::u32string_view a, std::u32string_view b) {
  using M = SubjectRule::Method;
  if (r.method != M::equal && std::min(a.size(), b.size()) < r.min_chars) return false;
  switch (r.method) {
    case M::equal: return a == b;
    case M::contained: {
      std::u32string_view s = a.size() <= b.size() ? a : b, l = a.size() <= b.size() ? b : a;
      return s.size() >= r.min_chars && l.find(s) != std::u32string_view::npos;
    }
    case M::head_noun: return ends_alike(a, b, r.head_chars) && shared_chars(a, b) >= r.min_shared;
    case M::shared_chars: return shared_chars(a, b) >= r.min_shared;
  }
  return false;
}

}  // namespace

bool generic_subject(std::u32string_view subject, const PanelRules& rules) {
  return !rules.generic_subject_rule.empty() &&
         std::find(rules.generic_subjects.begin(), rules.generic_subjects.end(), subject) != rules.generic_subjects.end();
}

const SubjectRule* match_subjects(std::u32string_view planned, std::u32string_view achieved, const PanelRules& rules) {
  if (planned.empty() || achieved.empty()) return nullptr;
  // 投入资金150万元 and 发放困难党员慰问资金12万元, both cut to 资金, are two funds: a bare
  // generic head says nothing of what the money is for (subject.generic_head).
  if (generic_subject(planned, rules) || generic_subject(achieved, rules)) return nullptr;
  const SubjectRule* best = nullptr;
  for (const SubjectRule& r : rules.subject_rules)
    if ((!best || r.score > best->score) && rule_holds(r, planned, achieved)) best = &r;
  return best;
}

double variant_ratio(std::u32string_view a, std::u32string_view b, const PanelRules& rules) {
  if (a == b || a.empty() || b.empty()) return 0;
  std::u32string_view s = a.size() <= b.size() ? a : b, l = a.size() <= b.size() ? b : a;
  // The place name leads and the kind of body ends a spelling: both must agree.
  if (s.size() < rules.variant_min_chars || s.front() != l.front()) return 0;
  if (!ends_alike(s, l, rules.variant_same_suffix) || !runs_through(s, l)) return 0;
  // The place is the identity: 石桥铺镇党委 runs through 石桥镇党委 but is another town.
  if (place_of(s, rules.place_suffixes) != place_of(l, rules.place_suffixes)) return 0;
  return double(s.size()) / double(l.size());
}

bool variant_spellings(std::u32string_view a, std::u32string_view b, const PanelRules& rules) {
  return variant_ratio(a, b, rules) >= rules.variant_min_ratio;
}

}  // namespace digestx
