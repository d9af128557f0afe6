#include "progress.hpp"

#include <algorithm>
#include <string>

#include "io.hpp"

namespace digestx::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::string clock_time(double seconds) {
  long s = long(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

}  // namespace

Progress::Progress(bool enabled, size_t total_files, uint64_t total_bytes)
    : enabled_(enabled), total_files_(total_files), total_bytes_(total_bytes), start_(Clock::now()) {}

Progress::~Progress() { finish(); }

void Progress::done_one(uint64_t bytes) {
  ++done_files_;
  done_bytes_ += bytes;
  if (!enabled_) return;
  // A terminal redrawn a few times a second is enough to read and costs nothing.
  auto now = Clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(false);
}

void Progress::note(const std::string& what) {
  if (enabled_ && drawn_ && !finished_) std::fprintf(stderr, "\r%*s\r", int(last_width_), "");
  note_failure();  // notes here are inputs that failed
  std::fprintf(stderr, "digestx: %s\n", printable(what).c_str());
  if (enabled_ && drawn_ && !finished_) draw(false);
}

void Progress::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  draw(true);
  std::fputc('\n', stderr);
}

void Progress::draw(bool final) {
  drawn_ = true;
  double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  double rate = elapsed > 0 ? double(done_bytes_) / elapsed : 0;
  std::string line = std::to_string(done_files_);
  line += total_files_ ? "/" + std::to_string(total_files_) + " files" : " records";
  char buf[64];
  std::snprintf(buf, sizeof buf, "  %.1f MB/s", rate / 1e6);
  line += buf;
  if (final) {
    line += "  in " + clock_time(elapsed);
  } else if (total_files_ && done_files_ > 0) {
    // By bytes when the sizes are known, by files otherwise.
    double left = total_bytes_ && rate > 0 ? double(total_bytes_ - std::min(done_bytes_, total_bytes_)) / rate
                                           : elapsed / double(done_files_) * double(total_files_ - done_files_);
    line += "  ETA " + clock_time(left);
  }
  // One line redrawn in place: \r, and spaces over what a longer line left (no
  // terminal escapes, so that --progress into a file stays readable).
  size_t width = line.size();
  if (line.size() < last_width_) line.append(last_width_ - line.size(), ' ');
  last_width_ = width;
  std::fprintf(stderr, "\r%s", line.c_str());
  std::fflush(stderr);
}

}  // namespace digestx::cli
