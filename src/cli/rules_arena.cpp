// The rules are compiled once and live until the process ends (default_rules never
// frees them). Compiling the built-in ones makes about 9,000 allocations over 1 MiB,
// and the heap grew under them a 4 KiB page at a time: 230 of the 480 page faults of a
// run on a one-line file, at 10-15 us a fault on the project's virtual machines (a
// static test program touching 300 pages took 3.5-4.1 ms, one 2 MiB huge page 0.12-
// 0.18 ms). So while they compile, operator new bumps through one 2 MiB-aligned
// arena advised with MADV_HUGEPAGE: one fault where the kernel gives huge pages
// (madvise or always), the same faults as before where it does not (never).
//
// What is freed in the arena stays where it is (1,066 of the 9,000 allocations, the
// load's temporaries); an allocation that does not fit in what is left goes to malloc,
// as does every allocation outside a scope and on every other thread, after the
// thread's cache of freed blocks (block_cache.hpp). Once the rules are compiled, the
// rest of the first huge page is lent to the main thread (use_rest_of_page): it is
// resident already. Only this file
// replaces the global operator new and delete, and only in the command-line tool and
// its tests (the library does not); the sanitizer builds keep their own.
#include "rules_arena.hpp"

#include <sys/mman.h>

#include "block_cache.hpp"

#include "../huge_pages.hpp"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace digestx::cli {
namespace {

constexpr size_t kArenaBytes = 2 * kHugePageBytes;  // twice what the built-in rules use

// Written once, by the first scope, before any thread it starts; read by every delete.
std::atomic<char*> g_begin{nullptr};
std::atomic<char*> g_end{nullptr};
char* g_next = nullptr;                 // touched only by the thread holding g_scope_open
std::atomic<bool> g_scope_open{false};  // one scope at a time in the process
thread_local bool t_in_scope = false;
// The rest of the arena's first huge page, lent to one thread (use_rest_of_page),
// which holds g_scope_open while it lasts.
char* g_rest_end = nullptr;
thread_local bool t_in_rest = false;
// The largest allocation served from that rest: a big buffer would use it up at once.
constexpr size_t kRestLargest = 64 << 10;

// Where each allocation starts, one bit per kStep bytes of the arena, noted only while
// the build dumps the rules (record_allocations): a freed block runs from its start to
// the next. (In .bss: untouched, and no page, in every other run.)
constexpr size_t kStep = __STDCPP_DEFAULT_NEW_ALIGNMENT__;
uint64_t g_starts[kArenaBytes / kStep / 64];
bool g_recording = false;

void note_start(const char* p) {
  size_t bit = size_t(p - g_begin.load(std::memory_order_relaxed)) / kStep;
  g_starts[bit / 64] |= uint64_t(1) << (bit % 64);
}

bool starts_at(size_t bit) { return (g_starts[bit / 64] >> (bit % 64)) & 1; }

// Zeroes the freed block at `p`: up to the next allocation, or to what is in use. A
// block allocated before the recording began is left alone (its end is not known).
void clear_block(char* p) {
  char* begin = g_begin.load(std::memory_order_relaxed);
  size_t bit = size_t(p - begin) / kStep, end = size_t(g_next - begin) / kStep;
  if (p < begin || p >= g_next || !starts_at(bit)) return;
  size_t next = bit + 1;
  while (next < end && !starts_at(next)) ++next;
  g_starts[bit / 64] &= ~(uint64_t(1) << (bit % 64));
  std::memset(p, 0, (next - bit) * kStep);
}

// (maybe_unused: the sanitizer builds keep their own operator new, and call none of
// map_arena, allocate and release.)
// Maps the arena on first use; false when it cannot be mapped.
[[maybe_unused]] bool map_arena() {
  if (g_begin.load(std::memory_order_relaxed)) return true;
  void* m = ::mmap(nullptr, kArenaBytes + kHugePageBytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) return false;
  char* aligned = huge_page_above(m);  // the first allocations on the huge page
  advise_huge_pages(aligned, kArenaBytes);
  g_next = aligned;
  g_end.store(aligned + kArenaBytes, std::memory_order_relaxed);
  g_begin.store(aligned, std::memory_order_release);
  return true;
}

// `n` bytes from the arena below `end`, aligned as operator new must; nullptr when
// they do not fit. new(0) takes a byte too: each new returns a pointer of its own.
void* from_arena(size_t n, const char* end) {
  if (n == 0) n = 1;
  size_t rounded = (n + __STDCPP_DEFAULT_NEW_ALIGNMENT__ - 1) & ~size_t(__STDCPP_DEFAULT_NEW_ALIGNMENT__ - 1);
  if (rounded < n || size_t(end - g_next) < rounded) return nullptr;
  void* p = g_next;
  if (g_recording) note_start(g_next);
  g_next += rounded;
  return p;
}

// `n` bytes from the rest of the rules' huge page; once a small request no longer fits,
// the rest is used up and the arena free for another scope.
void* from_rest(size_t n) {
  if (n > kRestLargest) return nullptr;
  if (void* p = from_arena(n, g_rest_end)) return p;
  t_in_rest = false;
  g_scope_open.store(false, std::memory_order_release);
  return nullptr;
}

[[maybe_unused]] void* allocate(size_t n) {
  if (t_in_scope) {
    if (void* p = from_arena(n, g_end.load(std::memory_order_relaxed))) return p;
  }
  if (void* p = BlockCache::take(n)) return p;
  if (t_in_rest) {
    if (void* p = from_rest(n)) return p;
  }
  for (;;) {
    if (void* p = std::malloc(n ? n : 1)) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

bool in_arena(const void* p) {
  const char* c = static_cast<const char*>(p);
  return c >= g_begin.load(std::memory_order_acquire) && c < g_end.load(std::memory_order_relaxed);
}

// `requested`: the size given to a sized delete, 0 when not known.
[[maybe_unused]] void release(void* p, size_t requested) noexcept {
  if (p && g_recording && in_arena(p)) clear_block(static_cast<char*>(p));
  if (!p || in_arena(p)) return;
  if (!BlockCache::keep(p, requested)) std::free(p);
}

}  // namespace

#ifdef DIGESTX_PLAIN_NEW
RulesArena::RulesArena() {}
RulesArena::~RulesArena() {}
bool RulesArena::enabled() { return false; }
void RulesArena::use_rest_of_page() {}
void RulesArena::record_allocations() {}
char* RulesArena::adopt(size_t) { return nullptr; }
bool RulesArena::move_for_snapshot(size_t) { return false; }
#else
RulesArena::RulesArena() {
  bool was_open = g_scope_open.exchange(true);
  if (was_open) return;
  opened_ = map_arena();
  if (!opened_) g_scope_open.store(false);
  t_in_scope = opened_;
}
RulesArena::~RulesArena() {
  if (!opened_) return;
  t_in_scope = false;
  g_scope_open.store(false);
}
bool RulesArena::enabled() { return true; }

void RulesArena::use_rest_of_page() {
  if (t_in_rest || t_in_scope || !g_begin.load(std::memory_order_acquire)) return;
  if (g_scope_open.exchange(true)) return;  // another thread's scope bumps through it now
  // The first huge page only: where the built-in rules end. (Rules given with --rules
  // may fill it; then nothing is lent.)
  char* end = g_begin.load(std::memory_order_relaxed) + kHugePageBytes;
  if (g_next >= end) {
    g_scope_open.store(false);
    return;
  }
  g_rest_end = end;
  t_in_rest = true;
}

void RulesArena::record_allocations() { g_recording = t_in_scope; }

// Nothing was allocated in the arena since it was mapped: its pages are as mmap gave them.
char* RulesArena::adopt(size_t n) {
  char* begin = g_begin.load(std::memory_order_relaxed);
  if (!t_in_scope || g_next != begin || n > kArenaBytes) return nullptr;
  g_next = begin + ((n + kStep - 1) & ~(kStep - 1));
  return begin;
}

bool RulesArena::move_for_snapshot(size_t distance) {
  char* begin = g_begin.load(std::memory_order_relaxed);
  if (!begin || g_scope_open.load()) return false;
  char* want = begin + distance;
  void* m = ::mmap(want, kArenaBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
                   -1, 0);
  if (m == MAP_FAILED) return false;
  if (m != want) {  // a kernel older than 4.17 takes the address as a hint
    ::munmap(m, kArenaBytes);
    return false;
  }
  g_next = want;
  g_end.store(want + kArenaBytes, std::memory_order_relaxed);
  g_begin.store(want, std::memory_order_release);
  std::memset(g_starts, 0, sizeof g_starts);
  return true;
}
#endif

char* RulesArena::begin() { return g_begin.load(std::memory_order_acquire); }
size_t RulesArena::used() { return g_next ? size_t(g_next - begin()) : 0; }

bool RulesArena::holds(const void* p) { return p && in_arena(p); }

}  // namespace digestx::cli

#ifndef DIGESTX_PLAIN_NEW
// The plain, array and sized forms. libstdc++'s nothrow forms call these; its aligned
// forms keep aligned_alloc and free, and never see the arena.
void* operator new(size_t n) { return digestx::cli::allocate(n); }
void* operator new[](size_t n) { return digestx::cli::allocate(n); }
void operator delete(void* p) noexcept { digestx::cli::release(p, 0); }
void operator delete[](void* p) noexcept { digestx::cli::release(p, 0); }
void operator delete(void* p, size_t n) noexcept { digestx::cli::release(p, n); }
void operator delete[](void* p, size_t n) noexcept { digestx::cli::release(p, n); }
#endif
