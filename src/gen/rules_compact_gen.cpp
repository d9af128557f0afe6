// Build-time generator of the built-in rules as read at every start: each rules/*.json
// parsed here, without its comments (keys starting with '_', which the rules loader
// skips), and written as a flat tree of constant data (src/json_tree.hpp) that the
// loader reads in place: no lexing or parsing at run time. Lexing the annotated text
// was a sixth of the start of a run on a one-line file, and parsing even the compact
// text (comments and indentation left out) into nlohmann's tree a quarter (6.4 M of
// 25 M instructions); binary JSON (CBOR) was tried and was no faster. The rules files
// stay the source of truth: `--rules DIR` reads them as written, the fingerprint is of
// their text (cmake/embed_rules.cmake embeds it too), and the test suite compiles the
// built-in rules from that text. A file that is not valid JSON fails the build here.
//   usage: rules_compact_gen OUTPUT.cpp FILE.json...
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "gen/gen_common.hpp"
#include "json_tree.hpp"

namespace {

using nlohmann::json;

void strip_comments(json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      if (!it.key().empty() && it.key()[0] == '_') {
        it = j.erase(it);
      } else {
        strip_comments(*it);
        ++it;
      }
    }
  } else if (j.is_array()) {
    for (json& e : j) strip_comments(e);
  }
}

// The k-th file's flat tree: its nodes and its pool.
void write_tree(std::FILE* out, size_t k, const digestx::JsonTree& t) {
  std::fprintf(out, "const JsonTreeNode kTreeNodes%zu[] = {\n", k);
  for (const digestx::JsonTreeNode& n : t.nodes)
    std::fprintf(out, "  {%u, %u, %u, %u, %u, %u, %u, %u, %lld},\n", unsigned(n.type), n.parent, n.key_at, n.key_len,
                 n.first, n.count, n.text_at, n.text_len, static_cast<long long>(n.value));
  std::fprintf(out, "};\nconst char kTreePool%zu[] =\n    ", k);
  digestx::gen::write_literal(out, t.pool, 64);
  std::fprintf(out, ";\n");
  // Each string node's matching view, as the rules loader makes it (Node::text):
  // decoding and folding them at every start was 0.16 M instructions.
  std::u32string folded;
  std::fprintf(out, "const uint32_t kTreeFolded%zu[][2] = {\n", k);
  for (const digestx::JsonTreeNode& n : t.nodes) {
    std::u32string text;
    if (n.type == digestx::JsonTreeNode::string) text = digestx::from_utf8(std::string_view(t.pool).substr(n.text_at, n.text_len));
    digestx::fold_in_place(text);
    std::fprintf(out, "  {%zu, %zu},\n", folded.size(), text.size());
    folded += text;
  }
  std::fprintf(out, "};\nconst char32_t kTreeFoldedPool%zu[] = {", k);
  for (size_t i = 0; i < folded.size(); ++i) std::fprintf(out, "%s0x%X,", i % 16 ? " " : "\n  ", unsigned(folded[i]));
  std::fprintf(out, "%s0};\n", folded.empty() ? "" : "\n  ");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<digestx::gen::InputFile> inputs =
      digestx::gen::read_inputs(argc, argv, 2, "rules_compact_gen OUTPUT.cpp FILE.json...");
  if (inputs.empty()) return 2;
  std::vector<std::string> names;
  std::vector<digestx::JsonTree> trees;
  for (const digestx::gen::InputFile& f : inputs) {
    try {
      json doc = json::parse(f.text);
      strip_comments(doc);
      trees.push_back(digestx::flatten_json(doc));
    } catch (const json::exception& e) {
      std::fprintf(stderr, "rules_compact_gen: %s: malformed JSON: %s\n", f.path.c_str(), e.what());
      return 2;
    }
    names.push_back(f.name);
  }
  std::FILE* out = digestx::gen::open_output(argv[1], "rules_compact_gen.cpp", "rules/*.json");
  if (!out) return 2;
  std::fprintf(out, "#include <cstddef>\n#include <cstdint>\n\n#include \"json_tree.hpp\"\n\nnamespace digestx::generated {\n\n"
                    "namespace {\n");
  for (size_t k = 0; k < trees.size(); ++k) write_tree(out, k, trees[k]);
  std::fprintf(out, "}  // namespace\n\nextern const JsonTreeView kRulesTrees[] = {");
  for (size_t k = 0; k < trees.size(); ++k)
    std::fprintf(out, "\n    {kTreeNodes%zu, %zu, kTreePool%zu, %zu, kTreeFolded%zu, kTreeFoldedPool%zu},", k,
                 trees[k].nodes.size(), k, trees[k].pool.size(), k, k);
  std::fprintf(out, "};\nextern const char* const kCompactRulesNames[] = {");
  for (const std::string& n : names) std::fprintf(out, "\"%s\", ", n.c_str());
  std::fprintf(out, "};\nextern const size_t kCompactRulesCount = %zu;\n\n}  // namespace digestx::generated\n",
               trees.size());
  return digestx::gen::close_output(out);
}
