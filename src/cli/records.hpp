// Records mode (`--input jsonl`): one JSON object {"id": ..., "text": ...} per line,
// the way map-reduce tools (GNU parallel --pipe, Hadoop Streaming, Spark's
// RDD.pipe) hand work to a mapper.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace digestx::cli {

struct Record {
  std::string id;    // the id as written in the line (raw JSON text); empty if absent
  std::string text;  // UTF-8
  std::string error_code, error_message;  // set when the line is not a usable record
};

// Parses one line, with memory bounded by the line and its text: the members other
// than "id" and "text" are checked and skipped, never built into a tree (a record of
// 100 MB of numbers would take gigabytes as a DOM). The id is echoed back byte for
// byte, so that any JSON value (a string, a big number, an object) joins back to its
// input exactly. A record with two members "id" or two "text" is refused: which one
// the writer meant is anybody's guess.
Record parse_record(const std::string& line);

// A line of at most max_bytes; a longer one is skipped to its end (read in blocks,
// stored nowhere) and comes back as `too_long`. When no line end comes within
// kSkipLimit bytes after that (`/dev/zero`), the line is `unended` and the reader
// gives up on the input.
struct Line {
  std::string text;
  uint64_t bytes = 0;  // the line's length, \r\n aside (counted even when skipped)
  bool too_long = false;
  bool unended = false;
};
constexpr uint64_t kSkipLimit = uint64_t(1) << 30;

class LineReader {
 public:
  LineReader(int fd, size_t max_bytes);
  // The next line; nullopt at the end of input. Throws digestx::InputError when
  // the descriptor cannot be read (is_directory, unreadable).
  std::optional<Line> next();

 private:
  bool fill();
  int fd_;
  size_t max_;
  std::unique_ptr<char[]> buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
};

// One line of the inputs for a worker, or the failure of an input in its place.
struct RecordLine {
  std::string text;
  std::string source;  // the input ("-" for stdin)
  size_t line = 0;     // 1-based; 0 when the whole input failed
  uint64_t bytes = 0;
  std::string error_code, error_message;  // a line or an input that gives an error record
};

// The non-blank lines of the inputs one after the other ("-" = stdin). An input that
// cannot be opened or read gives one error line and the reader goes on with the next
// input: one missing file never stops a batch.
class RecordReader {
 public:
  RecordReader(std::vector<std::string> inputs, size_t max_bytes);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;
  bool next(RecordLine& out);

 private:
  bool open(RecordLine& out);  // false: `out` holds why the input cannot be read
  void close();
  std::vector<std::string> inputs_;
  size_t max_;
  size_t at_ = 0, line_no_ = 0;
  int fd_ = -1;
  std::optional<LineReader> reader_;
};

// The next record line as a task of the worker pool (extract and panel alike).
struct Task;
bool next_task(RecordReader& reader, Task& task);

}  // namespace digestx::cli
