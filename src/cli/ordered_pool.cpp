#include "ordered_pool.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace digestx::cli {

namespace {

// The units of one large input, handed out one index at a time (run_shared,
// post_shared), kept until joined.
struct Units {
  size_t n = 0;
  std::function<void(size_t)> work;
  size_t claimed = 0, done = 0;
  std::exception_ptr error;  // the first; no index is handed out after it
};

// The shared state of one run: results parked in a ring of `window` slots until
// their turn comes. The thread that parks the result next in order hands it (and any
// that follow, already parked) to `emit` itself: no writer thread to wake for every
// document, which on small files cost as much as a tenth of the work in switches.
// The same workers run the units of a large input (run_shared) whenever they would
// wait otherwise: one set of threads for files and units (-j 4 on a 20 MB file ran
// 4 workers and 3 threads more per large file in flight before).
class Ordered {
 public:
  Ordered(const PoolJob& job, size_t window, size_t workers) : job_(job), slots_(window), active_(workers) {}
  // A result never emitted (the output failed: a broken pipe) may hold a streamed
  // document whose first window of units was posted here when it was found: dropping
  // it joins them, which reads units_ and state_. Dropped first, while those stand.
  ~Ordered() {
    for (auto& slot : slots_) slot.reset();
  }
  Ordered(const Ordered&) = delete;
  Ordered& operator=(const Ordered&) = delete;

  // Workers counted in active_ that never started (start_threads): none of them
  // will come past the last task.
  void not_started(size_t n) {
    if (n == 0) return;
    std::lock_guard<std::mutex> state(state_);
    active_ -= n;
    room_.notify_all();
  }

  void work() {
    Task payload;
    for (;;) {
      {
        // Wait for room in the window before claiming, so a slow document ahead of
        // the others cannot let finished ones pile up without bound; one claimer at a
        // time, in order. Units of a large input are run meanwhile.
        std::unique_lock<std::mutex> state(state_);
        wait(state, [&] { return stop_ || (!claiming_ && claimed_ < emitted_ + slots_.size()); });
        if (stop_) return;
        claiming_ = true;
      }
      std::optional<size_t> index = claim(payload);
      if (!index) return help_to_the_end();
      Result r;
      try {
        r = job_.run(*index, payload);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      {
        std::lock_guard<std::mutex> state(state_);
        slots_[*index % slots_.size()] = std::move(r);
      }
      emit_ready();
    }
  }

  // Hands work(0..n-1) to the idle workers; join() ends it. See post_shared.
  std::shared_ptr<Units> post(size_t n, std::function<void(size_t)> work) {
    auto u = std::make_shared<Units>();
    u->n = n;
    u->work = std::move(work);
    if (n == 0) return u;
    std::lock_guard<std::mutex> state(state_);
    units_.push_back(u.get());
    room_.notify_all();
    return u;
  }

  // Runs the posted units not yet taken here, then waits for those on other workers
  // (helping with the units of other inputs meanwhile).
  void join(Units& u) {
    std::unique_lock<std::mutex> state(state_);
    while (run_one(state, &u)) {
    }
    wait(state, [&] { return u.done == u.claimed; });
    if (u.error) std::rethrow_exception(u.error);
  }

  // Waits under state_ until ready(), running units meanwhile.
  void wait_until(const std::function<bool()>& ready) {
    std::unique_lock<std::mutex> state(state_);
    wait(state, ready);
  }

  void wake() {
    std::lock_guard<std::mutex> state(state_);
    room_.notify_all();
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
  // The next task, claimed by this worker alone (claiming_ set), or nullopt when there
  // is none (or `next` failed). Once `next` said there is no more, it is not asked
  // again: a terminal on stdin would wait for a second end of file.
  std::optional<size_t> claim(Task& payload) {
    bool got = false;
    if (!exhausted_) {
      payload = Task();
      try {
        got = job_.next(claimed_, payload);
      } catch (...) {
        fail(std::current_exception());
      }
      if (!got) exhausted_ = true;
    }
    std::lock_guard<std::mutex> state(state_);
    claiming_ = false;
    room_.notify_all();
    if (!got) return std::nullopt;
    return claimed_++;
  }

  // Past the last task: runs units until no worker is left that could post more.
  void help_to_the_end() {
    std::unique_lock<std::mutex> state(state_);
    --active_;
    room_.notify_all();
    wait(state, [&] { return stop_ || active_ == 0; });
  }

  // Waits until ready() (checked under state_), running units while there are any.
  template <class Ready>
  void wait(std::unique_lock<std::mutex>& state, const Ready& ready) {
    while (!ready()) {
      if (!run_one(state, nullptr)) room_.wait(state);
    }
  }

  // Runs one unit (of `only`, else of any input), unlocking state_ meanwhile; false
  // when there is none to hand out.
  bool run_one(std::unique_lock<std::mutex>& state, Units* only) {
    Units* u = only;
    if (!u) {
      if (stop_ || units_.empty()) return false;
      u = units_.front();
    }
    if (u->claimed == u->n || u->error) return false;
    size_t i = u->claimed++;
    if (u->claimed == u->n) units_.erase(std::find(units_.begin(), units_.end(), u));
    state.unlock();
    std::exception_ptr error;
    try {
      u->work(i);
    } catch (...) {
      error = std::current_exception();
    }
    state.lock();
    if (error && !u->error) {
      u->error = error;
      auto at = std::find(units_.begin(), units_.end(), u);
      if (at != units_.end()) units_.erase(at);
    }
    if (++u->done == u->claimed) room_.notify_all();
    return true;
  }

  void fail(std::exception_ptr e) {
    std::lock_guard<std::mutex> state(state_);
    if (!error_) error_ = e;
    stop_ = true;
    room_.notify_all();
  }

  const PoolJob& job_;
  bool exhausted_ = false;  // read and written by the claiming worker only
  std::mutex emit_;   // held while emitting, so `emit` sees one caller at a time, in order
  std::mutex state_;  // guards everything below
  std::condition_variable room_;  // any change a waiting worker may wait for
  std::vector<std::optional<Result>> slots_;
  size_t claimed_ = 0, emitted_ = 0;
  bool claiming_ = false;  // a worker is in `next`: the others wait (and run units)
  size_t active_;          // workers not yet past the last task: they may post units
  std::vector<Units*> units_;  // inputs whose units are not all handed out yet
  bool stop_ = false;
  std::exception_ptr error_;
};

// The run this thread is a worker of, if any.
thread_local Ordered* current = nullptr;

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
  prepare_for_threads();
  Ordered state(job, window < jobs ? jobs : window, jobs);
  auto worker = [&state] {
    current = &state;
    state.work();
    current = nullptr;
  };
  // The calling thread is one of the workers; those the system would not start are
  // not waited for.
  std::vector<std::thread> workers = start_threads(jobs - 1, worker);
  state.not_started(jobs - 1 - workers.size());
  worker();
  for (auto& w : workers) w.join();
  state.finish();
}

void run_shared(size_t n, const std::function<void(size_t)>& work) {
  post_shared(n, [&work](size_t i) { work(i); })();
}

std::function<void()> post_shared(size_t n, std::function<void(size_t)> work) {
  if (!current) {
    // No workers to hand them to: they run when joined, on the joining thread.
    return [n, work = std::move(work)] {
      for (size_t i = 0; i < n; ++i) work(i);
    };
  }
  Ordered* pool = current;
  std::shared_ptr<Units> units = pool->post(n, std::move(work));
  return [pool, units] { pool->join(*units); };
}

void wait_helping(const std::function<bool()>& ready) {
  if (current) return current->wait_until(ready);
  if (!ready()) throw std::logic_error("wait_helping: nothing to wait for outside the workers");
}

void wake_workers() {
  if (current) current->wake();
}

}  // namespace digestx::cli
