// The order in which loading a rules set first changes each of its Lexicons: the same
// on every load of the same rules files by the same loader, as it follows the files'
// entries, not their words. While a sequence is current on a thread, the k-th lexicon
// changed there is its k-th. Attaching (the built-in rules), that lexicon reads the k-th
// of the tables written at build time and its changes are skipped, as the tables hold
// them already; recording (the generator, src/gen/lexicon_table_gen.cpp, and the test
// that checks its tables), it is built as usual and its tables are kept after each
// change: the last are the ones written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "digestx/lexicon.hpp"

namespace digestx {

class LexiconSequence {
 public:
  // Attaching: lexicon k reads `images[k]` in `pool`.
  LexiconSequence(const lexicon_layout::Pool& pool, const lexicon_layout::Image* images, size_t count);
  // Recording.
  LexiconSequence();
  ~LexiconSequence();
  LexiconSequence(const LexiconSequence&) = delete;
  LexiconSequence& operator=(const LexiconSequence&) = delete;

  // Attaching: every table was taken, and every lexicon changed found one.
  bool complete() const { return !missing_ && next_ == count_; }
  // Recording: the lexicons' last tables, one after another, the k-th at images[k].
  lexicon_layout::Arrays tables(std::vector<lexicon_layout::Image>& images) const;
  // Lexicons copied after their first change. The k-th lexicon is one object: a copy
  // changed apart would leave its changes to the original's tables.
  size_t copies() const { return copies_; }
  // The next sequence begun is numbered `id`. For the snapshot of the built-in rules
  // (src/cli/rules_snapshot.cpp): its two compiles must give their lexicons the same
  // number, and one that no sequence begun later in a run reaches (kSnapshotId).
  static void number_next(uint32_t id);
  static constexpr uint32_t kSnapshotId = UINT32_MAX;

 private:
  friend class Lexicon;
  static LexiconSequence* current();
  bool attaching() const { return images_ != nullptr; }
  bool holds(const Lexicon& lexicon) const;  // whether it has its place in this sequence
  void enter(Lexicon& lexicon);        // its first change: its place, and its tables when attaching
  void keep(const Lexicon& lexicon);   // recording: its tables after a change
  void copied() { ++copies_; }

  uint32_t id_;  // which sequence a lexicon's place is in (a rules set loaded earlier keeps theirs)
  lexicon_layout::Pool pool_{};
  const lexicon_layout::Image* images_ = nullptr;
  size_t count_ = 0;
  size_t next_ = 0;
  bool missing_ = false;
  size_t copies_ = 0;
  std::vector<lexicon_layout::Arrays> kept_;
  std::vector<lexicon_layout::Image> kept_images_;
  LexiconSequence* previous_;
};

}  // namespace digestx
