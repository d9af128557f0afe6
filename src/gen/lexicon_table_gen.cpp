// Build-time generator of the built-in rules' word lists (src/lexicon_tables.hpp): the
// rules loader itself loads rules/*.json, as `--rules` would, under a recording
// LexiconSequence, and each lexicon's tables after its last change are written as
// constant arrays that the built-in rules read in place at every start (building them
// was 4.4 M of the 9.9 M instructions of a run on a one-line file). A rules file the
// loader refuses fails the build here.
//   usage: lexicon_table_gen OUTPUT.cpp FILE.json...
#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include "digestx/rules.hpp"
#include "gen/gen_common.hpp"
#include "lexicon_sequence.hpp"

namespace {

using namespace digestx::lexicon_layout;

void write_tables(std::FILE* out, const Arrays& a, const std::vector<Image>& images) {
  using digestx::gen::write_array;
  write_array(out, "extern const char32_t kLexiconChars[]", a.chars,
              [](std::FILE* o, char32_t c) { std::fprintf(o, "0x%X", unsigned(c)); }, "0");
  write_array(out, "extern const lexicon_layout::Word kLexiconWords[]", a.words,
              [](std::FILE* o, const Word& w) { std::fprintf(o, "{%u, %u, %d}", w.at, w.len, int(w.value)); }, "{0, 0, 0}");
  auto number = [](std::FILE* o, uint32_t v) { std::fprintf(o, "%u", v); };
  write_array(out, "extern const uint32_t kLexiconIndex[]", a.index, number, "0");
  write_array(out, "extern const uint32_t kLexiconLists[]", a.lists, number, "0");
  write_array(out, "extern const lexicon_layout::Bucket kLexiconBuckets[]", a.buckets,
              [](std::FILE* o, const Bucket& b) {
                std::fprintf(o, "{0x%X, %u, %u, %u}", unsigned(b.c), b.word_count, b.list_at, b.list_count);
              },
              "{0, 0, 0, 0}");
  write_array(out, "extern const uint64_t kLexiconFilters[]", a.filters,
              [](std::FILE* o, uint64_t f) { std::fprintf(o, "0x%" PRIX64 "ull", f); }, "0");
  auto side = [](std::FILE* o, const Side& s) {
    std::fprintf(o, "{%u, %u, %u, %u}", s.slots_at, s.filter_at, s.slot_shift, s.filter_shift);
  };
  write_array(out, "extern const lexicon_layout::Image kLexiconImages[]", images,
              [&](std::FILE* o, const Image& im) {
                std::fprintf(o, "{%u, %u, %u, %u, %u, %u, %u, %u, %u, %u, %u, %u, %u, ", im.chars_at, im.chars_count,
                             im.words_at, im.word_count, im.index_at, im.index_size, im.lists_at, im.lists_count,
                             im.buckets_at, im.buckets_count, im.filters_at, im.filters_count, im.max_len);
                side(o, im.first);
                std::fprintf(o, ", ");
                side(o, im.last);
                std::fprintf(o, "}");
              },
              "{}");
  std::fprintf(out, "extern const size_t kLexiconImageCount = %zu;\n", images.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<digestx::gen::InputFile> inputs =
      digestx::gen::read_inputs(argc, argv, 2, "lexicon_table_gen OUTPUT.cpp FILE.json...");
  if (inputs.empty()) return 2;
  std::vector<digestx::RulesFile> files;
  for (digestx::gen::InputFile& f : inputs) files.push_back({f.name, std::move(f.text), f.path});
  digestx::LexiconSequence recording;
  try {
    digestx::compile_rules(files);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lexicon_table_gen: %s\n", e.what());
    return 2;
  }
  if (recording.copies() > 0) {
    std::fprintf(stderr, "lexicon_table_gen: the loader copied %zu word lists after changing them\n", recording.copies());
    return 2;
  }
  std::vector<Image> images;
  Arrays arrays = recording.tables(images);
  std::FILE* out = digestx::gen::open_output(argv[1], "lexicon_table_gen.cpp", "rules/*.json");
  if (!out) return 2;
  std::fprintf(out, "#include \"lexicon_tables.hpp\"\n\nnamespace digestx::generated {\n\n");
  write_tables(out, arrays, images);
  std::fprintf(out, "\n}  // namespace digestx::generated\n");
  return digestx::gen::close_output(out);
}
