#include "ordered_pool.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace digestx::cli {

namespace {

// The shared state of one run: results parked in a ring of `window` slots until
// their turn comes. The thread that parks the result next in order hands it (and any
// that follow, already parked) to `emit` itself: no writer thread to wake for every
// document, which on small files cost as much as a tenth of the work in switches.
class Ordered {
 public:
  Ordered(const PoolJob& job, size_t window) : job_(job), slots_(window) {}

  void work() {
    Task payload;
    for (;;) {
      size_t index;
      {
        std::unique_lock<std::mutex> lock(claim_);
        {
          // Wait for room in the window before claiming, so a slow document ahead
          // of the others cannot let finished ones pile up without bound.
          std::unique_lock<std::mutex> state(state_);
          room_.wait(state, [&] { return stop_ || claimed_ < emitted_ + slots_.size(); });
          if (stop_) return;
        }
        // Once `next` said there is no more, it is not asked again: a terminal on
        // stdin would wait for a second end of file.
        if (exhausted_) return;
        payload = Task();
        try {
          if (!job_.next(claimed_, payload)) {
            exhausted_ = true;
            return;
          }
        } catch (...) {
          fail(std::current_exception());
          return;
        }
        std::lock_guard<std::mutex> state(state_);
        index = claimed_++;
      }
      Result r;
      try {
        r = job_.run(index, payload);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      {
        std::lock_guard<std::mutex> state(state_);
        slots_[index % slots_.size()] = std::move(r);
      }
      emit_ready();
    }
  }

  // Hands the parked results that are next in order to `emit`, one thread at a
  // time. A thread that finds another emitting leaves its result to it: the emitting
  // thread looks again for a parked next result before it lets go.
  void emit_ready() {
    for (;;) {
      std::unique_lock<std::mutex> emitting(emit_, std::try_to_lock);
      if (!emitting.owns_lock()) return;
      for (;;) {
        Result r;
        {
          std::lock_guard<std::mutex> state(state_);
          auto& slot = slots_[emitted_ % slots_.size()];
          if (stop_ || !slot.has_value()) break;
          r = std::move(*slot);
          slot.reset();
        }
        try {
          job_.emit(emitted_, r);
        } catch (...) {
          fail(std::current_exception());
          return;
        }
        std::lock_guard<std::mutex> state(state_);
        ++emitted_;
        room_.notify_all();
      }
      emitting.unlock();
      // A result parked between the last look and the unlock would be left behind.
      std::lock_guard<std::mutex> state(state_);
      if (stop_ || !slots_[emitted_ % slots_.size()].has_value()) return;
    }
  }

  // After every worker has ended: the first failure, if any.
  void finish() {
    emit_ready();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void fail(std::exception_ptr e) {
    std::lock_guard<std::mutex> state(state_);
    if (!error_) error_ = e;
    stop_ = true;
    room_.notify_all();
  }

  const PoolJob& job_;
  std::mutex claim_;  // held while claiming, so `next` sees one caller at a time, in order
  bool exhausted_ = false;  // guarded by claim_
  std::mutex emit_;   // held while emitting, so `emit` sees one caller at a time, in order
  std::mutex state_;  // guards everything below
  std::condition_variable room_;
  std::vector<std::optional<Result>> slots_;
  size_t claimed_ = 0, emitted_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
};

void run_inline(const PoolJob& job) {
  Task payload;
  for (size_t i = 0;; ++i) {
    payload = Task();
    if (!job.next(i, payload)) return;
    Result r = job.run(i, payload);
    job.emit(i, r);
  }
}

}  // namespace

void run_ordered(const PoolJob& job, size_t jobs, size_t window) {
  if (jobs <= 1) return run_inline(job);
  Ordered state(job, window < jobs ? jobs : window);
  // The calling thread is one of the workers.
  std::vector<std::thread> workers;
  for (size_t i = 1; i < jobs; ++i) workers.emplace_back([&] { state.work(); });
  state.work();
  for (auto& w : workers) w.join();
  state.finish();
}

}  // namespace digestx::cli
