// start_threads (include/digestx/pipeline.hpp): as many workers as the system gives,
// and never std::terminate for one it refuses (ulimit -v 300000; digestx -j 40 *.txt
// died of SIGABRT: std::thread threw with the threads started before it joinable).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "digestx/pipeline.hpp"

namespace digestx {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

TEST(StartThreads, StartsAllItIsAskedFor) {
  std::atomic<int> ran{0};
  std::vector<std::thread> threads = start_threads(4, [&] { ++ran; });
  EXPECT_EQ(threads.size(), 4u);
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ran.load(), 4);
  EXPECT_TRUE(start_threads(0, [] {}).empty());
}

// In a child whose address space leaves room for a few threads (400 MiB: each takes
// its stack and glibc's 64 MiB heap, and half the room is kept for the work): some
// start, each of them runs, the rest are not started, and the child ends normally (a
// signal would be the old std::terminate, which a thread refused its stack caused).
TEST(StartThreads, StartsOnlyWhatTheAddressSpaceHolds) {
  if (kSanitized) GTEST_SKIP() << "the sanitizers' run-times need the address space this test takes away";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    long pages = 0;
    std::ifstream("/proc/self/statm") >> pages;
    rlimit limit{};
    limit.rlim_cur = limit.rlim_max = rlim_t(pages) * rlim_t(sysconf(_SC_PAGESIZE)) + (rlim_t(400) << 20);
    if (pages <= 0 || setrlimit(RLIMIT_AS, &limit) != 0) _exit(3);
    std::atomic<int> ran{0};
    std::vector<std::thread> threads = start_threads(64, [&] { ++ran; });
    size_t started = threads.size();
    for (std::thread& t : threads) t.join();
    _exit(started > 0 && started < 64 && ran.load() == int(started) ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: all or none started, or one did not run; 3: no limit set";
}

}  // namespace
}  // namespace digestx
