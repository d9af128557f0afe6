// Records mode (`--input jsonl`): one JSON object {"id": ..., "text": ...} per line,
// the way map-reduce tools (GNU parallel --pipe, Hadoop Streaming, Spark's
// RDD.pipe) hand work to a mapper.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

namespace digestx::cli {

struct Record {
  std::string id;    // the id as written in the line (raw JSON text); empty if absent
  std::string text;  // UTF-8
  std::string error_code, error_message;  // set when the line is not a usable record
};

// Parses one line. The id is echoed back byte for byte, so that any JSON value
// (a string, a big number, an object) joins back to its input exactly.
Record parse_record(const std::string& line);

// Reads lines of at most max_bytes; a longer line is skipped to its end and comes
// back as `too_long` set. nullopt at the end of input.
struct Line {
  std::string text;
  bool too_long = false;
};
std::optional<Line> read_line(std::FILE* in, size_t max_bytes);

}  // namespace digestx::cli
