// The review page: header, warnings, filters, summary table, the source text
// (render_text.cpp) and a table of all facts. Markup only; the look and the
// behaviour (filters, tooltips, sorting) are render/review.css and render/review.js,
// embedded at build time (cmake/embed_render.cmake).
#include "digestx/render.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "digestx/output.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/panel.hpp"
#include "digestx/periods.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "render_assets.hpp"
#include "render_parts.hpp"
#include "registry_generated.hpp"

namespace digestx {

namespace render_parts {

// ---------------------------------------------------------------- words

namespace {

// The kinds in the order of the registry (rules/kinds.json, generated into the
// build): quantities first, then the numbers that are not quantities.
size_t kind_rank(std::string_view kind) {
  const auto& kinds = generated_kinds();
  for (size_t i = 0; i < kinds.size(); ++i)
    if (kind == kinds[i].name) return i;
  return kinds.size();
}

bool summed_aspect(std::string_view aspect) {
  for (const GeneratedAspect& a : generated_aspects())
    if (aspect == a.name) return a.summable;
  return false;
}

}  // namespace

std::string kind_label(std::string_view kind) {
  size_t r = kind_rank(kind);
  return r < generated_kinds().size() ? generated_kinds()[r].label : std::string(kind);
}

bool is_quantity_kind(std::string_view kind) {
  size_t r = kind_rank(kind);
  return r < generated_kinds().size() && generated_kinds()[r].quantity;
}

bool is_totalled_kind(std::string_view kind) {
  size_t r = kind_rank(kind);
  return r < generated_kinds().size() && generated_kinds()[r].totalled;
}

// Kinds come from rules files, which users may replace: keep class names tame.
std::string kind_class(std::string_view kind) {
  std::string out = "k-";
  for (char c : kind) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  return out;
}

std::vector<std::string> all_kinds() {
  std::vector<std::string> out;
  for (const GeneratedKind& k : generated_kinds()) out.push_back(k.name);
  return out;
}

std::vector<std::string> kinds_in_order(std::vector<std::string> kinds) {
  std::sort(kinds.begin(), kinds.end(), [](const std::string& a, const std::string& b) {
    size_t ra = kind_rank(a), rb = kind_rank(b);
    return ra != rb ? ra < rb : a < b;
  });
  kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
  return kinds;
}

const char* period_key(Period p) {
  const char* name = period_name(p);
  return name ? name : "none";
}

std::optional<int> period_year(Period p, std::optional<int> report_year, int plan_offset) {
  return year_of(p, report_year, plan_offset);
}

std::string period_label(Period p, std::optional<int> report_year, int plan_offset) {
  std::string out = p == Period::last_year ? "last year" : p == Period::this_year ? "this year" : "no period";
  if (auto y = period_year(p, report_year, plan_offset)) out += " " + std::to_string(*y);
  return out;
}

std::string qualifier_label(std::string_view q) {
  std::string out(q);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string number_text(size_t n) { return grouped(Decimal::of((long long)n)); }

// ---------------------------------------------------------------- markup helpers

void attr(std::string& out, const char* name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  append_html(out, value);
  out += '"';
}

void source_text(std::string& out, const Document& doc, Span s) {
  if (s.end > doc.text.size() || s.empty()) return;
  append_html(out, std::u32string_view(doc.text).substr(s.start, s.size()));
}

void source_text(std::string& out, const Document& doc, const Pieces& pieces) {
  for (const Span& s : pieces) source_text(out, doc, s);
}

std::string range_raw(const Fact& f) { return f.range ? f.range->first.str() + "," + f.range->second.str() : ""; }

std::string range_text(const Fact& f) {
  return f.range ? grouped(f.range->first) + "–" + grouped(f.range->second) : "";
}

std::string value_text(const Fact& f) { return f.value ? grouped(*f.value) : ""; }

// The rules behind a fact, as --explain names them.
std::string rules_text(const Fact& f) {
  std::string out;
  auto add = [&out](const char* what, const std::string& rule) {
    if (rule.empty()) return;
    if (!out.empty()) out += " · ";
    out += what;
    out += ' ';
    out += rule;
  };
  if (!f.rules) return out;
  add("kind", f.rules->kind);
  std::string numerals;
  for (const auto& r : f.rules->numeral) numerals += (numerals.empty() ? "" : " + ") + r;
  add("numeral", numerals);
  add("unit", f.rules->unit);
  add("qualifier", f.rules->qualifier);
  add("subject", f.rules->subject);
  return out;
}

}  // namespace render_parts

namespace {

using namespace render_parts;

// A table cell; `sort` is the value the column sorts by when it is not the text.
void cell(std::string& out, std::string_view text, const char* cls = nullptr, std::string_view sort = {}) {
  out += "<td";
  if (cls) attr(out, "class", cls);
  if (!sort.empty()) attr(out, "data-v", sort);
  out += '>';
  append_html(out, text);
  out += "</td>";
}

// ---------------------------------------------------------------- header and warnings

void meta_item(std::string& out, const char* label, const std::string& value) {
  out += "<div><dt>";
  out += label;
  out += "</dt><dd>";
  append_html(out, value);
  out += "</dd></div>";
}

size_t all_facts(const Document& doc) {
  size_t n = 0;
  for (const auto& u : doc.units) n += u.facts.size();
  for (const auto& sb : doc.sidebars) n += sb.facts.size();
  return n;
}

// The title as the JSON gives it: a title set over several lines has its lines
// joined by a space (Document::title_breaks).
std::string document_title(const Document& doc) {
  if (doc.title.empty()) return doc.source.path;
  std::string title;
  for (size_t i = 0; i < doc.title.size(); ++i) {
    if (std::find(doc.title_breaks.begin(), doc.title_breaks.end(), i) != doc.title_breaks.end()) title += ' ';
    title += slice(doc.text, doc.title[i]);
  }
  return title;
}

void write_header(Section& s) {
  const Document& doc = s.doc;
  std::string& out = s.out;
  out += "<header class=\"doc-head\"><h1";
  attr(out, "id", s.id + "-title");
  out += '>';
  if (doc.title.empty()) out += "<span class=\"none\">untitled</span> ";
  append_html(out, document_title(doc));
  out += "</h1>";
  if (!doc.subtitle.empty()) {
    out += "<p class=\"subtitle\">";
    source_text(out, doc, doc.subtitle);
    out += "</p>";
  }
  out += "<dl class=\"meta\">";
  meta_item(out, "region", region_of(doc).empty() ? "unknown" : region_of(doc));
  meta_item(out, "report year",
            doc.report_year ? std::to_string(*doc.report_year) + " (last year " + std::to_string(*doc.report_year) +
                                  ", this year " + std::to_string(*doc.report_year + doc.plan_year_offset) + ")"
                            : "unknown");
  meta_item(out, "units", std::to_string(doc.units.size()));
  meta_item(out, "facts", number_text(all_facts(doc)));
  meta_item(out, "source", doc.source.path + " · " + (doc.source.encoding.empty() ? "?" : doc.source.encoding) +
                               (doc.source.bom ? " with BOM" : "") + " · " + number_text(doc.text.size()) + " chars");
  out += "</dl></header>\n";
}

void write_warnings(Section& s) {
  if (s.warnings.empty()) return;
  std::string& out = s.out;
  out += "<section class=\"warnings\"><h2>Warnings</h2><ul>";
  for (const WarningRef& w : s.warnings) {
    out += "<li";
    attr(out, "id", w.id);
    out += "><code>";
    append_html(out, w.warning->code);
    out += "</code> ";
    append_html(out, w.warning->message);
    if (w.in_text) {
      out += " <a";
      attr(out, "href", "#" + w.id + "-at");
      out += ">show in the text</a>";
    } else if (w.warning->has_span) {
      Span on_page = s.doc.page.to_page(w.warning->span);
      out += " <span class=\"note\">at characters " + std::to_string(on_page.start) + "–" +
             std::to_string(on_page.end) + ", outside the paragraphs shown</span>";
    }
    out += "</li>";
  }
  out += "</ul></section>\n";
}

// ---------------------------------------------------------------- filters

void filter_button(std::string& out, const std::string& value, const std::string& label, size_t n, const char* swatch) {
  out += "<button type=\"button\"";
  attr(out, "data-value", value);
  attr(out, "aria-pressed", value.empty() ? "true" : "false");
  out += '>';
  if (swatch) {
    out += "<i";
    attr(out, "class", swatch);
    out += "></i>";
  }
  append_html(out, label);
  out += " <b>" + number_text(n) + "</b></button>";
}

void write_toolbar(Section& s) {
  std::map<std::string, size_t> kinds;
  std::array<size_t, 3> periods{};
  size_t total = 0;
  for (const Block& b : s.blocks)
    for (const FactRef& r : b.facts) {
      ++kinds[std::string(r.fact->kind)];
      ++periods[size_t(r.fact->period)];
      ++total;
    }
  std::vector<std::string> names;
  for (const auto& [k, n] : kinds) names.push_back(k);
  std::string& out = s.out;
  out += "<div class=\"toolbar\" role=\"toolbar\" aria-label=\"filter the facts\">";
  out += "<div class=\"filter\" data-filter=\"kind\" role=\"group\" aria-label=\"kind\"><span class=\"flabel\">kind</span>";
  filter_button(out, "", "all", total, nullptr);
  for (const std::string& k : kinds_in_order(names))
    filter_button(out, k, kind_label(k), kinds[k], ("sw " + kind_class(k)).c_str());
  out += "</div><div class=\"filter\" data-filter=\"period\" role=\"group\" aria-label=\"period\"><span class=\"flabel\">period</span>";
  filter_button(out, "", "all", total, nullptr);
  for (Period p : {Period::last_year, Period::this_year, Period::none})
    filter_button(out, period_key(p), period_label(p, s.doc.report_year, s.doc.plan_year_offset), periods[size_t(p)],
                  (std::string("sw p-") + period_key(p)).c_str());
  out += "</div><output class=\"shown\">" + number_text(total) + " facts</output>";
  // Ways through the page, and the facts shown as a CSV file (made by the page's script).
  out += "<nav class=\"jump\" aria-label=\"sections\"><a href=\"#" + s.id + "-text\">Text</a><a href=\"#" + s.id +
         "-facts\">All facts</a></nav><button type=\"button\" class=\"export\">CSV of the facts shown</button></div>\n";
}

// ---------------------------------------------------------------- summary

// A money total; `opens_group` draws the rule that starts the money columns.
void money_cell(std::string& out, const MoneyTotal& m, bool opens_group = false) {
  std::string cls = std::string("num money") + (opens_group ? " first" : "");
  if (m.facts == 0 && m.other_currency == 0 && m.other_aspects == 0 && m.no_outcomes == 0) {
    cell(out, "—", (cls + " zero").c_str());
    return;
  }
  std::string text = m.overflow ? "too large" : (m.approximate ? "≈ " : "") + grouped(m.yuan);
  out += "<td";
  attr(out, "class", cls);
  attr(out, "data-v", m.overflow ? "" : m.yuan.str());
  if (m.approximate) attr(out, "title", "includes figures with a qualifier (余, 近, 约…) or a range at its low end");
  out += '>';
  append_html(out, text);
  if (m.other_currency > 0)
    out += "<small> + " + std::to_string(m.other_currency) + " in other currencies</small>";
  if (m.other_aspects > 0)
    out += "<small>" + std::to_string(m.other_aspects) + " not amounts, not added</small>";
  if (m.parts > 0)
    out += "<small>" + std::to_string(m.parts) + " parts of a sum already added</small>";
  if (m.no_outcomes > 0)
    out += "<small>" + std::to_string(m.no_outcomes) + " targets or forecasts, not added</small>";
  out += "</td>";
}

void summary_row(std::string& out, const Section& s, const Block& b, const FactSummary& sum,
                 const std::vector<std::string>& kinds) {
  const Unit& u = *b.unit;
  const std::string href = "#" + b.id;
  out += "<tr";
  attr(out, "data-unit", std::to_string(b.index));
  out += "><td class=\"num\"><a";
  attr(out, "href", href);
  out += ">" + std::to_string(b.index) + "</a></td>";
  out += "<td><a";
  attr(out, "href", href);
  out += '>';
  if (u.heading.empty()) out += "<span class=\"none\">no heading</span>";
  else append_html(out, u.organization.empty() ? std::string("—") : slice(s.doc.text, u.organization));
  out += "</a></td>";
  cell(out, u.role.empty() ? "—" : field_slice(s.doc.text, u.role));
  cell(out, u.name.empty() ? "—" : slice(s.doc.text, u.name));
  cell(out, number_text(sum.facts), "num total kinds");
  for (const std::string& k : kinds) {
    auto it = sum.by_kind.find(k);
    size_t n = it == sum.by_kind.end() ? 0 : it->second;
    cell(out, n ? number_text(n) : "·", n ? "num" : "num zero");
  }
  money_cell(out, sum.last_year, true);
  money_cell(out, sum.this_year);
  out += "</tr>\n";
}

void write_summary(Section& s) {
  const Document& doc = s.doc;
  std::vector<std::string> names;
  std::vector<Fact> unit_facts;
  for (const Unit& u : doc.units) {
    for (const Fact& f : u.facts) names.push_back(std::string(f.kind));
    unit_facts.insert(unit_facts.end(), u.facts.begin(), u.facts.end());
  }
  std::vector<std::string> kinds = kinds_in_order(names);
  std::string& out = s.out;
  out += "<h2>Summary</h2><div class=\"scroll\"><table class=\"summary\"><thead><tr class=\"groups\">"
         "<th colspan=\"4\">unit</th><th colspan=\"" +
         std::to_string(kinds.size() + 1) +
         "\" class=\"kinds\">facts by kind</th><th colspan=\"2\" class=\"money\">money (元), amounts only</th></tr><tr>"
         "<th class=\"num\">index</th><th>organization</th><th>role</th><th>name</th><th class=\"num kinds\">all</th>";
  for (const std::string& k : kinds) {
    out += "<th";
    attr(out, "class", "num kind " + kind_class(k));
    out += '>';
    append_html(out, kind_label(k));
    out += "</th>";
  }
  out += "<th class=\"num money first\">" + period_label(Period::last_year, doc.report_year, doc.plan_year_offset) +
         "</th><th class=\"num\">" + period_label(Period::this_year, doc.report_year, doc.plan_year_offset) +
         "</th></tr></thead>\n<tbody>\n";
  for (const Block& b : s.blocks)
    if (b.unit) summary_row(out, s, b, summarise(b.unit->facts), kinds);
  out += "</tbody>";
  if (doc.units.size() > 1) {
    FactSummary all = summarise(unit_facts);
    out += "<tfoot><tr><th colspan=\"4\">all units</th>";
    cell(out, number_text(all.facts), "num total kinds");
    for (const std::string& k : kinds) cell(out, number_text(all.by_kind[k]), "num");
    money_cell(out, all.last_year, true);
    money_cell(out, all.this_year);
    out += "</tr></tfoot>";
  }
  out += "</table></div>\n<p class=\"note\">Money sums only the facts of kind money and aspect amount, in 元, by the "
         "period of their sentence: per-capita figures, rates, changes, thresholds and cumulative totals are never added, "
         "nor a part of a sum the text states beside it (其中…, …合计). "
         "≈ marks a sum that includes a figure with a qualifier (余, 近, 约…) or a range, counted at its low end; "
         "other currencies are never added to 元.</p>\n";
}

// ---------------------------------------------------------------- facts table

void fact_row(std::string& out, const Section& s, const FactRef& r, size_t order) {
  const Fact& f = *r.fact;
  out += "<tr";
  attr(out, "data-fact", r.id);
  attr(out, "data-kind", f.kind);
  attr(out, "data-period", period_key(f.period));
  out += '>';
  cell(out, std::to_string(order), "num", std::to_string(order));
  cell(out, r.where, "where", std::to_string(r.where_rank));
  cell(out, period_label(f.period, s.doc.report_year, s.doc.plan_year_offset),
       (std::string("p p-") + period_key(f.period)).c_str());
  out += "<td><i";
  attr(out, "class", "sw " + kind_class(f.kind));
  out += "></i>";
  append_html(out, kind_label(f.kind));
  out += "</td><td class=\"text\"><a";
  attr(out, "href", "#" + r.id);
  out += '>';
  source_text(out, s.doc, f.span);
  out += "</a>";
  if (!r.placed) out += " <span class=\"note\">not in the text above</span>";
  out += "</td>";
  cell(out, value_text(f), "num", f.value ? f.value->str() : "");
  cell(out, f.unit);
  cell(out, qualifier_label(f.qualifier));
  cell(out, range_text(f), "num", f.range ? f.range->first.str() : "");
  cell(out, f.subject.empty() ? "" : slice(s.doc.text, f.subject), "subject");
  cell(out, rules_text(f), "rules");
  out += "</tr>\n";
}

void sort_header(std::string& out, const char* label, const char* type, const char* cls = nullptr) {
  out += "<th";
  if (cls) attr(out, "class", cls);
  attr(out, "data-type", type);
  attr(out, "aria-sort", "none");
  out += "><button type=\"button\">";
  out += label;
  out += "</button></th>";
}

void write_fact_table(Section& s) {
  std::string& out = s.out;
  out += "<h2 id=\"" + s.id + "-facts\">All facts</h2><p class=\"note hint\">Click a column to sort; click a row to find the fact in the text.</p>"
         "<div class=\"scroll\"><table class=\"facts\"><thead><tr>";
  sort_header(out, "#", "num", "num");
  sort_header(out, "where", "num");
  sort_header(out, "period", "text");
  sort_header(out, "kind", "text");
  sort_header(out, "text", "text");
  sort_header(out, "value", "num", "num");
  sort_header(out, "unit", "text");
  sort_header(out, "qualifier", "text");
  sort_header(out, "range", "num", "num");
  sort_header(out, "subject", "text");
  sort_header(out, "rules", "text");
  out += "</tr></thead>\n<tbody>\n";
  size_t order = 0;
  for (const Block& b : s.blocks)
    for (size_t i : b.by_start) fact_row(out, s, b.facts[i], order++);
  out += "</tbody></table></div>\n";
}

// ---------------------------------------------------------------- sections

// zh-Hant where the text is mostly traditional characters, so that browsers pick
// traditional glyphs; the matching view folds exactly those characters.
const char* language_of(const Document& doc) {
  size_t han = 0, traditional = 0;
  for (char32_t c : doc.text) {
    if (!is_han(c)) continue;
    ++han;
    if (fold_char(c) != c) ++traditional;
  }
  return han > 0 && traditional * 20 >= han ? "zh-Hant" : "zh-Hans";
}

// One part of a document's page split by size: the units and sidebars it shows, and
// the files of all the parts, which each part links.
struct PagePart {
  size_t first = 0, last = 0;  // blocks [first, last), in source order
  size_t index = 0;
  std::vector<std::string> files;
};

// A file name as a relative link: every byte but letters, digits and ._- escaped, so
// that a name holding # or ? stays one file.
std::string file_href(const std::string& name) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

void write_part_nav(Section& s, const PagePart& part) {
  std::string& out = s.out;
  out += "<nav class=\"toc parts\" aria-label=\"parts of this page\"><h2>Part " + std::to_string(part.index + 1) + " of " +
         std::to_string(part.files.size()) + "</h2><p>The page of this document is split into parts of whole units, "
         "each below the size a browser opens readily (--max-page-bytes); this part shows ";
  std::vector<size_t> units;
  for (const Block& b : s.blocks)
    if (b.unit) units.push_back(b.index);
  out += units.empty() ? std::string("sidebars only")
                       : "units #" + std::to_string(units.front()) +
                             (units.size() > 1 ? "–#" + std::to_string(units.back()) : std::string());
  out += ". Parts:";
  for (size_t k = 0; k < part.files.size(); ++k) {
    out += ' ';
    if (k == part.index) {
      out += "<b>" + std::to_string(k + 1) + "</b>";
      continue;
    }
    out += "<a";
    attr(out, "href", file_href(part.files[k]));
    out += '>' + std::to_string(k + 1) + "</a>";
  }
  out += "</p></nav>\n";
}

void document_section(std::string& out, const Document& doc, size_t index, const PagePart* part = nullptr) {
  Section s{doc, "d" + std::to_string(index), out, {}, {}, {}};
  s.blocks = blocks_of(doc, s.id);
  if (part) s.blocks = std::vector<Block>(s.blocks.begin() + long(part->first), s.blocks.begin() + long(part->last));
  for (size_t i = 0; i < doc.warnings.size(); ++i) {
    s.warnings.push_back({&doc.warnings[i], s.id + "-w" + std::to_string(i), false});
    if (doc.warnings[i].has_span) s.warnings_by_pos.push_back(i);
  }
  std::stable_sort(s.warnings_by_pos.begin(), s.warnings_by_pos.end(), [&doc](size_t a, size_t b) {
    return doc.warnings[a].span.start < doc.warnings[b].span.start;
  });
  find_warnings_in_text(s);
  out += "<section class=\"doc\"";
  attr(out, "id", s.id);
  attr(out, "lang", language_of(doc));
  attr(out, "data-source", doc.source.path);
  attr(out, "aria-labelledby", s.id + "-title");
  out += ">\n";
  write_header(s);
  if (part) write_part_nav(s, *part);
  write_warnings(s);
  write_toolbar(s);
  write_summary(s);
  out += "<h2 id=\"" + s.id + "-text\">Text</h2><p class=\"note hint\">Sentences are tinted by period and figures marked by kind; hover over "
         "or focus a figure (Tab) for its value, unit, qualifier, range, subject and rules.</p>\n<div class=\"text\">\n";
  write_text(s);
  out += "</div>\n";
  write_fact_table(s);
  out += "</section>\n";
}

std::string error_section(const RenderInput& in, size_t index) {
  std::string out = "<section class=\"doc failed\"";
  attr(out, "id", "d" + std::to_string(index));
  out += "><header class=\"doc-head\"><h1>";
  append_html(out, in.source.path);
  out += "</h1></header><p class=\"error\"><code>";
  append_html(out, in.error_code);
  out += "</code> ";
  append_html(out, in.error_message);
  out += "</p></section>\n";
  return out;
}

void write_contents(std::string& out, const std::vector<RenderInput>& inputs) {
  out += "<nav class=\"toc\"><h1>digestx review: " + std::to_string(inputs.size()) + " documents</h1><ol>";
  for (size_t i = 0; i < inputs.size(); ++i) {
    const RenderInput& in = inputs[i];
    out += "<li><a";
    attr(out, "href", "#d" + std::to_string(i));
    out += '>';
    append_html(out, in.doc ? document_title(*in.doc) : in.source.path);
    out += "</a> <span class=\"note\">";
    if (in.doc) {
      std::string about = in.doc->source.path;
      if (!region_of(*in.doc).empty()) about += " · " + region_of(*in.doc);
      if (in.doc->report_year) about += " · " + std::to_string(*in.doc->report_year);
      about += " · " + std::to_string(in.doc->units.size()) + " units · " + number_text(all_facts(*in.doc)) + " facts";
      append_html(out, about);
    } else {
      append_html(out, "could not be read: " + in.error_message);
    }
    out += "</span></li>";
  }
  out += "</ol></nav>\n";
}

// The page allows its own inline style and script (by hash) and nothing else: no
// fetch, no frame, no form, whatever the text holds.
std::string content_security_policy() {
  return "default-src 'none'; style-src 'sha256-" + base64_of_hex(render_style().sha256_hex) +
         "'; script-src 'sha256-" + base64_of_hex(render_script().sha256_hex) +
         "'; img-src data:; base-uri 'none'; form-action 'none'";
}

std::string page_title(const std::vector<RenderInput>& inputs) {
  if (inputs.size() == 1 && inputs[0].doc) return document_title(*inputs[0].doc) + " · digestx review";
  if (inputs.size() == 1) return inputs[0].source.path + " · digestx review";
  return "digestx review: " + std::to_string(inputs.size()) + " documents";
}

}  // namespace

// ---------------------------------------------------------------- public

FactSummary summarise(const std::vector<Fact>& facts) {
  FactSummary out;
  for (const Fact& f : facts) {
    ++out.facts;
    ++out.by_kind[std::string(f.kind)];
    if (!is_totalled_kind(f.kind) || !f.value || f.period == Period::none) continue;
    MoneyTotal& m = f.period == Period::last_year ? out.last_year : out.this_year;
    if (!summed_aspect(f.aspect)) {
      ++m.other_aspects;
      continue;
    }
    if (!f.part_of.empty()) {
      ++m.parts;
      continue;
    }
    if (!f.status.empty()) {
      ++m.no_outcomes;
      continue;
    }
    if (f.unit != "元") {
      ++m.other_currency;
      continue;
    }
    ++m.facts;
    if (!f.qualifier.empty() || f.range) m.approximate = true;
    auto sum = m.yuan.add(*f.value);
    if (sum) m.yuan = *sum;
    else m.overflow = true;
  }
  return out;
}

namespace {

std::string page_of(const std::vector<RenderInput>& inputs, const Panel* panel, const PagePart* part) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
      content_security_policy() +
      "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"digestx " DIGESTX_VERSION "\">\n<title>";
  append_html(out, (inputs.empty() ? std::string("digestx panel") : page_title(inputs)) +
                       (part ? " · part " + std::to_string(part->index + 1) + " of " + std::to_string(part->files.size())
                             : std::string()));
  out += "</title>\n<style>";
  out += render_style().text;
  out += "</style>\n</head>\n<body>\n";
  if (inputs.size() > 1) write_contents(out, inputs);
  out += "<main>\n";
  if (panel) write_panel_view(out, *panel);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].doc) document_section(out, *inputs[i].doc, i, part);
    else out += error_section(inputs[i], i);
  }
  out += "</main>\n<div id=\"tip\" role=\"tooltip\" hidden></div>\n<script>";
  out += render_script().text;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

// How much of a page one block makes, in the page's own proportion of characters and
// facts to bytes (a fact's mark, side note and table row weigh about 150 characters).
double block_weight(const Block& b) {
  double chars = 0;
  for (const Paragraph& p : b.unit ? b.unit->paragraphs : b.sidebar->paragraphs)
    for (const Span& piece : p.pieces) chars += piece.size();
  return chars + 150.0 * double(b.facts.size()) + 200;
}

}  // namespace

std::string render_page(const std::vector<RenderInput>& inputs, const Panel* panel) {
  return page_of(inputs, panel, nullptr);
}

std::string render_panel_page(const Panel& panel) { return render_page({}, &panel); }

std::vector<std::string> render_pages(const Document& doc, size_t max_bytes,
                                      const std::function<std::string(size_t)>& file_name) {
  std::vector<RenderInput> inputs{{&doc, {}, {}, {}}};
  std::string whole = page_of(inputs, nullptr, nullptr);
  std::vector<Block> blocks = blocks_of(doc, "d0");
  if (whole.size() <= max_bytes || blocks.size() < 2) return {std::move(whole)};
  // Blocks in order into parts of about 80% of the limit (the estimate is rough), less
  // the style sheet and script that every part carries; a block never splits.
  double total = 0;
  for (const Block& b : blocks) total += block_weight(b);
  double per_weight = double(whole.size()) / total;
  std::string().swap(whole);
  double budget = 0.8 * double(max_bytes) - double(render_style().text.size() + render_script().text.size());
  std::vector<PagePart> parts;
  double filled = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    double bytes = block_weight(blocks[i]) * per_weight;
    if (parts.empty() || (filled > 0 && filled + bytes > budget)) {
      parts.push_back({i, i, parts.size(), {}});
      filled = 0;
    }
    parts.back().last = i + 1;
    filled += bytes;
  }
  std::vector<std::string> files;
  for (size_t k = 0; k < parts.size(); ++k) files.push_back(file_name(k));
  std::vector<std::string> pages;
  for (PagePart& part : parts) {
    part.files = files;
    pages.push_back(page_of(inputs, nullptr, &part));
  }
  return pages;
}

std::string render_page(const Document& doc) { return render_page(std::vector<RenderInput>{{&doc, {}, {}, {}}}); }

void append_html(std::string& out, std::u32string_view text, char32_t before) {
  for (char32_t c : text) {
    char32_t prev = std::exchange(before, c);
    switch (c) {
      case '&': out += "&amp;"; continue;
      // A scheme's colon as a reference: a web page's copy (![图](https://…), 原文链接:
      // http://…) shows its address as text, and no viewer takes it for a link to fetch.
      case ':':
        if (prev < 0x80 && std::isalpha(int(prev))) {
          out += "&#58;";
          continue;
        }
        break;
      case '<': out += "&lt;"; continue;
      case '>': out += "&gt;"; continue;
      case '"': out += "&quot;"; continue;
      case '\'': out += "&#39;"; continue;
      case '\t':
      case '\n': out += char(c); continue;
      case '\r': out += '\n'; continue;
      default: break;
    }
    if (c < 0x20) c = 0x2400 + c;  // the control pictures: ␀ ␁ …
    else if (c == 0x7F) c = 0x2421;
    else if ((c >= 0x80 && c <= 0x9F) || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF ||
             (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE || (c >= 0x202A && c <= 0x202E) ||
             (c >= 0x2066 && c <= 0x2069))
      c = 0xFFFD;  // not allowed in HTML, or would reorder the text around it
    append_utf8(out, c);
  }
}

void append_html(std::string& out, std::string_view utf8) { append_html(out, from_utf8(utf8)); }

std::string base64_of_hex(std::string_view hex) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += char(nibble(hex[i]) << 4 | nibble(hex[i + 1]));
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = uint32_t(uint8_t(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= uint32_t(uint8_t(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) n |= uint8_t(bytes[i + 2]);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += i + 1 < bytes.size() ? kAlphabet[n >> 6 & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

std::string grouped(const Decimal& d) {
  std::string digits = d.str();
  size_t begin = digits[0] == '-' ? 1 : 0;
  size_t point = digits.find('.');
  size_t end = point == std::string::npos ? digits.size() : point;
  std::string out = digits.substr(0, begin);
  for (size_t i = begin; i < end; ++i) {
    out += digits[i];
    size_t left = end - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  out += digits.substr(end);
  return out;
}

}  // namespace digestx
