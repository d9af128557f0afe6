// Stage 8, output as tables: the facts or the units of a document as CSV/TSV rows
// for spreadsheets and pandas. RFC 4180 quoting, UTF-8, one header line; values
// exactly as in the JSON (Decimal::str()), an empty cell where the JSON has null.
#pragma once

#include <string>

#include "digestx/document.hpp"
#include "digestx/output.hpp"

namespace digestx {

struct CsvOptions {
  char delimiter = ',';          // ',' for CSV, '\t' for TSV
  const char* newline = "\r\n";  // RFC 4180 ends records with CRLF; TSV uses "\n"
  bool with_id = false;          // records mode: an `id` column first
  // A text cell that starts with = + - @ (or a tab or CR) gets a ' in front, so that
  // a spreadsheet shows it rather than running it as a formula (OWASP's advice on
  // CSV injection: a headline "=HYPERLINK(...)" or a file named "-2+3.txt" would
  // run). Numbers (value, range, year, start, end) are never changed: -3.5 stays a
  // number. Off with --csv-raw.
  bool neutralise_formulas = true;
};

// One row per fact, sidebars' facts included (with empty unit columns):
// [id,] source, region, report_year, unit_index, organization, role, name, period,
// year, kind, value, unit, qualifier, range_low, range_high, subject, text, start, end
void write_facts_header(std::string& out, const CsvOptions& options);
void write_facts_rows(std::string& out, const Document& doc, const CsvOptions& options, const Flush& flush = {},
                      const UnitStream* units = nullptr);

// One row per unit: [id,] source, region, report_year, unit_index, organization,
// role, name, headline, heading, start, end, paragraphs, sentences, facts
void write_units_header(std::string& out, const CsvOptions& options);
void write_units_rows(std::string& out, const Document& doc, const CsvOptions& options, const Flush& flush = {},
                      const UnitStream* units = nullptr);

// What write_facts_rows and write_units_rows write for one unit of `doc` (which
// must outlive them), for the threads that fill a large document (see UnitWriter).
UnitWriter facts_rows_ahead(const Document& doc, const CsvOptions& options);
UnitWriter unit_row_ahead(const Document& doc, const CsvOptions& options);

// One cell, quoted when it holds the delimiter, a quote, CR or LF (quotes doubled).
void append_csv_cell(std::string& out, std::string_view value, char delimiter);
// Whether a spreadsheet may take a text cell for a formula (see neutralise_formulas).
bool looks_like_formula(std::string_view value);

// The `id` column's text: a JSON string id unquoted, any other JSON value as written.
std::string id_cell(const std::string& raw_json_id);

}  // namespace digestx
