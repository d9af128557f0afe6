// Stage 8, output: the document as the JSON of the contract (format digestx/1),
// written straight into a string buffer; values printed exactly from their decimals.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "digestx/document.hpp"

namespace digestx {

struct OutputOptions {
  bool pretty = false;   // indented, for terminals; compact is one line
  bool explain = false;  // add the names of the rules behind units, periods and facts
};

// Called with the buffer when it has grown past kFlushBytes: the callee writes it
// out and clears it. Large documents are so written in bounded memory.
using Flush = std::function<void(std::string& buffer)>;
constexpr size_t kFlushBytes = size_t(1) << 20;

// A document whose units are filled while it is written (pipeline.hpp's
// StreamedDocument): `before(i)` comes before unit i is written (it may fill the units
// from i on), `after(i)` once it is (it may free it), `finish()` after the last unit,
// before what follows the units (the warnings).
// When `unit` is set, the document's units are not in doc.units (a large document's
// would all be there at once) but `count` units given one at a time, each valid from
// before(i) to after(i).
// When `written` is set and gives a unit's text, that unit was written ahead (see
// UnitWriter) and its text is taken as it is; nullptr: the writer writes unit(i).
struct UnitStream {
  std::function<void(size_t)> before, after;
  std::function<void()> finish;
  size_t count = 0;
  std::function<const Unit&(size_t)> unit;
  std::function<const std::string*(size_t)> written;
};

// Appends unit `index` of a document as the document's writer would write it in its
// place, so that the threads that fill a large document's units write them too (the
// writer then only copies): given to StreamedDocument::stream by the caller, who
// knows the format (write_unit_ahead, facts_rows_ahead, unit_row_ahead).
using UnitWriter = std::function<void(std::string& out, const Unit& unit, size_t index)>;

// The JSON of unit `index` of `doc` in its place in write_document's "units" (its
// comma and, pretty, its indent included).
void write_unit_ahead(std::string& out, const Document& doc, const Unit& unit, size_t index, const OutputOptions& options);

// The number of units of `doc` and unit i, from `units` when it gives them.
inline size_t unit_count(const Document& doc, const UnitStream* units) {
  return units && units->unit ? units->count : doc.units.size();
}
inline const Unit& unit_at(const Document& doc, const UnitStream* units, size_t i) {
  return units && units->unit ? units->unit(i) : doc.units[i];
}
// Unit i's text when `units` wrote it ahead, nullptr when the writer writes it.
inline const std::string* written_at(const UnitStream* units, size_t i) {
  return units && units->written ? units->written(i) : nullptr;
}

// Appends the document's JSON (no trailing newline), handing the buffer to `flush`
// (when given) whenever it passes kFlushBytes.
void write_document(std::string& out, const Document& doc, const OutputOptions& options, const Flush& flush = {},
                    const UnitStream* units = nullptr);

// Appends the contract's error record for an input that could not be read or decoded.
void write_error(std::string& out, const SourceInfo& source, const std::string& code, const std::string& message,
                 const OutputOptions& options, const std::string& id = {});

// `digestx numbers`: {"numbers": [{"text", "span", "value"}], "facts": [...]} for one line.
struct LineAnalysis;
void write_line(std::string& out, const LineAnalysis& line, const OutputOptions& options);

// Text of pieces of the source, joined.
std::string slice(std::u32string_view text, const Pieces& pieces);
std::string slice(std::u32string_view text, Span span);
// A unit's organisation, role or name: the source text without the line breaks of a
// heading set over two lines and the white space that sets the next line in (书记、管委 /
// 会主任: 书记、管委会主任); white space inside a line stays (杨　帆).
std::string field_slice(std::u32string_view text, Span span);

// The document's region: the one given (--region, the path) or the text's; empty = null.
std::string region_of(const Document& doc);

// A JSON string literal (quoted, escaped).
void append_json_string(std::string& out, std::string_view utf8);

}  // namespace digestx
