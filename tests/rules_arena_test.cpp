// The command line's arena for the rules (src/cli/rules_arena.cpp): what a thread
// allocates inside a scope comes from it and stays valid after; everything else is
// malloc's, and deleting either kind is safe at any time.
#include <gtest/gtest.h>

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

}  // namespace
