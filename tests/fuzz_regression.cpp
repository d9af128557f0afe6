// Replays the fuzz regression corpus through the fuzz entry points, so that every
// input a fuzzer once crashed on stays fixed in every build, with or without clang.
//
// usage: fuzz_regression CORPUS_DIR
//   CORPUS_DIR/pipeline/*  -> digestx::fuzz::run_pipeline
//   CORPUS_DIR/numbers/*   -> digestx::fuzz::run_numbers
//   CORPUS_DIR/rules/*     -> digestx::fuzz::run_rules
//   CORPUS_DIR/records/*   -> digestx::fuzz::run_records (and walk, outputs: see fuzz/harness.hpp)
// A broken promise aborts with the input's name on stderr just before.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "../fuzz/harness.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string contents(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_regression CORPUS_DIR\n";
    return 2;
  }
  fs::path root = argv[1];
  size_t replayed = 0;
  for (const auto& [name, run] : {std::pair{"pipeline", &digestx::fuzz::run_pipeline},
                                  std::pair{"numbers", &digestx::fuzz::run_numbers},
                                  std::pair{"rules", &digestx::fuzz::run_rules},
                                  std::pair{"records", &digestx::fuzz::run_records},
                                  std::pair{"walk", &digestx::fuzz::run_walk},
                                  std::pair{"outputs", &digestx::fuzz::run_outputs}}) {
    for (const fs::path& p : files_in(root / name)) {
      std::cerr << name << ": " << p.filename().string() << std::endl;
      run(contents(p));
      ++replayed;
    }
  }
  std::cout << replayed << " inputs replayed, no broken promise\n";
  return replayed > 0 ? 0 : 1;  // an empty corpus means a wrong path, not a pass
}
