// The command line's arena for the rules (src/cli/rules_arena.cpp): what a thread
// allocates inside a scope comes from it and stays valid after; everything else is
// malloc's, and deleting either kind is safe at any time.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/rules_arena.hpp"

using digestx::cli::RulesArena;

namespace {

TEST(RulesArena, OutsideAScopeNothingComesFromIt) {
  auto p = std::make_unique<std::string>(100, 'x');
  EXPECT_FALSE(RulesArena::holds(p.get()));
  EXPECT_FALSE(RulesArena::holds(p->data()));
  EXPECT_FALSE(RulesArena::holds(nullptr));
}

TEST(RulesArena, InsideAScopeAllocationsComeFromItAndOutliveIt) {
  if (!RulesArena::enabled()) GTEST_SKIP() << "sanitizer build: operator new is the sanitizer's";
  std::vector<std::string>* words = nullptr;
  int* numbers = nullptr;
  {
    RulesArena arena;
    words = new std::vector<std::string>();
    for (int i = 0; i < 1000; ++i) words->push_back(std::string(40, char('a' + i % 26)) + std::to_string(i));
    numbers = new int[3]{7, 8, 9};
  }
  EXPECT_TRUE(RulesArena::holds(words));
  EXPECT_TRUE(RulesArena::holds(words->data()));
  EXPECT_TRUE(RulesArena::holds((*words)[999].data()));
  EXPECT_TRUE(RulesArena::holds(numbers));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(numbers) % __STDCPP_DEFAULT_NEW_ALIGNMENT__, 0u);
  EXPECT_EQ((*words)[999], std::string(40, char('a' + 999 % 26)) + "999");
  EXPECT_EQ(numbers[2], 9);
  // After the scope, new memory is malloc's again; the arena's is deleted harmlessly.
  auto after = std::make_unique<std::string>(100, 'y');
  EXPECT_FALSE(RulesArena::holds(after->data()));
  delete[] numbers;
  delete words;
}

TEST(RulesArena, WhatDoesNotFitGoesToMalloc) {
  if (!RulesArena::enabled()) GTEST_SKIP() << "sanitizer build: operator new is the sanitizer's";
  RulesArena arena;
  std::vector<char> large(8u << 20, 'z');  // larger than the whole arena
  EXPECT_FALSE(RulesArena::holds(large.data()));
  EXPECT_EQ(large.back(), 'z');
  auto small = std::make_unique<int>(5);
  EXPECT_TRUE(RulesArena::holds(small.get()));
}

TEST(RulesArena, OnlyTheScopesThreadAndOnlyOneScope) {
  if (!RulesArena::enabled()) GTEST_SKIP() << "sanitizer build: operator new is the sanitizer's";
  RulesArena arena;
  std::unique_ptr<int> from_other_thread;
  std::unique_ptr<int> from_second_scope;
  std::thread other([&] { from_other_thread = std::make_unique<int>(1); });
  other.join();
  std::thread second([&] {
    RulesArena nested;  // another scope while one is open: not opened
    from_second_scope = std::make_unique<int>(2);
  });
  second.join();
  EXPECT_FALSE(RulesArena::holds(from_other_thread.get()));
  EXPECT_FALSE(RulesArena::holds(from_second_scope.get()));
  auto own = std::make_unique<int>(3);
  EXPECT_TRUE(RulesArena::holds(own.get()));
}

// After the rules, the rest of the arena's first huge page is lent to the thread that
// asks (use_rest_of_page, the command line's main thread): its allocations of up to 64
// KiB come from it until it is used up, then from malloc for good, and the arena is free
// for a scope again. No other thread is lent it, nor opens a scope meanwhile. On its own
// thread, which uses the rest up: the test's main thread must not be left holding it.
// new(0) there returns a pointer of its own (it returned the next allocation's).
TEST(RulesArena, TheRestOfThePageIsLentToOneThreadUntilUsedUp) {
  if (!RulesArena::enabled()) GTEST_SKIP() << "sanitizer build: operator new is the sanitizer's";
  // Once a process (--gtest_repeat): it uses up the arena's first huge page, and the
  // other tests' scopes share the second.
  static bool ran = false;
  if (ran) GTEST_SKIP() << "once a process: the arena's first page is used up";
  ran = true;
  bool page_full = false;
  std::thread lent([&page_full] {
    std::unique_ptr<std::string> rules;
    {
      RulesArena arena;
      rules = std::make_unique<std::string>(100, 'r');
    }
    ASSERT_TRUE(RulesArena::holds(rules->data()));
    RulesArena::use_rest_of_page();
    // Kept until the end: a block freed here would come back from the thread's cache.
    std::vector<std::unique_ptr<char[]>> blocks;
    blocks.push_back(std::make_unique<char[]>(1000));
    const char* first = blocks.back().get();
    if (!RulesArena::holds(first)) {  // earlier tests' scopes filled the first page
      page_full = true;
      return;
    }
    char* empty = new char[0];
    auto after_empty = std::make_unique<char[]>(8);
    EXPECT_TRUE(RulesArena::holds(empty));
    EXPECT_NE(static_cast<void*>(empty), static_cast<void*>(after_empty.get()));
    delete[] empty;
    auto large = std::make_unique<char[]>(100 << 10);  // over 64 KiB: malloc's, the rest goes on
    EXPECT_FALSE(RulesArena::holds(large.get()));
    std::unique_ptr<int> other_block;
    std::thread other([&] {
      RulesArena scope;  // not opened: the rest is lent
      other_block = std::make_unique<int>(4);
    });
    other.join();
    EXPECT_FALSE(RulesArena::holds(other_block.get()));
    // Used up where the huge page ends: every block lent lies in the page of the first.
    size_t lent_blocks = 0;
    for (;;) {
      blocks.push_back(std::make_unique<char[]>(1000));
      const char* b = blocks.back().get();
      if (!RulesArena::holds(b)) break;
      EXPECT_EQ(reinterpret_cast<uintptr_t>(b) >> 21, reinterpret_cast<uintptr_t>(first) >> 21);
      ASSERT_LT(++lent_blocks, 2200u);  // 2 MiB of 1,000-byte blocks at most
    }
    blocks.push_back(std::make_unique<char[]>(1000));
    EXPECT_FALSE(RulesArena::holds(blocks.back().get()));
    EXPECT_EQ(first[0], '\0');  // value-initialised, and still there
    RulesArena again;  // the arena is free for a scope once more
    auto in_scope = std::make_unique<int>(5);
    EXPECT_TRUE(RulesArena::holds(in_scope.get()));
  });
  lent.join();
  if (page_full) GTEST_SKIP() << "the arena's first page was used up by earlier scopes";
}

}  // namespace

namespace {

// What the snapshot of the built-in rules uses (src/cli/rules_snapshot.cpp), in a
// child: it moves the process's arena. Recording, a freed block is zeroed and a kept
// one left as it was; a fresh arena 4 GiB on is empty; adopt gives the zeros at the
// start of a fresh arena to an open scope only, and what is allocated next comes after.
TEST(RulesArena, RecordsClearsMovesAndAdoptsForTheSnapshot) {
  if (!RulesArena::enabled()) GTEST_SKIP() << "sanitizer build: operator new is the sanitizer's";
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    { RulesArena first; }  // maps the arena, if no test before did
    if (!RulesArena::move_for_snapshot(size_t(1) << 32) || RulesArena::used() != 0) _exit(10);
    {
      RulesArena scope;
      if (!scope.open()) _exit(11);
      RulesArena::record_allocations();
      auto* kept = new std::string(100, 'k');
      auto* freed = new std::vector<char>(200, 'f');
      const char* buffer = freed->data();
      delete freed;
      for (int i = 0; i < 200; ++i)
        if (buffer[i] != 0) _exit(12);
      if (*kept != std::string(100, 'k')) _exit(13);
      if (RulesArena::adopt(16) != nullptr) _exit(14);  // something was allocated already
    }
    if (!RulesArena::move_for_snapshot(size_t(1) << 32)) _exit(15);
    if (RulesArena::adopt(16) != nullptr) _exit(16);  // no scope open
    {
      RulesArena scope;
      char* got = RulesArena::adopt(4096);
      if (got != RulesArena::begin() || RulesArena::used() != 4096) _exit(17);
      for (int i = 0; i < 4096; ++i)
        if (got[i] != 0) _exit(18);
      auto* next = new int(5);
      if (reinterpret_cast<char*>(next) < got + 4096 || !RulesArena::holds(next)) _exit(19);
    }
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the step that failed: see the _exit codes";
}

}  // namespace
