#include "formats.hpp"
#include <algorithm>

namespace digestx::cli {

std::optional<Format> parse_format(const std::string& name) {
  if (name == "json") return Format::json;
  if (name == "jsonl") return Format::jsonl;
  if (name == "facts-csv") return Format::facts_csv;
  if (name == "facts-tsv") return Format::facts_tsv;
  if (name == "units-csv") return Format::units_csv;
  return std::nullopt;
}

const char* file_ending(Format f) {
  switch (f) {
    case Format::facts_csv: return ".facts.csv";
    case Format::facts_tsv: return ".facts.tsv";
    case Format::units_csv: return ".units.csv";
    default: return ".json";
  }
}

Framing make_framing(Format format, bool several, const OutputOptions& json, bool with_id) {
  Framing f;
  f.format = format;
  f.several = several;
  f.json = json;
  // JSON lines are one line each, whatever the terminal.
  if (format != Format::json) f.json.pretty = false;
  f.csv.with_id = with_id;
  if (format == Format::facts_tsv) {
    f.csv.delimiter = '\t';
    f.csv.newline = "\n";
  }
  return f;
}

std::string stream_start(const Framing& f) {
  std::string out;
  if (f.format == Format::json && f.several) out = f.json.pretty ? "[\n" : "[";
  else if (f.format == Format::units_csv) write_units_header(out, f.csv);
  else if (f.is_table()) write_facts_header(out, f.csv);
  return out;
}

std::string stream_separator(const Framing& f) {
  if (f.format == Format::json && f.several) return f.json.pretty ? ",\n" : ",";
  return {};
}

std::string stream_end(const Framing& f) {
  if (f.format == Format::json && f.several) return f.json.pretty ? "\n]\n" : "]\n";
  return {};
}

namespace {

// Output bytes per character of text, a little over what compact JSON of a dense digest
// takes (16.5 on bench's big.txt, 11 to 15 on the samples; facts-csv 7).
constexpr size_t kOutputBytesPerChar = 20;
constexpr size_t kMaxReserve = size_t(32) << 20;

void format_into(std::string& out, const Document& doc, const Framing& f, const Flush& flush,
                 const UnitStream* units = nullptr) {
  switch (f.format) {
    case Format::json:
      write_document(out, doc, f.json, flush, units);
      if (!f.several) out += '\n';
      break;
    case Format::jsonl:
      write_document(out, doc, f.json, flush, units);
      out += '\n';
      break;
    case Format::units_csv: write_units_rows(out, doc, f.csv, flush, units); break;
    default: write_facts_rows(out, doc, f.csv, flush, units); break;
  }
}

}  // namespace

std::string format_document(const Document& doc, const Framing& f) {
  std::string out;
  // Room for the whole output at once: grown by doubling, a 2 MB digest's 12 MB of JSON
  // was copied four times over into fresh pages (a fifth of the run's time in memmove
  // and its page faults). Pages never written are never touched, so a generous guess
  // costs address space only.
  // At most kMaxReserve: a 50 MB record of ASCII text (records are not streamed) asked
  // for 1 GB, refused under a mapper's limit of virtual memory (bad_alloc).
  out.reserve(std::min(kOutputBytesPerChar * doc.text.size() + kFlushBytes / 16, kMaxReserve));
  format_into(out, doc, f, {});
  return out;
}

void stream_document(const Document& doc, const Framing& f, const Flush& flush, const UnitStream* units) {
  std::string out;
  out.reserve(kFlushBytes + (kFlushBytes >> 2));
  format_into(out, doc, f, flush, units);
  if (!out.empty()) flush(out);
}

UnitWriter unit_writer(const Document& doc, const Framing& f) {
  switch (f.format) {
    case Format::json:
    case Format::jsonl:
      return [&doc, o = f.json](std::string& out, const Unit& u, size_t i) { write_unit_ahead(out, doc, u, i, o); };
    case Format::units_csv: return unit_row_ahead(doc, f.csv);
    default: return facts_rows_ahead(doc, f.csv);
  }
}

std::string format_error(const SourceInfo& source, const std::string& id, const std::string& code,
                         const std::string& message, const Framing& f) {
  std::string out;
  if (f.is_table()) return out;
  write_error(out, source, code, message, f.json, id);
  if (f.format == Format::jsonl || !f.several) out += '\n';
  return out;
}

std::string format_file(const Document& doc, const Framing& f) {
  Framing one = f;
  one.several = false;
  std::string out = stream_start(one);
  out += format_document(doc, one);
  return out;
}

}  // namespace digestx::cli
