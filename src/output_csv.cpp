#include "digestx/output_csv.hpp"

#include <charconv>
#include <cstring>

#include <nlohmann/json.hpp>

#include "digestx/output.hpp"
#include "digestx/utf.hpp"
#include "out_buffer.hpp"

namespace digestx {

namespace {

const char* const kFactColumns[] = {"source", "region", "report_year", "unit_index", "organization",
                                    "role",   "name",   "period",      "year",       "kind",
                                    "value",  "unit",   "qualifier",   "range_low",  "range_high",
                                    "subject", "aspect", "text",       "start",      "end",
                                    "part_of_start", "part_of_end", "status"};
const char* const kUnitColumns[] = {"source",  "region",  "report_year", "unit_index", "organization",
                                    "role",    "name",    "headline",    "heading",    "start",
                                    "end",     "paragraphs", "sentences", "facts"};

// One code point as UTF-8 at `o`, a quote doubled (the cell is quoted then), U+FFFD
// for what is no code point (as append_utf8); returns the end (at most 4 bytes on).
inline char* put_csv_char(char* o, char32_t c) {
  if (c == '"') {
    o[0] = o[1] = '"';
    return o + 2;
  }
  return put_utf8_at(o, c);
}

// Builds one record cell by cell; empty strings are the null cells. Text cells go
// through cell() (neutralised when they look like a formula), numbers through raw().
// The document's text goes through text(), from its code points straight to the
// output: a string per cell (the text, the subject, the organisation of each fact)
// made facts-csv slower than the JSON. Cells gather in a small buffer that goes to the
// output when full and when the row is done: an append to the output per cell was a
// third of writing a fact's row.
class Row {
 public:
  Row(std::string& out, const CsvOptions& o) : buf_(out), o_(o) {}
  Row(const Row&) = delete;
  Row& operator=(const Row&) = delete;
  Row& cell(std::string_view v) {
    if (!o_.neutralise_formulas || !looks_like_formula(v)) return raw(v);
    return raw("'" + std::string(v));
  }
  // The same as cell(slice(text, span)), and as cell(slice(text, pieces)) for a
  // subject (two pieces at most).
  Row& text(std::u32string_view text, Span span) { return this->text(text, span, Span{}); }
  Row& text(std::u32string_view text, const ShortPieces& pieces) { return this->text(text, pieces.first, pieces.second); }
  Row& text(std::u32string_view text, Span a, Span b) {
    std::u32string_view parts[2];
    size_t count = 0;
    for (Span s : {a, b})
      if (s.end <= text.size() && s.start < s.end) parts[count++] = text.substr(s.start, s.size());
    if (count == 0) return null();
    // The characters that quote a cell, and those of a formula, are ASCII: a code
    // point is one of them exactly when its UTF-8 is.
    bool quote = false;
    for (size_t k = 0; k < count && !quote; ++k)
      for (char32_t c : parts[k])
        if (c == '"' || c == '\r' || c == '\n' || c == char32_t(o_.delimiter)) {
          quote = true;
          break;
        }
    char first = parts[0][0] < 0x80 ? char(parts[0][0]) : '\0';
    bool prefix = o_.neutralise_formulas && looks_like_formula(std::string_view(&first, 1));
    separate();
    append_csv_text(parts, count, quote, prefix);
    return *this;
  }
  Row& raw(std::string_view v) {
    separate();
    if (v.size() > kRawMax) {  // long: quoted straight into the output
      buf_.spill();
      append_csv_cell(buf_.out(), v, o_.delimiter);
      return *this;
    }
    if (!needs_quotes(v)) {
      buf_.append(v);
      return *this;
    }
    char* o = buf_.room(2 * v.size() + 2);
    *o++ = '"';
    for (char ch : v) {
      if (ch == '"') *o++ = '"';
      *o++ = ch;
    }
    *o++ = '"';
    buf_.commit(o);
    return *this;
  }
  // Cells written before, as they were (the columns every row of a unit starts with).
  Row& written(std::string_view cells) {
    buf_.append(cells);
    first_ = false;
    return *this;
  }
  // A whole number is digits and a sign, never quoted (the delimiter is ',' or tab):
  // written straight into the buffer. Through raw(), checked for quotes and copied, a
  // fact's year, start and end were 20 M instructions per 2 MB of text.
  Row& number(long long v) {
    separate();
    char* o = buf_.room(24);
    buf_.commit(std::to_chars(o, o + 24, v).ptr);
    return *this;
  }
  Row& decimal(const std::optional<Decimal>& d) { return raw(d ? d->str() : std::string()); }
  Row& year(const std::optional<int>& y) { return y ? number(*y) : null(); }
  // An empty cell, the JSON's null: its delimiter alone. Through cell(""), the checks
  // for a formula and for quotes made it 70 instructions (most rows have four: the
  // range and part_of).
  Row& null() {
    separate();
    return *this;
  }
  void end() {
    buf_.append(o_.newline);
    buf_.spill();
  }

 private:
  static constexpr size_t kRawMax = 256;
  bool needs_quotes(std::string_view v) const {
    for (char ch : v)
      if (ch == '"' || ch == '\r' || ch == '\n' || ch == o_.delimiter) return true;
    return false;
  }
  void separate() {
    if (!first_) buf_.put(o_.delimiter);
    first_ = false;
  }
  // Code points as UTF-8 (U+FFFD for what is none, as append_utf8), quotes doubled.
  void append_csv_text(const std::u32string_view* parts, size_t count, bool quote, bool prefix) {
    char* o = buf_.room(2);
    if (quote) *o++ = '"';
    if (prefix) *o++ = '\'';
    buf_.commit(o);
    for (size_t k = 0; k < count; ++k)
      for (char32_t c : parts[k]) buf_.commit(put_csv_char(buf_.room(4), c));
    if (quote) buf_.put('"');
  }

  OutBuffer<2048> buf_;  // the row's cells on their way to the output
  const CsvOptions& o_;
  bool first_ = true;
};

template <size_t N>
void write_header(std::string& out, const char* const (&columns)[N], const CsvOptions& o) {
  Row row(out, o);
  if (o.with_id) row.cell("id");
  for (const char* c : columns) row.cell(c);
  row.end();
}

// The columns every row of a document starts with.
struct DocumentCells {
  std::string id, source, region;
  std::optional<int> report_year;
  bool id_is_text = false;  // a JSON string id; any other is a JSON value as written
};

DocumentCells document_cells(const Document& doc) {
  return {id_cell(doc.id), valid_utf8(doc.source.path), region_of(doc), doc.report_year,
          !doc.id.empty() && doc.id[0] == '"'};
}

void start_row(Row& row, const DocumentCells& d, const CsvOptions& o) {
  if (o.with_id) d.id_is_text ? row.cell(d.id) : row.raw(d.id);  // a number id stays a number
  row.cell(d.source).cell(d.region).year(d.report_year);
}

// The columns every fact row of a unit starts with, written once for all its facts:
// the document's, and the unit's (a sidebar's facts have none).
std::string unit_cells(const Document& doc, const DocumentCells& d, const Unit* unit, size_t index, const CsvOptions& o) {
  std::string cells;
  {
    Row row(cells, o);  // spilled into `cells` when it goes
    start_row(row, d, o);
    if (unit) {
      row.number((long long)index);
      row.text(doc.text, unit->organization).text(doc.text, unit->role).text(doc.text, unit->name);
    } else {
      row.null().null().null().null();
    }
  }
  return cells;
}

// `cells`: unit_cells of the fact's unit.
void fact_row(std::string& out, const Document& doc, std::string_view cells, const Fact& f, const CsvOptions& o) {
  Row row(out, o);
  row.written(cells);
  if (const char* period = period_name(f.period)) row.cell(period);
  else row.null();
  row.year(f.year).cell(f.kind).decimal(f.value).cell(f.unit).cell(f.qualifier);
  if (f.range) row.decimal(f.range->first).decimal(f.range->second);
  else row.null().null();
  row.text(doc.text, f.subject).cell(f.aspect);
  // An HTML page's fact: the page's span and text (12</b>亿元), as in the JSON.
  Span span = doc.page.to_page(f.span);
  row.text(doc.page.source(doc.text), span);
  row.number(span.start).number(span.end);
  if (f.part_of.empty()) {  // 其中财政资金3000万元: the 5000万元 it lies in
    row.null().null();
  } else {
    Span whole = doc.page.to_page(f.part_of);
    row.number(whole.start).number(whole.end);
  }
  row.cell(f.status);  // target, forecast; empty for an outcome
  row.end();
}

}  // namespace

void append_csv_cell(std::string& out, std::string_view v, char delimiter) {
  // One pass over the cell, its stretches between quotes appended whole (a search of
  // the four characters at each character of the cell was 12% of a facts-csv run).
  size_t special = 0;
  while (special < v.size() && v[special] != '"' && v[special] != '\r' && v[special] != '\n' &&
         v[special] != delimiter)
    ++special;
  if (special == v.size()) {
    out += v;
    return;
  }
  out += '"';
  for (size_t from = 0;;) {
    size_t q = v.find('"', from);
    if (q == std::string_view::npos) {
      out.append(v.data() + from, v.size() - from);
      break;
    }
    out.append(v.data() + from, q + 1 - from);
    out += '"';
    from = q + 1;
  }
  out += '"';
}

bool looks_like_formula(std::string_view v) {
  return !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r');
}

std::string id_cell(const std::string& raw) {
  if (raw.empty() || raw[0] != '"') return raw;
  try {
    return nlohmann::json::parse(raw).get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return raw;  // not reached for ids read by records mode, which are valid JSON
  }
}

void write_facts_header(std::string& out, const CsvOptions& o) { write_header(out, kFactColumns, o); }
void write_units_header(std::string& out, const CsvOptions& o) { write_header(out, kUnitColumns, o); }

namespace {

void maybe_flush(std::string& out, const Flush& flush) {
  if (flush && out.size() >= kFlushBytes) flush(out);
}

}  // namespace

namespace {

// The fact rows of unit `index` (none when it has no facts).
void unit_fact_rows(std::string& out, const Document& doc, const DocumentCells& d, const Unit& u, size_t index,
                    const CsvOptions& o, const Flush& flush) {
  if (u.facts.empty()) return;
  std::string cells = unit_cells(doc, d, &u, index, o);
  for (const Fact& f : u.facts) {
    fact_row(out, doc, cells, f, o);
    maybe_flush(out, flush);
  }
}

// The row of unit `index`.
void unit_row(std::string& out, const Document& doc, const DocumentCells& d, const Unit& u, size_t index,
              const CsvOptions& o) {
  size_t sentences = 0;
  for (const Paragraph& p : u.paragraphs) sentences += p.sentences.size();
  Row row(out, o);
  start_row(row, d, o);
  row.number((long long)index);
  row.cell(field_slice(doc.text, u.organization)).cell(field_slice(doc.text, u.role)).cell(field_slice(doc.text, u.name));
  row.cell(slice(doc.text, u.headline)).cell(slice(doc.text, u.heading));
  if (u.heading.empty()) row.null().null();
  else {
    Span heading = doc.page.to_page(covering(u.heading));
    row.number(heading.start).number(heading.end);
  }
  row.number((long long)u.paragraphs.size()).number((long long)sentences).number((long long)u.facts.size());
  row.end();
}

// Each unit of `doc` through `write` (or as written ahead), its buffer handed to
// `flush` between units.
template <class WriteUnit>
void each_unit(std::string& out, const Document& doc, const Flush& flush, const UnitStream* units,
               const WriteUnit& write) {
  for (size_t i = 0; i < unit_count(doc, units); ++i) {
    if (units) units->before(i);
    const std::string* ahead = written_at(units, i);
    if (ahead) out += *ahead;
    else write(unit_at(doc, units, i), i);
    if (units) units->after(i);
    maybe_flush(out, flush);
  }
  if (units) units->finish();
}

}  // namespace

void write_facts_rows(std::string& out, const Document& doc, const CsvOptions& o, const Flush& flush,
                      const UnitStream* units) {
  DocumentCells d = document_cells(doc);
  // Sidebars first, as in the JSON, so that rows follow the order of the document.
  if (!doc.sidebars.empty()) {
    std::string cells = unit_cells(doc, d, nullptr, 0, o);
    for (const Sidebar& sb : doc.sidebars)
      for (const Fact& f : sb.facts) {
        fact_row(out, doc, cells, f, o);
        maybe_flush(out, flush);
      }
  }
  each_unit(out, doc, flush, units, [&](const Unit& u, size_t i) { unit_fact_rows(out, doc, d, u, i, o, flush); });
}

void write_units_rows(std::string& out, const Document& doc, const CsvOptions& o, const Flush& flush,
                      const UnitStream* units) {
  DocumentCells d = document_cells(doc);
  each_unit(out, doc, flush, units, [&](const Unit& u, size_t i) { unit_row(out, doc, d, u, i, o); });
}

UnitWriter facts_rows_ahead(const Document& doc, const CsvOptions& o) {
  return [&doc, o, d = document_cells(doc)](std::string& out, const Unit& u, size_t i) {
    unit_fact_rows(out, doc, d, u, i, o, {});
  };
}

UnitWriter unit_row_ahead(const Document& doc, const CsvOptions& o) {
  return [&doc, o, d = document_cells(doc)](std::string& out, const Unit& u, size_t i) { unit_row(out, doc, d, u, i, o); };
}

}  // namespace digestx
