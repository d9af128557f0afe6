#include "ordered_pool.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace digestx::cli {

namespace {

// The shared state of one run: results parked in a ring of `window` slots until the
// writer reaches them.
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
            std::lock_guard<std::mutex> state(state_);
            total_ = claimed_;
            ready_.notify_all();
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
      std::lock_guard<std::mutex> state(state_);
      slots_[index % slots_.size()] = std::move(r);
      ready_.notify_all();
    }
  }

  // The writer's loop, on the calling thread.
  void drain() {
    for (;;) {
      Result r;
      {
        std::unique_lock<std::mutex> state(state_);
        auto& slot = slots_[emitted_ % slots_.size()];
        ready_.wait(state, [&] { return error_ || slot.has_value() || emitted_ == total_; });
        if (error_) std::rethrow_exception(error_);
        if (!slot.has_value()) return;  // emitted_ == total_: all done
        r = std::move(*slot);
        slot.reset();
      }
      try {
        job_.emit(emitted_, r);
      } catch (...) {
        stop();
        throw;
      }
      std::lock_guard<std::mutex> state(state_);
      ++emitted_;
      room_.notify_all();
    }
  }

  void stop() {
    std::lock_guard<std::mutex> state(state_);
    stop_ = true;
    room_.notify_all();
  }

 private:
  void fail(std::exception_ptr e) {
    std::lock_guard<std::mutex> state(state_);
    if (!error_) error_ = e;
    stop_ = true;
    room_.notify_all();
    ready_.notify_all();
  }

  const PoolJob& job_;
  std::mutex claim_;  // held while claiming, so `next` sees one caller at a time, in order
  bool exhausted_ = false;  // guarded by claim_
  std::mutex state_;  // guards everything below
  std::condition_variable room_, ready_;
  std::vector<std::optional<Result>> slots_;
  size_t claimed_ = 0, emitted_ = 0;
  size_t total_ = size_t(-1);
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
  std::vector<std::thread> workers;
  for (size_t i = 0; i < jobs; ++i) workers.emplace_back([&] { state.work(); });
  try {
    state.drain();
  } catch (...) {
    state.stop();
    for (auto& w : workers) w.join();
    throw;
  }
  for (auto& w : workers) w.join();
}

}  // namespace digestx::cli
