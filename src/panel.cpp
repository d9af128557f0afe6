// The panel: organisations keyed across years, one row per organisation and year,
// plans of Y-1 linked to the outcomes reported for Y, changes of secretary. Works on
// PanelDigests only (see digest_for_panel): a join over facts, not over texts.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

#include "digestx/panel.hpp"

namespace digestx {

namespace {

// One spelling of an organisation (normal form) in one region, wherever it occurs.
struct Spelling {
  std::string region;
  std::u32string normal;
  std::map<std::string, std::pair<size_t, int>> written;  // as written -> (times, latest year)
  std::set<size_t> digests;
  std::set<int> years;
  std::set<std::u32string> roles;
  std::vector<std::pair<size_t, size_t>> units;  // (digest, unit)
  size_t group = 0;  // union-find parent
  const std::string* rule = nullptr;  // the rule that joined it to its group
};

struct Spellings {
  std::vector<Spelling> all;
  std::map<std::pair<std::string, std::u32string>, size_t> index;
  size_t find(size_t i) {
    while (all[i].group != i) i = all[i].group = all[all[i].group].group;
    return i;
  }
};

Spellings collect_spellings(const std::vector<PanelDigest>& digests, const PanelRules& rules) {
  Spellings s;
  for (size_t d = 0; d < digests.size(); ++d)
    for (const PanelUnit& u : digests[d].units) {
      auto key = std::make_pair(digests[d].region, org_key(u.organization, digests[d].region, rules));
      auto [it, fresh] = s.index.emplace(key, s.all.size());
      if (fresh) s.all.push_back({key.first, key.second, {}, {}, {}, {}, {}, s.all.size(), nullptr});
      Spelling& sp = s.all[it->second];
      auto& w = sp.written[u.organization];
      ++w.first;
      w.second = std::max(w.second, digests[d].year.value_or(0));
      sp.digests.insert(d);
      if (digests[d].year) sp.years.insert(*digests[d].year);
      sp.roles.insert(panel_normal(u.role, rules));
      sp.units.push_back({d, size_t(&u - digests[d].units.data())});
    }
  return s;
}

template <class T>
bool overlap(const std::set<T>& a, const std::set<T>& b) {
  for (const T& x : a)
    if (b.count(x)) return true;
  return false;
}

// Plans of one spelling's year reported, with the very same subject, kind and unit,
// by the other spelling's next year (市住房城乡建设局党组 plans 改造城镇老旧小区70个,
// 保障性租赁住房3000套; 市住建局党组 reports both a year later).
size_t plans_reported(const std::vector<PanelDigest>& d, const Spelling& a, const Spelling& b, const PanelRules& rules) {
  size_t n = 0;
  for (auto [da, ua] : a.units)
    for (auto [db, ub] : b.units) {
      if (!d[da].year || !d[db].year || *d[db].year != *d[da].year + 1) continue;
      for (const PanelFact& plan : d[da].units[ua].plans)
        for (const PanelFact& outcome : d[db].units[ub].outcomes)
          if (plan.kind == outcome.kind && plan.unit == outcome.unit && !plan.subject.empty() &&
              panel_normal(plan.subject, rules) == panel_normal(outcome.subject, rules)) {
            ++n;
            break;
          }
    }
  return n;
}

// The rule that makes a and b one organisation, or nullptr.
const std::string* variant_rule(const std::vector<PanelDigest>& d, const Spelling& a, const Spelling& b,
                                const PanelRules& rules) {
  double ratio = variant_ratio(a.normal, b.normal, rules);
  if (ratio >= rules.variant_min_ratio) return &rules.variant_rule;
  if (ratio < rules.evidence_min_ratio || ratio == 0) return nullptr;
  size_t shared = std::max(plans_reported(d, a, b, rules), plans_reported(d, b, a, rules));
  return shared >= rules.evidence_min_plans ? &rules.evidence_rule : nullptr;
}

// What two spellings variant_ratio may join have in common: the region, the first
// character, the place (石桥镇, never 石桥铺镇) and the last characters (党委). Only the
// spellings of one bucket are compared, so a region of 16,000 towns is not 16,000².
using Bucket = std::tuple<std::string, char32_t, std::u32string, std::u32string>;

Bucket bucket_of(const Spelling& sp, const PanelRules& rules) {
  std::u32string_view n = sp.normal;
  std::u32string_view tail = n.substr(n.size() - std::min(n.size(), rules.variant_same_suffix));
  return {sp.region, n.empty() ? U'\0' : n.front(), std::u32string(place_of(n, rules.place_suffixes)),
          std::u32string(tail)};
}

// A year that every spelling of the bucket was seen in: no two of them can ever join.
bool one_year_for_all(const Spellings& s, const std::vector<size_t>& bucket) {
  std::set<int> common = s.all[bucket[0]].years;
  for (size_t k = 1; k < bucket.size() && !common.empty(); ++k) {
    std::set<int> both;
    for (int y : s.all[bucket[k]].years)
      if (common.count(y)) both.insert(y);
    common.swap(both);
  }
  return !common.empty();
}

// The positions of a bucket's spellings by their length.
std::map<size_t, std::vector<size_t>> by_length(const Spellings& s, const std::vector<size_t>& order) {
  std::map<size_t, std::vector<size_t>> out;
  for (size_t y = 0; y < order.size(); ++y) out[s.all[order[y]].normal.size()].push_back(y);
  return out;
}

// The positions after x of the spellings of another length than x's, in order: two
// spellings of one length never run through each other (市金山局党组, 市玉山局党组), so a
// bucket of 4,000 bureaus 市XYZ局党组 over two years compares none of them.
std::vector<size_t> later_of_other_lengths(const std::map<size_t, std::vector<size_t>>& lengths, size_t length,
                                           size_t x) {
  std::vector<size_t> out;
  for (const auto& [n, positions] : lengths)
    if (n != length) out.insert(out.end(), std::upper_bound(positions.begin(), positions.end(), x), positions.end());
  std::sort(out.begin(), out.end());
  return out;
}

// Learns variants: two spellings of one region join when variant_rule holds, they
// share a role, and their groups never meet in one digest nor in one year (a digest
// that names both holds two organisations). Groups never span buckets, so each bucket
// is learned alone, its pairs in the order of s.index (region, spelling), those of one
// length left out.
void learn_variants(Spellings& s, const std::vector<PanelDigest>& d, const PanelRules& rules) {
  std::vector<std::set<size_t>> digests(s.all.size());
  std::vector<std::set<int>> years(s.all.size());
  for (size_t i = 0; i < s.all.size(); ++i) digests[i] = s.all[i].digests, years[i] = s.all[i].years;
  std::map<Bucket, std::vector<size_t>> buckets;
  for (const auto& [key, i] : s.index) buckets[bucket_of(s.all[i], rules)].push_back(i);
  for (const auto& [key, order] : buckets) {
    if (order.size() < 2 || one_year_for_all(s, order)) continue;
    auto lengths = by_length(s, order);
    for (size_t x = 0; x + 1 < order.size(); ++x)
      for (size_t y : later_of_other_lengths(lengths, s.all[order[x]].normal.size(), x)) {
        size_t i = order[x], j = order[y];
        const Spelling &a = s.all[i], &b = s.all[j];
        if (!overlap(a.roles, b.roles)) continue;
        size_t ga = s.find(i), gb = s.find(j);
        if (ga == gb || overlap(digests[ga], digests[gb]) || overlap(years[ga], years[gb])) continue;
        const std::string* rule = variant_rule(d, a, b, rules);
        if (!rule) continue;
        s.all[gb].group = ga;
        s.all[j].rule = rule;
        digests[ga].insert(digests[gb].begin(), digests[gb].end());
        years[ga].insert(years[gb].begin(), years[gb].end());
      }
  }
}

// A body's spelling with its renames undone (organization renamed: 县卫生计生局党委 as
// 县卫生健康委员会党委, 县卫健委党委 too) and a township's level as the level it became
// (organization upgraded: 桃坪乡党委 as 桃坪镇党委). `upgraded` says whether the level changed.
std::u32string renamed_form(std::u32string n, const PanelRules& rules, bool& upgraded) {
  for (const auto& group : rules.renamed_groups)
    for (size_t k = 1; k < group.size(); ++k)
      if (size_t at = n.find(group[k]); at != std::u32string::npos) {
        n.replace(at, group[k].size(), group[0]);
        break;
      }
  upgraded = false;
  size_t place = place_of(n, rules.place_suffixes).size();
  for (const auto& [from, to] : rules.upgrades)
    if (place > from.size() && n.compare(place - from.size(), from.size(), from) == 0) {
      n.replace(place - from.size(), from.size(), to);
      upgraded = true;
      break;
    }
  return n;
}

// The digests and the years of a spelling's group.
std::pair<std::set<size_t>, std::set<int>> group_seen(Spellings& s, size_t root) {
  std::pair<std::set<size_t>, std::set<int>> out;
  for (size_t i = 0; i < s.all.size(); ++i)
    if (s.find(i) == root) {
      out.first.insert(s.all[i].digests.begin(), s.all[i].digests.end());
      out.second.insert(s.all[i].years.begin(), s.all[i].years.end());
    }
  return out;
}

// Whether two sets of roles share a post, posts held together taken one by one: a
// renamed body's head is 书记、局长 before and 书记、主任 or 书记 after.
bool posts_meet(const std::set<std::u32string>& a, const std::set<std::u32string>& b) {
  auto posts = [](const std::set<std::u32string>& roles) {
    std::set<std::u32string> out;
    for (const std::u32string& r : roles)
      for (size_t from = 0; from <= r.size();) {
        size_t to = std::min(r.find(U'、', from), r.size());
        if (to > from) out.insert(r.substr(from, to - from));
        from = to + 1;
      }
    return out;
  };
  return overlap(posts(a), posts(b));
}

// Joins spellings that name one body across a rename or an upgrade, as learn_variants
// joins variants: a shared role, never both in one digest or one year; an upgrade only
// forward in time (桃坪乡 in 2018, 桃坪镇 from 2019: never a town made a township again).
// Before, 县卫生计生局党委, 县卫生健康委员会党委 and 县卫健委党委 were three organisations
// and 桃坪乡党委, 桃坪镇党委 two, their plans no_row and the new secretaries missed.
void learn_renames(Spellings& s, const PanelRules& rules) {
  if (rules.renamed_rule.empty() && rules.upgraded_rule.empty()) return;
  std::map<std::pair<std::string, std::u32string>, std::vector<std::pair<size_t, bool>>> by_form;
  for (size_t i = 0; i < s.all.size(); ++i) {
    bool upgraded = false;
    std::u32string form = renamed_form(s.all[i].normal, rules, upgraded);
    by_form[{s.all[i].region, std::move(form)}].push_back({i, upgraded});
  }
  for (const auto& [form, members] : by_form)
    for (size_t x = 1; x < members.size(); ++x) {
      auto [i, i_lower] = members[0];
      auto [j, j_lower] = members[x];
      size_t gi = s.find(i), gj = s.find(j);
      if (gi == gj || !posts_meet(s.all[i].roles, s.all[j].roles)) continue;
      auto [di, yi] = group_seen(s, gi);
      auto [dj, yj] = group_seen(s, gj);
      if (overlap(di, dj) || overlap(yi, yj) || yi.empty() || yj.empty()) continue;
      bool level_changed = i_lower != j_lower;
      if (level_changed && (i_lower ? *yi.rbegin() > *yj.begin() : *yj.rbegin() > *yi.begin())) continue;
      const std::string* rule = level_changed ? &rules.upgraded_rule : &rules.renamed_rule;
      if (rule->empty()) continue;
      s.all[gj].group = gi;
      s.all[j].rule = rule;
      if (!s.all[i].rule) s.all[i].rule = rule;  // whichever of the two becomes the key, the alias names it
    }
}

// The key is the spelling written most often (the latest on a tie); the others are
// its aliases, each with the rule that joined it.
PanelOrg make_org(Spellings& s, const std::vector<size_t>& members, const PanelRules& rules) {
  PanelOrg org;
  org.region = s.all[members[0]].region;
  std::tuple<size_t, int, std::string> best{0, 0, ""};
  const std::u32string* key_normal = nullptr;
  for (size_t m : members)
    for (const auto& [written, seen] : s.all[m].written) {
      std::tuple<size_t, int, std::string> t{seen.first, seen.second, written};
      if (!key_normal || t > best) best = t, key_normal = &s.all[m].normal;
    }
  org.key = std::get<2>(best);
  for (size_t m : members)
    for (const auto& [written, seen] : s.all[m].written) {
      if (written == org.key) continue;
      org.aliases.push_back(written);
      bool same = s.all[m].normal == *key_normal;
      org.alias_rules.push_back(same ? rules.same_spelling_rule : s.all[m].rule ? *s.all[m].rule : rules.variant_rule);
    }
  return org;
}

// Orgs, and for each (region, normal spelling) the org it belongs to.
std::map<std::pair<std::string, std::u32string>, size_t> key_orgs(Panel& p, const PanelRules& rules) {
  Spellings s = collect_spellings(p.digests, rules);
  learn_variants(s, p.digests, rules);
  learn_renames(s, rules);
  std::map<size_t, std::vector<size_t>> groups;
  for (size_t i = 0; i < s.all.size(); ++i) groups[s.find(i)].push_back(i);
  std::vector<std::pair<PanelOrg, const std::vector<size_t>*>> made;
  for (auto& [root, members] : groups) made.push_back({make_org(s, members, rules), &members});
  // Orgs in the order of (region, key): the rows, and so every list, follow it.
  std::sort(made.begin(), made.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.region, a.first.key) < std::tie(b.first.region, b.first.key);
  });
  std::map<std::pair<std::string, std::u32string>, size_t> org_of;
  for (auto& [org, members] : made) {
    for (size_t m : *members) org_of[{s.all[m].region, s.all[m].normal}] = p.orgs.size();
    p.orgs.push_back(std::move(org));
  }
  return org_of;
}

void make_rows(Panel& p, const PanelRules& rules) {
  auto org_of = key_orgs(p, rules);
  for (size_t d = 0; d < p.digests.size(); ++d)
    for (size_t u = 0; u < p.digests[d].units.size(); ++u) {
      const PanelUnit& unit = p.digests[d].units[u];
      p.rows.push_back({org_of.at({p.digests[d].region, org_key(unit.organization, p.digests[d].region, rules)}), d, u});
    }
  // Orgs come ordered by (region, spelling) already; digests by input order.
  auto order = [&](const PanelRow& r) {
    return std::make_tuple(r.org, p.digests[r.digest].year.value_or(0), r.digest, r.unit);
  };
  std::sort(p.rows.begin(), p.rows.end(), [&](const PanelRow& a, const PanelRow& b) { return order(a) < order(b); });
}

}  // namespace

void link_plans(Panel& p, const PanelRules& rules);  // panel_links.cpp

namespace {

const PanelUnit& unit_of(const Panel& p, const PanelRow& r) { return p.digests[r.digest].units[r.unit]; }

void find_secretary_changes(Panel& p, const PanelRules& rules) {
  for (size_t i = 1; i < p.rows.size(); ++i) {
    const PanelRow &a = p.rows[i - 1], &b = p.rows[i];
    auto ya = p.digests[a.digest].year, yb = p.digests[b.digest].year;
    if (a.org != b.org || !ya || !yb || *ya == *yb) continue;
    std::u32string from = panel_normal(unit_of(p, a).name, rules), to = panel_normal(unit_of(p, b).name, rules);
    if (from.empty() || to.empty() || from == to) continue;
    p.secretary_changes.push_back({a.org, i - 1, i, rules.change_rule});
  }
}

// One line per organisation with several rows in a year (the same digest given
// twice, or two digests of one year): its links are drawn from and to each row.
void warn_duplicates(Panel& p) {
  std::map<size_t, std::vector<int>> years;  // org -> years with several rows
  std::map<size_t, std::string> example;
  for (size_t i = 1; i < p.rows.size(); ++i) {
    const PanelRow &a = p.rows[i - 1], &b = p.rows[i];
    auto ya = p.digests[a.digest].year, yb = p.digests[b.digest].year;
    if (a.org != b.org || !ya || !yb || *ya != *yb) continue;
    auto& list = years[a.org];
    if (list.empty()) example[a.org] = p.digests[a.digest].source + ", " + p.digests[b.digest].source;
    if (list.empty() || list.back() != *ya) list.push_back(*ya);
  }
  for (const auto& [org, list] : years) {
    std::string which;
    for (size_t i = 0; i < list.size() && i < 5; ++i) which += (i ? ", " : "") + std::to_string(list[i]);
    if (list.size() > 5) which += " and " + std::to_string(list.size() - 5) + " more years";
    p.warnings.push_back(p.orgs[org].key + " has several rows for " + which + " (" + example[org] +
                         "): plans are linked from and to each of them");
  }
  size_t no_region = 0;
  for (const PanelDigest& d : p.digests) {
    if (!d.year) p.warnings.push_back(d.source + ": no report year: its rows are not linked");
    if (d.region.empty() && !no_region++)
      p.warnings.push_back(d.source + " (and any other digest without a region): no region found, so its "
                           "organisations are keyed by their spelling alone (市财政局党组 of two cities would be one)");
  }
}

}  // namespace

Panel build_panel(std::vector<PanelDigest> digests, const PanelRules& rules) {
  Panel p;
  p.digests = std::move(digests);
  make_rows(p, rules);
  warn_duplicates(p);
  link_plans(p, rules);
  find_secretary_changes(p, rules);
  return p;
}

}  // namespace digestx
