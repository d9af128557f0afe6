// The rules' memory: while a RulesArena is alive on a thread, what that thread
// allocates with operator new comes from one arena advised for transparent huge pages
// and is never given back (src/cli/rules_arena.cpp says why).
#pragma once

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

 private:
  bool opened_ = false;  // false: another scope was open, or the arena could not be mapped
};

}  // namespace digestx::cli
