// The review page: header, summary table, source text with sentences tinted by
// period and facts marked by kind, and a table of all facts. Markup only; the look
// and the behaviour (filters, tooltips, sorting) are render/review.css and
// render/review.js, embedded at build time (cmake/embed_render.cmake).
#include "digestx/render.hpp"

#include <algorithm>
#include <array>

#include "digestx/output.hpp"
#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "render_assets.hpp"

namespace digestx {

namespace {

// ---------------------------------------------------------------- words

struct KindInfo {
  const char* kind;
  const char* label;
};

// The order of kinds in the filter, the legend and the summary: quantities first,
// then the numbers that are not quantities.
constexpr std::array<KindInfo, 11> kKinds = {{{"count", "count"},
                                              {"money", "money"},
                                              {"percent", "percent"},
                                              {"percentage_point", "pct point"},
                                              {"multiple", "multiple"},
                                              {"fraction", "fraction"},
                                              {"measure", "measure"},
                                              {"duration", "duration"},
                                              {"ordinal", "ordinal"},
                                              {"date", "date"},
                                              {"name", "name"}}};

size_t kind_rank(const std::string& kind) {
  for (size_t i = 0; i < kKinds.size(); ++i)
    if (kind == kKinds[i].kind) return i;
  return kKinds.size();
}

std::string kind_label(const std::string& kind) {
  size_t r = kind_rank(kind);
  return r < kKinds.size() ? kKinds[r].label : kind;
}

// Kinds come from rules files, which users may replace: keep class names tame.
std::string kind_class(const std::string& kind) {
  std::string out = "k-";
  for (char c : kind) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
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

std::optional<int> period_year(Period p, std::optional<int> report_year) {
  if (!report_year || p == Period::none) return std::nullopt;
  return *report_year + (p == Period::this_year ? 1 : 0);
}

std::string period_label(Period p, std::optional<int> report_year) {
  std::string out = p == Period::last_year ? "last year" : p == Period::this_year ? "this year" : "no period";
  if (auto y = period_year(p, report_year)) out += " " + std::to_string(*y);
  return out;
}

std::string qualifier_label(const std::string& q) {
  std::string out = q;
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

// A table cell; `sort` is the value the column sorts by when it is not the text.
void cell(std::string& out, std::string_view text, const char* cls = nullptr, std::string_view sort = {}) {
  out += "<td";
  if (cls) attr(out, "class", cls);
  if (!sort.empty()) attr(out, "data-v", sort);
  out += '>';
  append_html(out, text);
  out += "</td>";
}

// ---------------------------------------------------------------- facts

// A fact as the page refers to it: the id of its mark in the text, its place in
// the JSON, and which unit or sidebar holds it.
struct FactRef {
  const Fact* fact = nullptr;
  std::string id;
  std::string path;
  std::string where;
  size_t where_rank = 0;
  bool placed = false;
};

std::string range_raw(const Fact& f) { return f.range ? f.range->first.str() + "," + f.range->second.str() : ""; }

std::string range_text(const Fact& f) {
  return f.range ? grouped(f.range->first) + " – " + grouped(f.range->second) : "";
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
  add("kind", f.kind_rule);
  std::string numerals;
  for (const auto& r : f.numeral_rules) numerals += (numerals.empty() ? "" : " + ") + r;
  add("numeral", numerals);
  add("unit", f.unit_rule);
  add("qualifier", f.qualifier_rule);
  add("subject", f.subject_rule);
  return out;
}

// A unit or a sidebar: what the text shows in source order.
struct Block {
  const Unit* unit = nullptr;
  const Sidebar* sidebar = nullptr;
  size_t index = 0;  // in doc.units or doc.sidebars
  uint32_t start = 0;
  std::string id;
  std::vector<FactRef> facts;  // in the order of the JSON
  std::vector<size_t> by_start;  // indices into facts, by position in the text
};

struct WarningRef {
  const Warning* warning = nullptr;
  std::string id;
  bool placed = false;
};

// Everything one document section needs while it is written.
struct Section {
  const Document& doc;
  std::string id;  // d0, d1, …
  std::string out;
  std::vector<Block> blocks;           // source order
  std::vector<WarningRef> warnings;    // all of the document's warnings
  std::vector<size_t> warnings_by_pos;  // the ones with a span, by position
};

uint32_t first_start(const std::vector<Paragraph>& paragraphs, uint32_t fallback) {
  for (const auto& p : paragraphs)
    if (!p.pieces.empty()) return p.pieces.front().start;
  return fallback;
}

std::string unit_where(const Unit& u, size_t index, const Document& doc) {
  std::string out = "#" + std::to_string(index);
  if (!u.organization.empty()) out += " " + slice(doc.text, u.organization);
  return out;
}

std::string sidebar_label(const Sidebar& sb, const Document& doc) {
  return sb.label.empty() ? std::string("front matter") : slice(doc.text, sb.label);
}

std::vector<FactRef> fact_refs(const std::vector<Fact>& facts, const std::string& block_id, const std::string& path,
                               const std::string& where) {
  std::vector<FactRef> out;
  for (size_t i = 0; i < facts.size(); ++i) {
    FactRef r;
    r.fact = &facts[i];
    r.id = block_id + "-f" + std::to_string(i);
    r.path = path + ".facts[" + std::to_string(i) + "]";
    r.where = where;
    out.push_back(std::move(r));
  }
  return out;
}

void finish_block(Block& b, size_t rank) {
  for (auto& r : b.facts) r.where_rank = rank;
  b.by_start.resize(b.facts.size());
  for (size_t i = 0; i < b.facts.size(); ++i) b.by_start[i] = i;
  std::stable_sort(b.by_start.begin(), b.by_start.end(),
                   [&b](size_t x, size_t y) { return b.facts[x].fact->span.start < b.facts[y].fact->span.start; });
}

std::vector<Block> blocks_of(const Document& doc, const std::string& section_id) {
  std::vector<Block> out;
  for (size_t i = 0; i < doc.units.size(); ++i) {
    const Unit& u = doc.units[i];
    Block b;
    b.unit = &u;
    b.index = i;
    b.start = u.heading.empty() ? first_start(u.paragraphs, 0) : u.heading.front().start;
    b.id = section_id + "-u" + std::to_string(i);
    b.facts = fact_refs(u.facts, b.id, ".units[" + std::to_string(i) + "]", unit_where(u, i, doc));
    out.push_back(std::move(b));
  }
  for (size_t i = 0; i < doc.sidebars.size(); ++i) {
    const Sidebar& sb = doc.sidebars[i];
    Block b;
    b.sidebar = &sb;
    b.index = i;
    b.start = first_start(sb.paragraphs, sb.label.start);
    b.id = section_id + "-s" + std::to_string(i);
    b.facts = fact_refs(sb.facts, b.id, ".sidebars[" + std::to_string(i) + "]", sidebar_label(sb, doc));
    out.push_back(std::move(b));
  }
  std::stable_sort(out.begin(), out.end(), [](const Block& a, const Block& b) { return a.start < b.start; });
  for (size_t i = 0; i < out.size(); ++i) finish_block(out[i], i);
  return out;
}

// ---------------------------------------------------------------- the text

// The attributes a fact's mark carries: everything the tooltip shows, exactly.
void fact_attributes(std::string& out, const Section& s, const FactRef& r, const Sentence* sentence) {
  const Fact& f = *r.fact;
  attr(out, "id", r.id);
  attr(out, "tabindex", "0");
  attr(out, "data-kind", f.kind);
  attr(out, "data-period", period_key(f.period));
  if (f.value) attr(out, "data-value", f.value->str());
  if (!f.unit.empty()) attr(out, "data-unit", f.unit);
  if (!f.qualifier.empty()) attr(out, "data-qualifier", f.qualifier);
  if (f.range) attr(out, "data-range", range_raw(f));
  if (!f.subject.empty()) attr(out, "data-subject", slice(s.doc.text, f.subject));
  if (f.year) attr(out, "data-year", std::to_string(*f.year));
  attr(out, "data-span", std::to_string(f.span.start) + "," + std::to_string(f.span.end));
  attr(out, "data-path", r.path);
  attr(out, "data-rules", rules_text(f));
  if (sentence && !sentence->period_rule.empty()) attr(out, "data-period-rule", sentence->period_rule);
}

void open_fact(std::string& out, const Section& s, FactRef& r, const Sentence* sentence) {
  out += "<mark";
  attr(out, "class", "f " + kind_class(r.fact->kind) + (r.placed ? " cont" : ""));
  if (r.placed) {
    // The rest of a fact that a sentence or layout boundary interrupted.
    attr(out, "data-of", r.id);
    attr(out, "data-kind", r.fact->kind);
    attr(out, "data-period", period_key(r.fact->period));
  } else {
    fact_attributes(out, s, r, sentence);
    r.placed = true;
  }
  out += '>';
}

void open_sentence(std::string& out, const Section& s, const Sentence& sen) {
  std::string cls = std::string("s p-") + period_key(sen.period);
  out += "<span";
  if (sen.period_marked) {
    // Where a marker (去年, 今年…) sets the period: a small badge starts the stretch.
    cls += " mk";
    auto y = period_year(sen.period, s.doc.report_year);
    attr(out, "data-badge", y ? std::to_string(*y) : period_label(sen.period, std::nullopt));
  }
  attr(out, "class", cls);
  attr(out, "data-period", period_key(sen.period));
  out += '>';
}

void warning_marker(std::string& out, WarningRef& w) {
  out += "<a class=\"wm\"";
  attr(out, "id", w.id + "-at");
  attr(out, "href", "#" + w.id);
  attr(out, "title", w.warning->code + ": " + w.warning->message);
  attr(out, "aria-label", "warning " + w.warning->code);
  out += "></a>";
  w.placed = true;
}

// Warnings whose span starts inside `piece`, in order.
std::vector<size_t> warnings_in(const Section& s, Span piece) {
  std::vector<size_t> out;
  for (size_t k : s.warnings_by_pos) {
    uint32_t at = s.warnings[k].warning->span.start;
    if (at >= piece.start && at < piece.end && !s.warnings[k].placed) out.push_back(k);
  }
  return out;
}

struct Stretch {
  Span span;
  size_t sentence;
};

std::vector<Stretch> sentence_stretches(const Paragraph& p) {
  std::vector<Stretch> out;
  for (size_t i = 0; i < p.sentences.size(); ++i)
    for (const Span& piece : p.sentences[i].pieces) out.push_back({piece, i});
  std::stable_sort(out.begin(), out.end(), [](const Stretch& a, const Stretch& b) { return a.span.start < b.span.start; });
  return out;
}

// One paragraph: its code points in order, wrapped in sentence spans and fact marks
// that close and reopen wherever a boundary would otherwise cross, so the markup
// always nests whatever the spans are.
// Qualifiers as signs, for the side notes: 3,500 余名 reads "> 3,500 名".
const char* qualifier_sign(const std::string& q) {
  if (q == "more_than") return "> ";
  if (q == "less_than") return "< ";
  if (q == "at_least") return "≥ ";
  if (q == "at_most") return "≤ ";
  if (q == "about") return "≈ ";
  if (q == "nearly") return "≲ ";
  return q.empty() ? "" : "? ";
}

bool is_quantity(const Fact& f) { return f.kind != "date" && f.kind != "name"; }

// The paragraph's figures beside it as they were read (value, unit, subject), so
// that a reader checks the extraction against the sentence at a glance.
void write_side_notes(Section& s, const Block& b, const std::vector<size_t>& here) {
  std::string& out = s.out;
  out += "<ul class=\"side\" aria-label=\"figures of this paragraph\">";
  for (size_t i : here) {
    const FactRef& r = b.facts[i];
    const Fact& f = *r.fact;
    if (!is_quantity(f)) continue;
    out += "<li";
    attr(out, "class", kind_class(f.kind));
    attr(out, "data-fact", r.id);
    attr(out, "data-kind", f.kind);
    attr(out, "data-period", period_key(f.period));
    if (!f.qualifier.empty()) attr(out, "title", qualifier_label(f.qualifier));
    out += "><b>";
    append_html(out, qualifier_sign(f.qualifier) + (f.range ? range_text(f) : value_text(f)));
    if (!f.unit.empty()) {
      out += ' ';
      append_html(out, f.unit);
    }
    out += "</b> ";
    if (f.subject.empty()) out += "<span class=\"none\">no subject</span>";
    else source_text(out, s.doc, f.subject);
    out += "</li>";
  }
  out += "</ul>";
}

void write_paragraph(Section& s, Block& b, const Paragraph& p) {
  std::string& out = s.out;
  std::vector<size_t> here;  // facts that start in this paragraph
  std::vector<Stretch> stretches = sentence_stretches(p);
  size_t si = 0, fi = 0;
  int open_sentence_index = -1, open_fact_index = -1;
  auto close_fact = [&] {
    if (open_fact_index >= 0) out += "</mark>";
    open_fact_index = -1;
  };
  auto close_sentence = [&] {
    close_fact();
    if (open_sentence_index >= 0) out += "</span>";
    open_sentence_index = -1;
  };
  out += "<div class=\"para\"><p>";
  for (size_t k = 0; k < p.pieces.size(); ++k) {
    const Span piece = p.pieces[k];
    if (piece.end > s.doc.text.size()) break;
    if (k > 0) out += "<span class=\"brk\" title=\"the page layout broke the paragraph here\"></span>";
    std::vector<size_t> warns = warnings_in(s, piece);
    size_t wi = 0;
    for (uint32_t pos = piece.start; pos < piece.end; ++pos) {
      while (wi < warns.size() && s.warnings[warns[wi]].warning->span.start <= pos) warning_marker(out, s.warnings[warns[wi++]]);
      while (si < stretches.size() && stretches[si].span.end <= pos) ++si;
      int sentence = si < stretches.size() && stretches[si].span.start <= pos ? int(stretches[si].sentence) : -1;
      while (fi < b.by_start.size() && b.facts[b.by_start[fi]].fact->span.end <= pos) ++fi;
      int fact = fi < b.by_start.size() && b.facts[b.by_start[fi]].fact->span.start <= pos ? int(b.by_start[fi]) : -1;
      if (sentence != open_sentence_index) {
        close_sentence();
        if (sentence >= 0) open_sentence(out, s, p.sentences[size_t(sentence)]);
        open_sentence_index = sentence;
      }
      if (fact != open_fact_index) {
        close_fact();
        if (fact >= 0 && !b.facts[size_t(fact)].placed) here.push_back(size_t(fact));
        if (fact >= 0) open_fact(out, s, b.facts[size_t(fact)], sentence >= 0 ? &p.sentences[size_t(sentence)] : nullptr);
        open_fact_index = fact;
      }
      append_html(out, std::u32string_view(s.doc.text).substr(pos, 1));
    }
  }
  close_sentence();
  out += "</p>";
  write_side_notes(s, b, here);
  out += "</div>\n";
}

// A heading as written, its organisation, role, name and headline marked in place.
void write_heading(Section& s, const Unit& u) {
  struct Part {
    Span span;
    const char* cls;
  };
  std::vector<Part> parts;
  if (!u.organization.empty()) parts.push_back({u.organization, "organization"});
  if (!u.role.empty()) parts.push_back({u.role, "role"});
  if (!u.name.empty()) parts.push_back({u.name, "name"});
  for (const Span& h : u.headline) parts.push_back({h, "headline"});
  std::sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) { return a.span.start < b.span.start; });
  std::string& out = s.out;
  for (size_t k = 0; k < u.heading.size(); ++k) {
    if (k > 0) out += ' ';
    Span piece = u.heading[k];
    uint32_t pos = piece.start;
    for (const Part& part : parts) {
      Span in{std::max(part.span.start, piece.start), std::min(part.span.end, piece.end)};
      if (in.empty() || in.start < pos) continue;
      source_text(out, s.doc, Span{pos, in.start});
      out += "<span";
      attr(out, "class", part.cls);
      attr(out, "title", part.cls);
      out += '>';
      source_text(out, s.doc, in);
      out += "</span>";
      pos = in.end;
    }
    source_text(out, s.doc, Span{pos, piece.end});
  }
}

void write_block(Section& s, Block& b) {
  std::string& out = s.out;
  const std::vector<Paragraph>& paragraphs = b.unit ? b.unit->paragraphs : b.sidebar->paragraphs;
  if (b.unit) {
    out += "<article class=\"unit\"";
    attr(out, "id", b.id);
    out += "><h3><span class=\"idx\">#" + std::to_string(b.index) + "</span> ";
    if (b.unit->heading.empty()) out += "<span class=\"none\">no heading: the whole text is one unit</span>";
    else write_heading(s, *b.unit);
    out += "</h3>\n";
  } else {
    out += "<aside class=\"sidebar\"";
    attr(out, "id", b.id);
    out += "><h3>";
    append_html(out, sidebar_label(*b.sidebar, s.doc));
    out += " <span class=\"note\">sidebar, not a report</span></h3>\n";
  }
  for (const Paragraph& p : paragraphs) write_paragraph(s, b, p);
  out += b.unit ? "</article>\n" : "</aside>\n";
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

std::string document_title(const Document& doc) {
  return doc.title.empty() ? doc.source.path : slice(doc.text, doc.title);
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
  meta_item(out, "region", doc.region.empty() ? "unknown" : slice(doc.text, doc.region));
  meta_item(out, "report year",
            doc.report_year ? std::to_string(*doc.report_year) + " (last year " + std::to_string(*doc.report_year) +
                                  ", this year " + std::to_string(*doc.report_year + 1) + ")"
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
    if (w.placed) {
      out += " <a";
      attr(out, "href", "#" + w.id + "-at");
      out += ">show in the text</a>";
    } else if (w.warning->has_span) {
      out += " <span class=\"note\">at characters " + std::to_string(w.warning->span.start) + "–" +
             std::to_string(w.warning->span.end) + ", outside the paragraphs shown</span>";
    }
    out += "</li>";
  }
  out += "</ul></section>\n";
}

// ---------------------------------------------------------------- filters

struct Counted {
  std::string key;
  size_t n = 0;
};

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
      ++kinds[r.fact->kind];
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
    filter_button(out, period_key(p), period_label(p, s.doc.report_year), periods[size_t(p)],
                  (std::string("sw p-") + period_key(p)).c_str());
  out += "</div><output class=\"shown\">" + number_text(total) + " facts</output></div>\n";
}

// ---------------------------------------------------------------- summary

void money_cell(std::string& out, const MoneyTotal& m, const char* first = nullptr) {
  std::string cls = std::string("num money") + (first ? " first" : "");
  if (m.facts == 0 && m.other_currency == 0) {
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
  if (u.heading.empty()) {
    out += "<td colspan=\"3\"><a";
    attr(out, "href", href);
    out += "><span class=\"none\">no heading</span></a></td>";
  } else {
    out += "<td><a";
    attr(out, "href", href);
    out += '>';
    append_html(out, u.organization.empty() ? std::string("—") : slice(s.doc.text, u.organization));
    out += "</a></td>";
    cell(out, u.role.empty() ? "—" : slice(s.doc.text, u.role));
    cell(out, u.name.empty() ? "—" : slice(s.doc.text, u.name));
  }
  cell(out, number_text(sum.facts), "num total kinds");
  for (const std::string& k : kinds) {
    auto it = sum.by_kind.find(k);
    size_t n = it == sum.by_kind.end() ? 0 : it->second;
    cell(out, n ? number_text(n) : "·", n ? "num" : "num zero");
  }
  money_cell(out, sum.last_year, "first");
  money_cell(out, sum.this_year);
  out += "</tr>\n";
}

void write_summary(Section& s) {
  const Document& doc = s.doc;
  std::vector<std::string> names;
  std::vector<Fact> unit_facts;
  for (const Unit& u : doc.units) {
    for (const Fact& f : u.facts) names.push_back(f.kind);
    unit_facts.insert(unit_facts.end(), u.facts.begin(), u.facts.end());
  }
  std::vector<std::string> kinds = kinds_in_order(names);
  std::string& out = s.out;
  out += "<h2>Summary</h2><div class=\"scroll\"><table class=\"summary\"><thead><tr class=\"groups\">"
         "<th colspan=\"4\">unit</th><th colspan=\"" +
         std::to_string(kinds.size() + 1) +
         "\" class=\"kinds\">facts by kind</th><th colspan=\"2\" class=\"money\">money (元)</th></tr><tr>"
         "<th class=\"num\">index</th><th>organization</th><th>role</th><th>name</th><th class=\"num kinds\">all</th>";
  for (const std::string& k : kinds) {
    out += "<th";
    attr(out, "class", "num kind " + kind_class(k));
    out += '>';
    append_html(out, kind_label(k));
    out += "</th>";
  }
  out += "<th class=\"num money first\">" + period_label(Period::last_year, doc.report_year) + "</th><th class=\"num\">" +
         period_label(Period::this_year, doc.report_year) + "</th></tr></thead>\n<tbody>\n";
  for (const Block& b : s.blocks)
    if (b.unit) summary_row(out, s, b, summarise(b.unit->facts), kinds);
  out += "</tbody>";
  if (doc.units.size() > 1) {
    FactSummary all = summarise(unit_facts);
    out += "<tfoot><tr><th colspan=\"4\">all units</th>";
    cell(out, number_text(all.facts), "num total kinds");
    for (const std::string& k : kinds) cell(out, number_text(all.by_kind[k]), "num");
    money_cell(out, all.last_year, "first");
    money_cell(out, all.this_year);
    out += "</tr></tfoot>";
  }
  out += "</table></div>\n<p class=\"note\">Money sums the facts of kind money in 元 by the period of their sentence. "
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
  cell(out, r.where, nullptr, std::to_string(r.where_rank));
  cell(out, period_label(f.period, s.doc.report_year), (std::string("p p-") + period_key(f.period)).c_str());
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
  cell(out, f.subject.empty() ? "" : slice(s.doc.text, f.subject));
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
  out += "<h2>All facts</h2><p class=\"note\">Click a column to sort; click a row to find the fact in the text.</p>"
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

std::string document_section(const Document& doc, size_t index) {
  Section s{doc, "d" + std::to_string(index), {}, {}, {}, {}};
  s.blocks = blocks_of(doc, s.id);
  for (size_t i = 0; i < doc.warnings.size(); ++i) {
    s.warnings.push_back({&doc.warnings[i], s.id + "-w" + std::to_string(i), false});
    if (doc.warnings[i].has_span) s.warnings_by_pos.push_back(i);
  }
  std::stable_sort(s.warnings_by_pos.begin(), s.warnings_by_pos.end(), [&doc](size_t a, size_t b) {
    return doc.warnings[a].span.start < doc.warnings[b].span.start;
  });
  // The text goes first so that the header knows which warnings it placed.
  std::string text;
  for (Block& b : s.blocks) write_block(s, b);
  text.swap(s.out);
  s.out += "<section class=\"doc\"";
  attr(s.out, "id", s.id);
  attr(s.out, "lang", language_of(doc));
  attr(s.out, "aria-labelledby", s.id + "-title");
  s.out += ">\n";
  write_header(s);
  write_warnings(s);
  write_toolbar(s);
  write_summary(s);
  s.out += "<h2>Text</h2><p class=\"note\">Sentences are tinted by period and figures marked by kind; hover over "
           "or focus a figure (Tab) for its value, unit, qualifier, range, subject and rules.</p>\n<div class=\"text\">\n";
  s.out += text;
  s.out += "</div>\n";
  write_fact_table(s);
  s.out += "</section>\n";
  return std::move(s.out);
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
      if (!in.doc->region.empty()) about += " · " + slice(in.doc->text, in.doc->region);
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
    ++out.by_kind[f.kind];
    if (f.kind != "money" || !f.value || f.period == Period::none) continue;
    MoneyTotal& m = f.period == Period::last_year ? out.last_year : out.this_year;
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

std::string render_page(const std::vector<RenderInput>& inputs) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
      content_security_policy() +
      "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"digestx " DIGESTX_VERSION "\">\n<title>";
  append_html(out, page_title(inputs));
  out += "</title>\n<style>";
  out += render_style().text;
  out += "</style>\n</head>\n<body>\n";
  if (inputs.size() > 1) write_contents(out, inputs);
  out += "<main>\n";
  for (size_t i = 0; i < inputs.size(); ++i)
    out += inputs[i].doc ? document_section(*inputs[i].doc, i) : error_section(inputs[i], i);
  out += "</main>\n<div id=\"tip\" role=\"tooltip\" hidden></div>\n<script>";
  out += render_script().text;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

std::string render_page(const Document& doc) { return render_page(std::vector<RenderInput>{{&doc, {}, {}, {}}}); }

void append_html(std::string& out, std::u32string_view text) {
  for (char32_t c : text) {
    switch (c) {
      case '&': out += "&amp;"; continue;
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
