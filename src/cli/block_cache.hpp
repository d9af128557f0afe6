// Freed blocks kept by the thread that freed them, for its next allocation of their
// size: the command line's operator new and delete (src/cli/rules_arena.cpp) ask here
// before malloc and free.
//
// Why: a run makes about 300,000 allocations per 2 MB of text, most of them small and
// short-lived (a document's vectors and strings, freed once it is written, then the
// next document's of the same sizes). glibc's own per-thread cache (tcache) keeps 7
// blocks a size; the rest go through its arena, under the arena's lock once a second
// thread runs. Its tunable for more (GLIBC_TUNABLES=glibc.malloc.tcache_count=2000)
// took about 5% off small/'s CPU time, but it is read from the environment before
// main, and the static tool cannot set it. This cache keeps up to kPerSize blocks a
// size and kMostBytes a thread: Callgrind, -j 1, the bench slice 1,059.5 M -> 1,030.8 M
// instructions, small/ 1,953.8 M -> 1,858.8 M. 8 MiB a thread gained little more
// (1,032.5 M, 1,855.5 M) and held 25-60 MiB more at -j 8; 1 MiB, 1,036.4 M.
//
// Sizes are malloc's: a block of usable size u (malloc_usable_size, 16k - 8 for the
// small blocks of glibc's heap) serves any request of at most u bytes that malloc would
// give a block of that size, so a kept block is exactly what malloc would hand out.
// A thread that ends gives its blocks back to free; the main thread keeps them to the
// end of the process, which takes all its memory back at once.
#pragma once

#include <cstddef>
#include <cstdint>

namespace digestx::cli {

class BlockCache {
 public:
  static constexpr size_t kLargest = 1032;  // usable bytes; glibc's tcache stops there too
  static constexpr uint32_t kPerSize = 4096;
  static constexpr size_t kMostBytes = size_t(2) << 20;

  // A kept block for a request of n bytes, taken off this thread's list; nullptr when
  // there is none (then malloc).
  static void* take(size_t n) noexcept {
    if (n > kLargest) return nullptr;
    Lists& l = lists_;
    size_t c = size_of_request(n);
    void* p = l.head[c];
    if (!p) return nullptr;
    l.head[c] = *static_cast<void**>(p);
    --l.count[c];
    l.bytes -= block_bytes(c);
    return p;
  }
  // Keeps malloc's block p for this thread; false when it is not kept (larger than
  // kLargest, its list or the thread's cache full, the thread ending): the caller frees it.
  // `requested`, where the caller knows it (sized delete), saves asking malloc.
  static bool keep(void* p, size_t requested = 0) noexcept {
    Lists& l = lists_;
    if (l.state != kOpen && !open_for_thread()) return false;
    size_t c;
    if (requested) {
      if (requested > kLargest) return false;
      c = size_of_request(requested);
    } else if ((c = list_of_block(p)) == kSizes) {
      return false;
    }
    if (l.count[c] >= kPerSize || l.bytes + block_bytes(c) > kMostBytes) return false;
    *static_cast<void**>(p) = l.head[c];
    l.head[c] = p;
    ++l.count[c];
    l.bytes += block_bytes(c);
    return true;
  }

  // This thread's kept blocks, and their bytes (for the tests).
  static size_t blocks() noexcept;
  static size_t bytes() noexcept { return lists_.bytes; }

 private:
  // Chunk sizes 32, 48, ... 1040: a list per 16 bytes.
  static constexpr size_t kSizes = (kLargest + 8) / 16 - 1;
  struct Lists {
    void* head[kSizes];
    uint32_t count[kSizes];
    size_t bytes;
    uint8_t state;  // kFresh, kOpen or kClosed
  };
  // kFresh: nothing kept yet (zero, a new thread's); kOpen: the thread's end is arranged
  // for (open_for_thread); kClosed: the thread is ending, nothing more is kept.
  static constexpr uint8_t kFresh = 0, kOpen = 1, kClosed = 2;
  // Which list serves a request of n bytes: malloc's chunk for it is n + 8 rounded up
  // to 16, at least 32.
  static size_t size_of_request(size_t n) noexcept { return n + 8 < 32 ? 0 : ((n + 8 + 15) >> 4) - 2; }
  static size_t block_bytes(size_t list) noexcept { return 16 * (list + 2) - 8; }
  // The list of malloc's block p by its usable size, rounded down (a block serves no
  // request larger than itself); kSizes when it is larger than kLargest. (A result, not
  // an out-parameter: the address of a local in operator delete cost it a stack canary.)
  static size_t list_of_block(void* p) noexcept;
  static bool open_for_thread() noexcept;
  static void close_for_thread() noexcept;
  friend struct BlockCacheCloser;

  // Zero-initialised and trivially destructible: a thread's first access needs no
  // constructor call, and its end is arranged for apart (open_for_thread).
  static inline thread_local Lists lists_;
};

}  // namespace digestx::cli
