// Progress of a batch on stderr, one line redrawn in place: files done / total,
// MB/s, ETA. Only when asked (a terminal on stderr and several inputs, or --progress).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace digestx::cli {

class Progress {
 public:
  // total_files / total_bytes: 0 when unknown (records read from a stream).
  Progress(bool enabled, size_t total_files, uint64_t total_bytes);
  ~Progress();
  void done_one(uint64_t bytes);
  // A failure on stderr ("digestx: what", printable), clear of the progress line.
  void note(const std::string& what);
  void finish();  // the last figures, then a newline

 private:
  void draw(bool final);
  bool enabled_;
  size_t total_files_, done_files_ = 0;
  uint64_t total_bytes_, done_bytes_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false, finished_ = false;
  size_t last_width_ = 0;  // of the line on screen
};

}  // namespace digestx::cli
