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

 private:
  bool opened_ = false;  // false: another scope was open, or the arena could not be mapped
};

}  // namespace digestx::cli
