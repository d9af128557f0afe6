#include "digestx/output_csv.hpp"

#include <nlohmann/json.hpp>

#include "digestx/output.hpp"
#include "digestx/utf.hpp"

namespace digestx {

namespace {

const char* const kFactColumns[] = {"source", "region", "report_year", "unit_index", "organization",
                                    "role",   "name",   "period",      "year",       "kind",
                                    "value",  "unit",   "qualifier",   "range_low",  "range_high",
                                    "subject", "aspect", "text",       "start",      "end"};
const char* const kUnitColumns[] = {"source",  "region",  "report_year", "unit_index", "organization",
                                    "role",    "name",    "headline",    "heading",    "start",
                                    "end",     "paragraphs", "sentences", "facts"};

// Builds one record cell by cell; empty strings are the null cells. Text cells go
// through cell() (neutralised when they look like a formula), numbers through raw().
class Row {
 public:
  Row(std::string& out, const CsvOptions& o) : out_(out), o_(o) {}
  Row& cell(std::string_view v) {
    if (!o_.neutralise_formulas || !looks_like_formula(v)) return raw(v);
    return raw("'" + std::string(v));
  }
  Row& raw(std::string_view v) {
    if (!first_) out_ += o_.delimiter;
    first_ = false;
    append_csv_cell(out_, v, o_.delimiter);
    return *this;
  }
  Row& number(long long v) { return raw(std::to_string(v)); }
  Row& decimal(const std::optional<Decimal>& d) { return raw(d ? d->str() : std::string()); }
  Row& year(const std::optional<int>& y) { return raw(y ? std::to_string(*y) : std::string()); }
  void end() { out_ += o_.newline; }

 private:
  std::string& out_;
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

// Unit columns of a fact row; a sidebar's facts have none.
void fact_row(std::string& out, const Document& doc, const DocumentCells& d, const Unit* unit, size_t index,
              const Fact& f, const CsvOptions& o) {
  Row row(out, o);
  start_row(row, d, o);
  if (unit) {
    row.number((long long)index);
    row.cell(slice(doc.text, unit->organization)).cell(slice(doc.text, unit->role)).cell(slice(doc.text, unit->name));
  } else {
    row.cell("").cell("").cell("").cell("");
  }
  const char* period = period_name(f.period);
  row.cell(period ? period : "").year(f.year).cell(f.kind).decimal(f.value).cell(f.unit).cell(f.qualifier);
  if (f.range) row.decimal(f.range->first).decimal(f.range->second);
  else row.cell("").cell("");
  row.cell(slice(doc.text, f.subject)).cell(f.aspect).cell(slice(doc.text, f.span));
  row.number(f.span.start).number(f.span.end);
  row.end();
}

}  // namespace

void append_csv_cell(std::string& out, std::string_view v, char delimiter) {
  bool quote = v.find_first_of(std::string{'"', '\r', '\n', delimiter}) != std::string_view::npos;
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
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

void write_facts_rows(std::string& out, const Document& doc, const CsvOptions& o, const Flush& flush,
                      const UnitStream* units) {
  DocumentCells d = document_cells(doc);
  // Sidebars first, as in the JSON, so that rows follow the order of the document.
  for (const Sidebar& sb : doc.sidebars)
    for (const Fact& f : sb.facts) {
      fact_row(out, doc, d, nullptr, 0, f, o);
      maybe_flush(out, flush);
    }
  for (size_t i = 0; i < unit_count(doc, units); ++i) {
    if (units) units->before(i);
    const Unit& u = unit_at(doc, units, i);
    for (const Fact& f : u.facts) {
      fact_row(out, doc, d, &u, i, f, o);
      maybe_flush(out, flush);
    }
    if (units) units->after(i);
  }
  if (units) units->finish();
}

void write_units_rows(std::string& out, const Document& doc, const CsvOptions& o, const Flush& flush,
                      const UnitStream* units) {
  DocumentCells d = document_cells(doc);
  for (size_t i = 0; i < unit_count(doc, units); ++i) {
    if (units) units->before(i);
    const Unit& u = unit_at(doc, units, i);
    size_t sentences = 0;
    for (const Paragraph& p : u.paragraphs) sentences += p.sentences.size();
    Row row(out, o);
    start_row(row, d, o);
    row.number((long long)i);
    row.cell(slice(doc.text, u.organization)).cell(slice(doc.text, u.role)).cell(slice(doc.text, u.name));
    row.cell(slice(doc.text, u.headline)).cell(slice(doc.text, u.heading));
    if (u.heading.empty()) row.cell("").cell("");
    else row.number(covering(u.heading).start).number(covering(u.heading).end);
    row.number((long long)u.paragraphs.size()).number((long long)sentences).number((long long)u.facts.size());
    row.end();
    if (units) units->after(i);
    maybe_flush(out, flush);
  }
  if (units) units->finish();
}

}  // namespace digestx
