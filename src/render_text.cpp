// The review page's source text: units and sidebars in source order, each paragraph
// with its sentences tinted by period, its facts marked by kind (carrying everything
// the tooltip shows) and its figures beside it; warnings where they apply.
#include <algorithm>

#include "digestx/output.hpp"
#include "render_parts.hpp"

namespace digestx::render_parts {

namespace {

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

}  // namespace

std::string sidebar_label(const Sidebar& sb, const Document& doc) {
  return sb.label.empty() ? std::string("front matter") : slice(doc.text, sb.label);
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

namespace {

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
  if (!f.aspect.empty()) attr(out, "data-aspect", f.aspect);
  if (f.year) attr(out, "data-year", std::to_string(*f.year));
  Span on_page = s.doc.page.to_page(f.span);  // as the JSON writes it: the page's characters
  attr(out, "data-span", std::to_string(on_page.start) + "," + std::to_string(on_page.end));
  attr(out, "data-path", r.path);
  attr(out, "data-rules", rules_text(f));
  if (sentence && !sentence->period_rule.empty()) attr(out, "data-period-rule", sentence->period_rule);
}

void open_fact(std::string& out, const Section& s, FactRef& r, const Sentence* sentence) {
  out += "<mark";
  attr(out, "class", "f " + kind_class(r.fact->kind) + (is_quantity_kind(r.fact->kind) ? "" : " nq") +
                         (r.placed ? " cont" : ""));
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
    auto y = period_year(sen.period, s.doc.report_year, s.doc.plan_year_offset);
    attr(out, "data-badge", y ? std::to_string(*y) : period_label(sen.period, std::nullopt));
  }
  attr(out, "class", cls);
  attr(out, "data-period", period_key(sen.period));
  out += '>';
}

void warning_marker(std::string& out, const WarningRef& w) {
  out += "<a class=\"wm\"";
  attr(out, "id", w.id + "-at");
  attr(out, "href", "#" + w.id);
  attr(out, "title", w.warning->code + ": " + w.warning->message);
  attr(out, "aria-label", "warning " + w.warning->code);
  out += "></a>";
}

// Warnings whose span starts inside `piece`, in order.
std::vector<size_t> warnings_in(const Section& s, Span piece) {
  auto at = [&s](size_t k) { return s.warnings[k].warning->span.start; };
  auto it = std::lower_bound(s.warnings_by_pos.begin(), s.warnings_by_pos.end(), piece.start,
                             [&at](size_t k, uint32_t pos) { return at(k) < pos; });
  std::vector<size_t> out;
  for (; it != s.warnings_by_pos.end() && at(*it) < piece.end; ++it) out.push_back(*it);
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

// Qualifiers as signs, for the side notes: 3,500 余名 reads "> 3,500 名".
const char* qualifier_sign(std::string_view q) {
  if (q == "more_than") return "> ";
  if (q == "less_than") return "< ";
  if (q == "at_least") return "≥ ";
  if (q == "at_most") return "≤ ";
  if (q == "about") return "≈ ";
  if (q == "nearly") return "≲ ";
  return q.empty() ? "" : "? ";
}

bool is_quantity(const Fact& f) { return is_quantity_kind(f.kind); }

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
    append_html(out, f.unit);  // as Chinese writes it: 15支, 97.2%, 1,000,000元
    out += "</b> ";
    if (f.subject.empty()) out += "<span class=\"none\">no subject</span>";
    else source_text(out, s.doc, f.subject);
    out += "</li>";
  }
  out += "</ul>";
}

// One paragraph: its code points in order, wrapped in sentence spans and fact marks
// that close and reopen wherever a boundary would otherwise cross, so the markup
// always nests whatever the spans are.
void write_paragraph(Section& s, Block& b, const Paragraph& p) {
  std::string& out = s.out;
  std::vector<size_t> here;  // facts that start in this paragraph
  std::vector<Stretch> stretches = sentence_stretches(p);
  size_t si = 0;
  // The facts before the cursor end before this paragraph when it comes after the last
  // one, as paragraphs do; else (never so from the stages) start over.
  if (p.pieces.empty() || p.pieces.front().start < b.cursor_pos) b.fact_cursor = 0;
  size_t fi = b.fact_cursor;
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
      // A warning sits right before the character it is about, inside its sentence.
      while (wi < warns.size() && s.warnings[warns[wi]].warning->span.start <= pos) warning_marker(out, s.warnings[warns[wi++]]);
      append_html(out, std::u32string_view(s.doc.text).substr(pos, 1), pos > 0 ? s.doc.text[pos - 1] : 0);
    }
  }
  close_sentence();
  b.fact_cursor = fi;
  if (!p.pieces.empty()) b.cursor_pos = p.pieces.back().end;
  out += "</p>";
  write_side_notes(s, b, here);
  out += "</div>\n";
}

// A heading as written, line by line, its organisation, role, name and headline
// marked in place.
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
    if (k > 0) out += "<br>";
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

}  // namespace

void find_warnings_in_text(Section& s) {
  std::vector<Span> pieces;
  for (const Block& b : s.blocks)
    for (const Paragraph& p : b.unit ? b.unit->paragraphs : b.sidebar->paragraphs)
      pieces.insert(pieces.end(), p.pieces.begin(), p.pieces.end());
  std::sort(pieces.begin(), pieces.end(), [](Span a, Span b) { return a.start < b.start; });
  for (WarningRef& w : s.warnings) {
    if (!w.warning->has_span) continue;
    uint32_t at = w.warning->span.start;
    auto it = std::upper_bound(pieces.begin(), pieces.end(), at, [](uint32_t pos, Span p) { return pos < p.start; });
    w.in_text = it != pieces.begin() && at < std::prev(it)->end;
  }
}

void write_text(Section& s) {
  for (Block& b : s.blocks) write_block(s, b);
}

}  // namespace digestx::render_parts
