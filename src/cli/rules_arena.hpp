// The rules' memory: while a RulesArena is alive on a thread, what that thread
// allocates with operator new comes from one arena advised for transparent huge pages
// and is never given back (src/cli/rules_arena.cpp says why).
#pragma once

#include <cstddef>

namespace digestx::cli {

class RulesArena {
 public:
  RulesArena();
  ~RulesArena();
  RulesArena(const RulesArena&) = delete;
  RulesArena& operator=(const RulesArena&) = delete;

  // False in the sanitizer builds, whose run-time replaces operator new itself.
  static bool enabled();
  // Whether `p` was allocated in the arena (for the tests).
  static bool holds(const void* p);
  // What this thread allocates from now on (up to 64 KiB a request, after its cache of
  // freed blocks) comes from the rest of the arena's first huge page, where the
  // built-in rules end, until that is used up: the page is resident already, and the
  // heap grew a 4 KiB page, a fault, at a time. Nothing when the arena is not mapped,
  // a scope is open, another thread has the rest, or the rules filled the page. For the
  // main thread: a thread that ends holding the rest keeps every later scope closed.
  // (The sanitizer builds keep their own operator new: no sanitizer runs this.)
  static void use_rest_of_page();

  // For the snapshot of the built-in rules (rules_snapshot.cpp). Whether this scope
  // opened the arena: the first scope, the arena mapped.
  bool open() const { return opened_; }
  // From now on the arena notes where each allocation starts and zeroes what is freed
  // (the load's temporaries), so that its bytes are the live objects and zeros.
  static void record_allocations();
  // The arena's start, and how many of its bytes are in use.
  static char* begin();
  static std::size_t used();
  // The first `n` bytes of the arena, all zeros, reserved for this thread's open scope
  // to fill (the snapshot's rules); nullptr when no scope of this thread is open,
  // something was allocated in the arena already, or they do not fit.
  static char* adopt(std::size_t n);
  // For the snapshot's second compile: a new, empty arena `distance` bytes after the
  // current one (which stays mapped), while no scope is open; false when that place is
  // taken or the arena was never mapped. What the old arena holds must then never be
  // deleted: it is no longer the arena, and delete would hand it to free (the dump
  // keeps both compiles' rules until it exits, and a crash there only fails the build's
  // snapshot).
  static bool move_for_snapshot(std::size_t distance);

 private:
  bool opened_ = false;  // false: another scope was open, or the arena could not be mapped
};

}  // namespace digestx::cli
