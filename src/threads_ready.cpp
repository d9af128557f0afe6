#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <memory>
#include <mutex>
#include <system_error>

#include <unicode/regex.h>
#include <unicode/ucnv.h>

#include "digestx/pipeline.hpp"

namespace digestx {

namespace {

// ICU sets up some of its shared data on first use, guarded by its own once-flags:
// the regex engine's static sets (a UText for the empty input, the sets behind \w, \s)
// at the first pattern compiled, the converters' alias table at the first converter
// opened. A worker that uses them later reads them through ICU's fast path, an atomic
// load inside libicu that ThreadSanitizer cannot see (the library is not built with
// it): it reported a worker making a furniture rule's matcher, which copies that
// empty-input UText, as a race with another worker's first compile, and halted the
// batch. Set up on the thread that starts the workers, that data is written before
// any worker exists, and every worker's read follows its thread's start.
// Only under ThreadSanitizer: elsewhere ICU's once-flags order those reads (the acquire
// load the sanitizer cannot see), and setting the regex sets up was 7.6 M of the
// 10.4 M instructions of `digestx one.txt` (two workers by default on two cores),
// where a one-line file compiles no pattern at all.
#if defined(__SANITIZE_THREAD__)
#define DIGESTX_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DIGESTX_UNDER_TSAN 1
#endif
#endif
#ifndef DIGESTX_UNDER_TSAN
#define DIGESTX_UNDER_TSAN 0
#endif

void set_up_icu() {
  if (!DIGESTX_UNDER_TSAN) return;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexPattern> pattern(icu::RegexPattern::compile(u"\\w", 0, status));
  if (U_SUCCESS(status)) {
    std::unique_ptr<icu::RegexMatcher> m(pattern->matcher(status));
    if (U_SUCCESS(status)) {
      icu::UnicodeString text(u"a");
      m->reset(text);
      (void)m->find();
    }
  }
  // The converters decode.cpp opens (GB18030 and Big5 sniffing, --encoding).
  for (const char* name : {"GB18030", "Big5"}) {
    status = U_ZERO_ERROR;
    if (UConverter* c = ucnv_open(name, &status)) ucnv_close(c);
  }
}

}  // namespace

void prepare_for_threads() {
  static std::once_flag once;
  std::call_once(once, set_up_icu);
}

namespace {

// A thread's reservation of address space beside its stack: glibc gives each thread
// that allocates a heap of its own, reserved 64 MiB at a time on 64-bit systems
// (HEAP_MAX_SIZE).
constexpr size_t kThreadHeapBytes = size_t(64) << 20;

// How many threads fit in half of the address space left under a limit (ulimit -v;
// SIZE_MAX without one), each its stack's whole reserved size (8 MiB by default) and
// its heap: threads that took all the room left none for the work, whose documents then
// failed with bad_alloc (-j 40 under ulimit -v 300000: up to 12 of 40).
size_t threads_that_fit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
  long pages = 0;
  std::ifstream("/proc/self/statm") >> pages;
  size_t stack = 0;
  pthread_attr_t attr;
  if (::pthread_getattr_default_np(&attr) == 0) {
    ::pthread_attr_getstacksize(&attr, &stack);
    ::pthread_attr_destroy(&attr);
  }
  size_t used = size_t(pages > 0 ? pages : 0) * size_t(::sysconf(_SC_PAGESIZE));
  if (stack == 0 || used >= limit.rlim_cur) return 0;
  return (size_t(limit.rlim_cur) - used) / 2 / (stack + kThreadHeapBytes);
}

}  // namespace

std::vector<std::thread> start_threads(size_t count, const std::function<void()>& body) {
  count = std::min(count, threads_that_fit());
  std::vector<std::thread> started;
  try {
    started.reserve(count);
  } catch (const std::bad_alloc&) {
    return started;
  }
  for (size_t i = 0; i < count; ++i) {
    try {
      started.emplace_back(body);
    } catch (const std::system_error&) {
      break;
    }
  }
  return started;
}

}  // namespace digestx
