#include "block_cache.hpp"

#include <malloc.h>
#include <unistd.h>

#include <cstdlib>

namespace digestx::cli {

// Gives a thread's blocks back to free when the thread ends (its thread_local objects
// are destroyed; one made after this one is destroyed first, and what it deletes is
// still kept, then given back here).
struct BlockCacheCloser {
  ~BlockCacheCloser() { BlockCache::close_for_thread(); }
};

bool BlockCache::open_for_thread() noexcept {
  if (lists_.state == kClosed) return false;
  // The main thread's blocks are left to the end of the process: giving them back one
  // by one at exit would only cost time (the issue: "no freeing ... at exit").
  if (::gettid() != ::getpid()) {
    static thread_local BlockCacheCloser closer;
    (void)closer;
  }
  lists_.state = kOpen;
  return true;
}

void BlockCache::close_for_thread() noexcept {
  Lists& l = lists_;
  l.state = kClosed;  // keep() asks open_for_thread, which now says no
  for (size_t c = 0; c < kSizes; ++c) {
    while (void* p = l.head[c]) {
      l.head[c] = *static_cast<void**>(p);
      std::free(p);
    }
    l.count[c] = 0;
  }
  l.bytes = 0;
}

size_t BlockCache::list_of_block(void* p) noexcept {
  size_t usable = malloc_usable_size(p);
  if (usable > kLargest || usable < 24) return kSizes;
  return ((usable + 8) >> 4) - 2;
}

size_t BlockCache::blocks() noexcept {
  size_t n = 0;
  for (size_t c = 0; c < kSizes; ++c) n += lists_.count[c];
  return n;
}

}  // namespace digestx::cli
