// Runs tasks on N worker threads and hands their results back in task order, with at
// most `window` tasks claimed but not yet handed back: memory is bounded by the
// window, never by the number of tasks, and the output does not depend on N.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "digestx/document.hpp"
#include "digestx/pipeline.hpp"

namespace digestx::cli {

struct Stats;  // summary.hpp

// What a task leaves for the writer: its formatted output and what the exit status
// and progress need.
struct Result {
  std::string output;
  // A large document is kept and formatted by the writer straight into the output,
  // so that its text never sits in memory twice (output is empty then); its units
  // are filled as they are written, and `facts` and `note` are known only then.
  std::shared_ptr<StreamedDocument> deferred;
  std::string message;  // for stderr, e.g. why the input failed
  std::string note;     // for stderr too, about an input that did not fail: the summary of its warnings
  std::shared_ptr<const Stats> stats;  // --summary: what the document holds
  size_t facts = 0;
  size_t bytes = 0;
  bool error = false;
  bool skipped = false;
};

// What `next` hands to `run`: in records mode the line read; unused for files,
// which `run` reads itself (in parallel).
struct Task {
  std::string text;
  std::string source;
  size_t line = 0;
  uint64_t bytes = 0;
  std::string error_code, error_message;  // a line or an input that gives an error record
};

struct PoolJob {
  // Claims the next task; returns false when there is none. Called by one thread
  // at a time, in task order, so it may read a stream. Fills a context for `run`.
  std::function<bool(size_t index, Task& task)> next;
  // Does the work of one task (in parallel, on any worker).
  std::function<Result(size_t index, Task& task)> run;
  // Receives the results in task order, one call at a time (on whichever worker
  // finished the task next in order); may throw (a broken pipe), which stops the
  // workers after their current task and is rethrown by run_ordered.
  std::function<void(size_t index, Result& result)> emit;
};

// jobs <= 1 runs everything on the calling thread; otherwise the calling thread is
// one of the `jobs` workers.
void run_ordered(const PoolJob& job, size_t jobs, size_t window);

// For `run` (the units of a large input): calls work(0..n-1) on this thread and on
// the workers of the same run_ordered that have nothing else to do (waiting for room
// in the window, or past the last task). Outside run_ordered's workers, all on this
// thread. The first exception of `work` is rethrown once every call has ended.
void run_shared(size_t n, const std::function<void(size_t)>& work);

// The same started now and ended later: hands work(0..n-1) to the idle workers of this
// run_ordered and returns at once a function that ends it (runs the calls not yet
// taken on the calling thread, waits for the others, rethrows the first exception).
// It must be called, on a worker of the same run, before the pool ends. A streamed
// document so fills its next window of units while the writer writes the one before.
// Outside run_ordered's workers, every call runs on the joining thread.
std::function<void()> post_shared(size_t n, std::function<void(size_t)> work);

// For `next`: waits until ready() holds, running units of run_shared meanwhile;
// ready() is checked again whenever wake_workers() is called. Outside run_ordered's
// workers (jobs <= 1) ready() must already hold.
void wait_helping(const std::function<bool()>& ready);
void wake_workers();

}  // namespace digestx::cli
