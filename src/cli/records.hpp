// Records mode (`--input jsonl`): one JSON object {"id": ..., "text": ...} per line,
// the way map-reduce tools (GNU parallel --pipe, Hadoop Streaming, Spark's
// RDD.pipe) hand work to a mapper.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

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

// Records mode reads the lines of its inputs one after the other ("-" = stdin).
struct Task;
class RecordReader {
 public:
  RecordReader(std::vector<std::string> inputs, size_t max_bytes) : inputs_(std::move(inputs)), max_(max_bytes) {}
  ~RecordReader() { close(); }
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // The next non-blank line; throws std::runtime_error for an input that cannot be opened.
  bool next(Task& task);

 private:
  void open(const std::string& path);
  void close();
  std::vector<std::string> inputs_;
  size_t max_;
  size_t at_ = 0, line_no_ = 0;
  std::FILE* file_ = nullptr;
};

}  // namespace digestx::cli
