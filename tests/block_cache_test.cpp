// The command line's cache of freed blocks (src/cli/block_cache.hpp): what a thread
// deletes it keeps, up to its limits, and hands back on that thread's next new of the
// same malloc size; a thread that ends gives its blocks back to free.
#include <gtest/gtest.h>

#include <malloc.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cli/block_cache.hpp"
#include "cli/rules_arena.hpp"

using digestx::cli::BlockCache;
using digestx::cli::RulesArena;

namespace {

#define SKIP_WITHOUT_OWN_NEW() \
  if (!RulesArena::enabled()) GTEST_SKIP() << "sanitizer build: operator new is the sanitizer's"

// Runs `body` on a thread of its own: its cache starts empty (the test runner's main
// thread has kept blocks of every size by now, up to the limits).
template <class Body>
void on_fresh_thread(Body body) {
  std::thread t(body);
  t.join();
}

// Each row: a request, a second request, and whether a block freed after the first
// serves the second (malloc's chunk: request + 8 rounded up to 16, at least 32).
struct SizesCase {
  size_t first, second;
  bool reused;
};
const SizesCase kSizes[] = {
    {1, 24, true},       // both in the smallest chunk (32)
    {24, 25, false},     // 32 and 48
    {40, 33, true},      // both 48
    {100, 100, true},
    {1020, 1032, true},  // the largest kept, 1040
    {1032, 1033, false}, // 1033: larger than BlockCache::kLargest, malloc's alone
};

TEST(BlockCache, AFreedBlockServesTheNextNewOfItsMallocSize) {
  SKIP_WITHOUT_OWN_NEW();
  on_fresh_thread([] {
    for (const SizesCase& c : kSizes) {
      SCOPED_TRACE(std::to_string(c.first) + " then " + std::to_string(c.second));
      char* a = static_cast<char*>(::operator new(c.first));
      ::operator delete(a, c.first);  // sized: kept by the request's size
      char* b = static_cast<char*>(::operator new(c.second));
      EXPECT_EQ(a == b, c.reused);
      EXPECT_GE(malloc_usable_size(b), c.second);
      b[c.second - 1] = 'x';  // all of it writable
      ::operator delete(b, c.second);
    }
  });
}

TEST(BlockCache, ALargerBlockIsNotKept) {
  SKIP_WITHOUT_OWN_NEW();
  on_fresh_thread([] {
    ::operator delete(::operator new(BlockCache::kLargest), BlockCache::kLargest);
    EXPECT_EQ(BlockCache::blocks(), 1u);
    ::operator delete(::operator new(BlockCache::kLargest + 1));
    ::operator delete(::operator new(5000), 5000);
    EXPECT_EQ(BlockCache::blocks(), 1u);
  });
}

TEST(BlockCache, SizedAndUnsizedDeletesKeepTheSame) {
  SKIP_WITHOUT_OWN_NEW();
  on_fresh_thread([] {
    auto* s = new std::string(300, 'x');  // its text and the string: sized deletes
    delete s;
    EXPECT_EQ(BlockCache::blocks(), 2u);
    // Unsized: kept by malloc_usable_size, which may be more than was asked for (malloc
    // hands out a whole free chunk when what is left of it would be too small).
    void* plain = ::operator new(77);
    size_t usable = malloc_usable_size(plain);
    ::operator delete(plain);
    EXPECT_EQ(BlockCache::blocks(), 3u);
    EXPECT_EQ(::operator new(usable), plain);
    ::operator delete(plain, usable);
  });
}

TEST(BlockCache, KeepsNoMoreThanItsLimitOfASize) {
  SKIP_WITHOUT_OWN_NEW();
  on_fresh_thread([] {
    std::vector<void*> blocks;
    for (uint32_t k = 0; k < BlockCache::kPerSize + 100; ++k) blocks.push_back(::operator new(200));
    size_t before = BlockCache::blocks();  // the vector's own, as it grew (none of 200 bytes)
    for (void* p : blocks) ::operator delete(p, 200);
    EXPECT_EQ(BlockCache::blocks() - before, BlockCache::kPerSize);
    EXPECT_LE(BlockCache::bytes(), BlockCache::kMostBytes);
  });
}

TEST(BlockCache, KeepsNoMoreThanItsBytes) {
  SKIP_WITHOUT_OWN_NEW();
  on_fresh_thread([] {
    std::vector<void*> blocks;
    // Blocks of 700 to 1,004 bytes, more than kMostBytes of them in all, spread over
    // sizes so that no one size reaches kPerSize.
    size_t want = BlockCache::kMostBytes / 700 + 500;
    for (size_t k = 0; k < want; ++k) blocks.push_back(::operator new(700 + 16 * (k % 20)));
    for (void* p : blocks) ::operator delete(p);
    EXPECT_LE(BlockCache::bytes(), BlockCache::kMostBytes);
    EXPECT_GT(BlockCache::bytes(), BlockCache::kMostBytes - 2048);
    EXPECT_LT(BlockCache::blocks(), want);
  });
}

TEST(BlockCache, BlocksFreedOnAnotherThreadServeThatThread) {
  SKIP_WITHOUT_OWN_NEW();
  void* from_main = ::operator new(200);
  void* again = nullptr;
  std::thread t([&] {
    // Sized: kept by the request's size. Unsized, it goes by malloc_usable_size, which
    // may be more than 200 (malloc's, or a kept block's, whole chunk): another list.
    ::operator delete(from_main, 200);
    again = ::operator new(200);
    ::operator delete(again);
  });
  t.join();
  EXPECT_EQ(again, from_main);
}

TEST(BlockCache, AnEndingThreadGivesItsBlocksBack) {
  SKIP_WITHOUT_OWN_NEW();
  // The arena's statistics: what a thread kept and did not give back would stay in use.
  // Run once to settle, then a second time to compare.
  auto run = [] {
    on_fresh_thread([] {
      std::vector<std::string*> strings;
      for (int k = 0; k < 20000; ++k) strings.push_back(new std::string(100 + k % 200, 'y'));
      for (std::string* s : strings) delete s;
      EXPECT_GT(BlockCache::bytes(), BlockCache::kMostBytes / 2);
    });
  };
  run();
  size_t in_use = mallinfo2().uordblks;
  for (int k = 0; k < 5; ++k) run();
  // Five threads' cached blocks (megabytes each) would show; a few kilobytes of
  // the threads' own bookkeeping may not come back at once.
  EXPECT_LT(mallinfo2().uordblks, in_use + (size_t(256) << 10));
}

// A thread's object made before the thread first deleted anything is destroyed after
// the cache has given its blocks back: what it deletes then goes to free, not to a
// cache no one will empty again.
struct HeldUntilThreadEnds {
  std::vector<std::string*> strings;
  ~HeldUntilThreadEnds() {
    for (std::string* s : strings) delete s;
  }
};

TEST(BlockCache, WhatIsDeletedAfterTheThreadsCacheClosedIsFreed) {
  SKIP_WITHOUT_OWN_NEW();
  auto run = [] {
    on_fresh_thread([] {
      static thread_local HeldUntilThreadEnds held;  // made now, before any delete
      held.strings.reserve(2000);
      for (int k = 0; k < 2000; ++k) held.strings.push_back(new std::string(200, 'z'));
      ::operator delete(::operator new(64));  // the thread's first delete: its cache opens
    });
  };
  run();
  size_t in_use = mallinfo2().uordblks;
  for (int k = 0; k < 5; ++k) run();
  // 2,000 strings of 200 characters left in a closed cache: over 2 MiB in five threads.
  EXPECT_LT(mallinfo2().uordblks, in_use + (size_t(256) << 10));
}

// Threads allocating blocks of random sizes, writing a signature over all of each,
// and freeing them in random order, half of them on another thread (handed over
// through a shared pile): a block handed out twice, or kept while still in use, shows
// as a signature overwritten before its delete.
TEST(BlockCache, BlocksSurviveAllocatingAndFreeingAcrossThreads) {
  struct Block {
    unsigned char* p;
    size_t n;
    unsigned char mark;
  };
  std::mutex pile_mutex;
  std::vector<Block> pile;  // blocks handed to whichever thread takes them
  std::atomic<int> damaged{0};
  auto check_and_free = [&](const Block& b) {
    for (size_t k = 0; k < b.n; ++k)
      if (b.p[k] != b.mark) {
        ++damaged;
        break;
      }
    if (b.n % 2)
      ::operator delete(b.p);
    else
      ::operator delete(b.p, b.n);
  };
  auto work = [&](unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<Block> live;
    for (int op = 0; op < 100000; ++op) {
      if (live.size() < 500 && rng() % 3 != 0) {
        size_t n = 1 + rng() % (BlockCache::kLargest + 100);
        auto mark = static_cast<unsigned char>(rng());
        auto* p = static_cast<unsigned char*>(::operator new(n));
        std::memset(p, mark, n);
        live.push_back({p, n, mark});
      } else if (!live.empty()) {
        size_t i = rng() % live.size();
        Block b = live[i];
        live[i] = live.back();
        live.pop_back();
        if (rng() % 2) {
          std::lock_guard<std::mutex> lock(pile_mutex);
          pile.push_back(b);
          continue;
        }
        check_and_free(b);
      }
      if (op % 64 == 0) {
        std::vector<Block> taken;
        {
          std::lock_guard<std::mutex> lock(pile_mutex);
          taken.swap(pile);
        }
        for (const Block& b : taken) check_and_free(b);
      }
    }
    for (const Block& b : live) check_and_free(b);
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 4; ++t) threads.emplace_back(work, 17 + t);
  for (std::thread& t : threads) t.join();
  for (const Block& b : pile) check_and_free(b);
  EXPECT_EQ(damaged.load(), 0);
}

}  // namespace
