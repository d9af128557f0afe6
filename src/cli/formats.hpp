// The output formats of `digestx extract` and how a stream of documents is framed in
// each: a JSON array, JSON lines, or one table with a single header.
#pragma once

#include <optional>
#include <string>

#include "digestx/document.hpp"
#include "digestx/output.hpp"
#include "digestx/output_csv.hpp"

namespace digestx::cli {

enum class Format { json, jsonl, facts_csv, facts_tsv, units_csv };

std::optional<Format> parse_format(const std::string& name);
// --output-dir: the file name ending of each format (".json", ".facts.csv", ...).
const char* file_ending(Format f);

struct Framing {
  Format format = Format::json;
  bool several = false;  // json: an array of documents rather than one document
  OutputOptions json;
  CsvOptions csv;
  bool is_table() const { return format != Format::json && format != Format::jsonl; }
};

Framing make_framing(Format f, bool several, const OutputOptions& json, bool with_id);

// Before the first record (an array's "[" or a table's header), between two records,
// and after the last. A stream with no records is still well-formed: "[]" or a header.
std::string stream_start(const Framing& f);
std::string stream_separator(const Framing& f);
std::string stream_end(const Framing& f);

// One document, or one input's error record, ready to be framed. A table has no
// place for an error record: it gives no rows (the message goes to stderr).
std::string format_document(const Document& doc, const Framing& f);
// The same, written in pieces of about kFlushBytes through `flush` (a large document),
// its units filled and freed as they are written when `units` is given.
void stream_document(const Document& doc, const Framing& f, const Flush& flush, const UnitStream* units = nullptr);
// What the format writes for one unit of `doc` in its place, for the threads that
// fill a large document's units (StreamedDocument::stream).
UnitWriter unit_writer(const Document& doc, const Framing& f);
std::string format_error(const SourceInfo& source, const std::string& id, const std::string& code,
                         const std::string& message, const Framing& f);

// A whole file of one document for --output-dir (a table with its header).
std::string format_file(const Document& doc, const Framing& f);

}  // namespace digestx::cli
