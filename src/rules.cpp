#include "digestx/rules.hpp"
#include "digestx/sha256.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unicode/regex.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <type_traits>

#include "digestx/utf.hpp"
#include "digestx/view.hpp"
#include "json_tree.hpp"
#include "lexicon_sequence.hpp"
#include "lexicon_tables.hpp"
#include "regex_han.hpp"
#include "regex_prefilter.hpp"
#include "regex_programs.hpp"

namespace digestx {

// ---------------------------------------------------------------- LazyRegex

// ICU counts its time limit in steps of its engine of 10,000 operations each (roughly
// milliseconds); a plain pattern takes about one step per ten thousand characters, so
// the limit grows with the text. digestx's matcher is given as many of its own steps.
constexpr int64_t kRegexBaseSteps = 300;
constexpr uint64_t kOwnStepsPerIcuStep = 10000;

struct LazyRegex::State {
  std::string source;
  std::once_flag once;
  std::shared_ptr<const rx::Program> own;      // null: the pattern runs on ICU
  std::unique_ptr<icu::RegexPattern> pattern;  // ICU's, made where `own` is null or to check
  UErrorCode status = U_ZERO_ERROR;
  std::once_flag icu_once;
  std::once_flag needs_once;
  NeedsInOrder needs;  // see required_chars

  // A built-in pattern's program was compiled at build time (regex_programs.hpp).
  void compile() {
    std::call_once(once, [this] {
      if (auto built = built_in_program(source)) own = std::move(*built);
      else own = rx::compile(from_utf8(with_han_ranges(source)));
    });
  }
  const icu::RegexPattern* icu_pattern() {
    std::call_once(icu_once, [this] {
      UParseError perr;
      pattern.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(with_han_ranges(source)), 0, perr, status));
      if (U_FAILURE(status)) pattern.reset();
    });
    return pattern.get();
  }
};

namespace {

RegexRun run_on_icu(const icu::RegexPattern& pattern, std::u32string_view text, RegexMode mode, int64_t icu_steps,
                    rx::Groups* groups) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString us = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(text.data()), int32_t(text.size()));
  std::unique_ptr<icu::RegexMatcher> m(pattern.matcher(us, status));
  if (U_FAILURE(status)) return RegexRun::miss;
  m->setTimeLimit(int32_t(icu_steps), status);
  bool hit = mode == RegexMode::whole ? m->matches(status) : mode == RegexMode::prefix ? m->lookingAt(status) : m->find(0, status);
  if (status == U_REGEX_TIME_OUT) return RegexRun::timed_out;
  if (!hit || U_FAILURE(status)) return RegexRun::miss;
  if (groups) {
    groups->at.assign(2 * (size_t(m->groupCount()) + 1), -1);
    for (int32_t g = 0; g <= m->groupCount(); ++g) {
      int32_t b = m->start(g, status), e = m->end(g, status);
      if (U_FAILURE(status) || b < 0) continue;
      groups->at[2 * size_t(g)] = us.countChar32(0, b);
      groups->at[2 * size_t(g) + 1] = us.countChar32(0, e);
    }
  }
  return RegexRun::hit;
}

}  // namespace

LazyRegex::LazyRegex(std::string source, bool check_now) : state_(std::make_shared<State>()) {
  state_->source = std::move(source);
  if (check_now) state_->icu_pattern();
}

RegexRun LazyRegex::run(std::u32string_view text, RegexMode mode, rx::Groups* groups) const {
  if (!state_) return RegexRun::miss;
  state_->compile();
  int64_t icu_steps = kRegexBaseSteps + int64_t(text.size()) / 100;
  if (state_->own) {
    rx::Outcome o = rx::run(*state_->own, text, mode, uint64_t(icu_steps) * kOwnStepsPerIcuStep, groups);
    return o == rx::Outcome::hit ? RegexRun::hit : o == rx::Outcome::miss ? RegexRun::miss : RegexRun::timed_out;
  }
  const icu::RegexPattern* p = state_->icu_pattern();
  return p ? run_on_icu(*p, text, mode, icu_steps, groups) : RegexRun::miss;
}

bool LazyRegex::runs_own() const {
  if (!state_) return false;
  state_->compile();
  return state_->own != nullptr;
}

bool LazyRegex::may_match(std::u32string_view text) const {
  if (!state_) return false;
  std::call_once(state_->needs_once, [this] {
    const generated::Prefilter* built_in = built_in_prefilter(state_->source);
    state_->needs = NeedsInOrder(built_in ? prefilter_needs(*built_in) : required_chars(from_utf8(state_->source)));
  });
  return state_->needs.held_by(text);
}

UErrorCode LazyRegex::status() const {
  if (!state_) return U_ZERO_ERROR;
  state_->icu_pattern();
  return state_->status;
}

size_t LazyRegex::group_count() const {
  if (!state_ || !state_->icu_pattern()) return 0;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> probe(state_->pattern->matcher(status));
  return U_SUCCESS(status) ? size_t(probe->groupCount()) : 0;
}

namespace {

using nlohmann::json;

// UTF-8 decoded into a string of exactly its characters. The rules' strings were checked
// by the JSON parser (at build time for the built-in rules); anything else is read as
// from_utf8 reads it.
std::u32string decoded(std::string_view s) {
  size_t n = 0;
  for (char b : s) n += (static_cast<unsigned char>(b) & 0xC0) != 0x80;
  std::u32string out(n, U'\0');
  size_t k = 0;
  for (size_t i = 0; i < s.size(); ++k) {
    size_t len = utf8_sequence_length(s, i);
    if (len == 0 || k == n) return from_utf8(s);
    auto b = static_cast<unsigned char>(s[i]);
    char32_t c = len == 1 ? b : b & (0xFF >> (len + 1));
    for (size_t j = 1; j < len; ++j) c = (c << 6) | (static_cast<unsigned char>(s[i + j]) & 0x3F);
    out[k] = c;
    i += len;
  }
  return k == n ? out : from_utf8(s);
}

// Whether the rules being loaded on this thread are the built-in ones. Their regular
// expressions compile on first use (see LazyRegex), and their keys are not checked
// again: the build loaded the same files with every check (src/gen/lexicon_table_gen.cpp),
// and checking them at every start was 0.2 M instructions.
thread_local bool loading_built_in = false;

// A position in a rules file: one node of its flat tree (src/json_tree.hpp) and the
// file's name, so that every complaint names exactly the bad entry (file and JSON
// pointer, found by walking up the parents: only a complaint needs it).
class Node {
 public:
  Node(const JsonTreeView& tree, uint32_t index, const std::string& file) : tree_(&tree), index_(index), file_(&file) {}

  [[noreturn]] void fail(const std::string& message) const {
    std::string pointer;
    for (uint32_t i = index_; i != 0; i = tree_->nodes[i].parent) {
      const JsonTreeNode& n = tree_->nodes[i];
      const JsonTreeNode& up = tree_->nodes[n.parent];
      pointer.insert(0, "/" + (up.type == JsonTreeNode::object ? std::string(key_of(n)) : std::to_string(i - up.first)));
    }
    throw RulesError(*file_, pointer.empty() ? "/" : pointer, message);
  }

  // Keys as views: a std::string made of each literal key was a tenth of a start.
  Node at(std::string_view key) const {
    object();
    uint32_t k = find(key);
    if (k == kNone) fail("missing key \"" + std::string(key) + "\"");
    return child(k);
  }
  std::optional<Node> opt(std::string_view key) const {
    object();
    uint32_t k = find(key);
    if (k == kNone || tree_->nodes[k].type == JsonTreeNode::null) return std::nullopt;
    return child(k);
  }
  bool has(std::string_view key) const { return node().type == JsonTreeNode::object && find(key) != kNone; }
  // f(key, value) for each member in the file's order, but comments ('_' keys) and nulls
  // (absent, as for opt): one pass where asking opt for each possible key scans the
  // members once a key (0.15 M instructions a start for the heading items alone).
  template <class F>
  void each_member(F&& f) const {
    object();
    for (uint32_t k = node().first; k < node().first + node().count; ++k) {
      std::string_view key = key_of(tree_->nodes[k]);
      if (tree_->nodes[k].type == JsonTreeNode::null || (!key.empty() && key[0] == '_')) continue;
      f(key, child(k));
    }
  }

  // Rejects keys outside `allowed` (keys starting with '_' are comments).
  const Node& keys(std::initializer_list<const char*> allowed) const {
    if (loading_built_in) return *this;
    object();
    for (uint32_t k = node().first; k < node().first + node().count; ++k) {
      std::string_view key = key_of(tree_->nodes[k]);
      if (!key.empty() && key[0] == '_') continue;
      bool ok = false;
      for (const char* a : allowed) ok = ok || key == a;
      if (!ok) child(k).fail("unknown key \"" + std::string(key) + "\"");
    }
    return *this;
  }

  void object() const {
    if (node().type != JsonTreeNode::object) fail("expected an object");
  }
  class Elements;
  Elements list(bool allow_empty = false) const;
  std::vector<std::pair<std::string, Node>> items() const {
    object();
    std::vector<std::pair<std::string, Node>> out;
    if (node().count == 0) fail("empty object");
    for (uint32_t k = node().first; k < node().first + node().count; ++k)
      out.emplace_back(std::string(key_of(tree_->nodes[k])), child(k));
    return out;
  }
  std::string_view string_ref(bool allow_empty = false) const {
    if (node().type != JsonTreeNode::string) fail("expected a string");
    std::string_view s = text_of(node());
    if (s.empty() && !allow_empty) fail("empty string");
    return s;
  }
  std::string str(bool allow_empty = false) const { return std::string(string_ref(allow_empty)); }
  // The matching view of the string: a copy of the one written at build time for the
  // built-in rules (see JsonTreeView::folded), else decoded and folded in place: one
  // string of the word's length (a word of three characters or fewer allocates
  // nothing), not two (from_utf8's, sized by the bytes, then fold's).
  std::u32string text(bool allow_empty = false) const {
    std::string_view bytes = string_ref(allow_empty);
    if (tree_->folded) return std::u32string(tree_->folded_pool + tree_->folded[index_][0], tree_->folded[index_][1]);
    std::u32string s = decoded(bytes);
    fold_in_place(s);
    return s;
  }
  long long integer(long long lo, long long hi) const {
    if (node().type != JsonTreeNode::integer) fail("expected an integer");
    long long v = node().value;
    if (v < lo || v > hi) fail("expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v;
  }
  bool boolean() const {
    if (node().type != JsonTreeNode::boolean) fail("expected true or false");
    return node().value != 0;
  }
  Decimal decimal() const {
    if (node().type != JsonTreeNode::integer && node().type != JsonTreeNode::number) fail("expected a number");
    auto d = Decimal::parse(std::string(text_of(node())));
    if (!d) fail("expected a plain positive decimal number");
    return *d;
  }
  std::vector<std::u32string> words() const;
  bool is_null() const { return node().type == JsonTreeNode::null; }
  bool is_string() const { return node().type == JsonTreeNode::string; }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  const JsonTreeNode& node() const { return tree_->nodes[index_]; }
  std::string_view key_of(const JsonTreeNode& n) const { return {tree_->pool + n.key_at, n.key_len}; }
  std::string_view text_of(const JsonTreeNode& n) const { return {tree_->pool + n.text_at, n.text_len}; }
  // The member `key` of this object, or kNone. Length and first byte are compared
  // before the bytes: comparing each member's key with memcmp was 87 K of the 1.5 M
  // instructions of loading the built-in rules (most keys asked for are absent, and many
  // have the length of another: "name", "kind", "unit"). Halving the members (they are
  // sorted) was slower still: most objects are small.
  uint32_t find(std::string_view key) const {
    for (uint32_t k = node().first; k < node().first + node().count; ++k) {
      const JsonTreeNode& n = tree_->nodes[k];
      if (n.key_len == key.size() && (key.empty() || tree_->pool[n.key_at] == key[0]) && key_of(n) == key) return k;
    }
    return kNone;
  }
  Node child(uint32_t k) const { return Node(*tree_, k, *file_); }
  const JsonTreeView* tree_;
  uint32_t index_;
  const std::string* file_;
};

// An array's elements, each made as it is read: no vector (lists are read about 120
// times at every start, and each vector was allocated and freed).
class Node::Elements {
 public:
  explicit Elements(const Node& array) : array_(array) {}
  size_t size() const { return array_.node().count; }
  Node operator[](size_t i) const { return array_.child(array_.node().first + uint32_t(i)); }
  class iterator {
   public:
    iterator(const Elements& e, size_t i) : elements_(&e), i_(i) {}
    Node operator*() const { return (*elements_)[i_]; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const iterator& other) const { return i_ != other.i_; }

   private:
    const Elements* elements_;
    size_t i_;
  };
  iterator begin() const { return {*this, 0}; }
  iterator end() const { return {*this, size()}; }

 private:
  Node array_;
};

char32_t single_char(const Node& n) {
  std::u32string s = n.text();
  if (s.size() != 1) n.fail("expected a single character");
  return s[0];
}

Node::Elements Node::list(bool allow_empty) const {
  if (node().type != JsonTreeNode::array) fail("expected an array");
  if (node().count == 0 && !allow_empty) fail("empty list");
  return Elements(*this);
}

std::vector<std::u32string> Node::words() const {
  std::vector<std::u32string> out;
  for (const Node& n : list()) out.push_back(n.text());
  return out;
}

Period parse_period(const Node& n) {
  std::string p = n.str();
  if (p == "last_year") return Period::last_year;
  if (p == "this_year") return Period::this_year;
  n.fail("period must be \"last_year\" or \"this_year\"");
}

LazyRegex compile_pattern(const Node& re) {
  LazyRegex out(re.str(), !loading_built_in);
  if (loading_built_in) return out;
  UErrorCode status = out.status();
  if (U_FAILURE(status)) re.fail(std::string("invalid ICU regular expression: ") + u_errorName(status));
  if (out.group_count() < 1) re.fail("the regular expression needs one capture group");
  return out;
}

NamedRegex compile_regex(const Node& rule) {
  rule.keys({"name", "regex"});
  NamedRegex r;
  r.name = rule.at("name").str();
  r.pattern = compile_pattern(rule.at("regex"));
  return r;
}

// A list of words, added at once. The built-in rules take their lexicons from the
// tables written at build time, where these words were read and checked already.
void add_words(Lexicon& lex, const Node& words, int value) {
  if (!lex.wants_words()) return;
  auto list = words.list();
  std::vector<std::u32string> texts;
  texts.reserve(list.size());
  for (const Node& w : list) texts.push_back(w.text());
  lex.add(texts, value);
}

// ------------------------------------------------------------ per file

// Furniture at a line's edge, a PDF's running header and the lines a newspaper's copy
// jumps over (layout.json furniture: edge_rules, running_header, jumped_lines).
void load_furniture_extras(const Node& f, LayoutRules& r) {
  if (auto edge = f.opt("edge_rules"))
    for (const Node& n : edge->list()) {
      n.keys({"name", "regex", "ends_with", "starts_with"});
      r.furniture_edge.push_back({n.at("name").str(), compile_pattern(n.at("regex"))});
      r.furniture_edge_ends.push_back(n.at("ends_with").text());
      r.furniture_edge_starts.push_back(n.at("starts_with").text());
    }
  if (auto rh = f.opt("running_header")) {
    rh->keys({"name", "beside", "max_chars", "not_holding", "regex"});
    r.running_header.name = rh->at("name").str();
    r.running_header.beside = rh->at("beside").str();
    r.running_header.max_chars = size_t(rh->at("max_chars").integer(1, 200));
    r.running_header.not_holding = rh->at("not_holding").text();
    r.running_header.title = {r.running_header.name, compile_pattern(rh->at("regex"))};
  }
  if (auto jl = f.opt("jumped_lines")) {
    jl->keys({"name", "markers", "from_words", "max_lines"});
    r.jumped_lines.name = jl->at("name").str();
    for (const Node& m : jl->at("markers").list()) r.jumped_lines.markers.push_back(m.str());
    for (const Node& w : jl->at("from_words").list()) r.jumped_lines.from_words.push_back(w.text());
    r.jumped_lines.max_lines = size_t(jl->at("max_lines").integer(1, 1000));
  }
}

// Lines that are complete as they stand (layout.json "complete_line"): a section
// heading, an enumerated line, a table row; joined to the next they made one line.
void load_complete_lines(const Node& root, LayoutRules& r) {
  auto c = root.opt("complete_line");
  if (!c) return;
  c->keys({"rules", "section_heading", "next_enumerated", "next_bulleted", "before_indent", "numerals_apart", "fixed_width",
           "figure_label", "spaced_rows", "range_dash"});
  if (auto rd = c->opt("range_dash")) {
    rd->keys({"name", "_doc", "dashes"});
    r.range_dash_rule = rd->at("name").str();
    r.range_dashes = rd->at("dashes").text();
  }
  if (auto nb = c->opt("next_bulleted")) {
    nb->keys({"name", "_doc"});
    r.next_bulleted_rule = nb->at("name").str();
  }
  if (auto sr = c->opt("spaced_rows")) {
    sr->keys({"name"});
    r.spaced_rows_rule = sr->at("name").str();
  }
  if (auto fl = c->opt("figure_label")) {
    fl->keys({"name", "max_unit_chars", "max_label_chars", "not_in_label"});
    r.figure_label.name = fl->at("name").str();
    r.figure_label.max_unit_chars = size_t(fl->at("max_unit_chars").integer(0, 10));
    r.figure_label.max_label_chars = size_t(fl->at("max_label_chars").integer(1, 60));
    r.figure_label.not_in_label = fl->at("not_in_label").text();
  }
  for (const Node& n : c->at("rules").list()) {
    n.keys({"name", "regex", "ends_with"});
    r.complete_patterns.push_back({n.at("name").str(), compile_pattern(n.at("regex"))});
    r.complete_ends.push_back(n.at("ends_with").text());
  }
  Node sh = c->at("section_heading");
  sh.keys({"name", "max_chars", "not_holding"});
  r.section_heading_rule = sh.at("name").str();
  r.section_heading_max_chars = size_t(sh.at("max_chars").integer(1, 1000));
  if (auto nh = sh.opt("not_holding")) r.section_heading_not_holding = nh->text();
  Node ne = c->at("next_enumerated");
  ne.keys({"name"});
  r.next_enumerated_rule = ne.at("name").str();
  if (auto bi = c->opt("before_indent")) {
    bi->keys({"name"});
    r.before_indent_rule = bi->at("name").str();
  }
  Node na = c->at("numerals_apart");
  na.keys({"name", "numerals", "continued_by_zero", "decimal_points"});
  r.numerals_apart_rule = na.at("name").str();
  r.numerals_apart_chars = na.at("numerals").text();
  if (auto z = na.opt("continued_by_zero")) r.numerals_apart_zero = z->text();
  if (auto d = na.opt("decimal_points")) r.numerals_apart_decimal_points = d->text();
  if (auto fw = c->opt("fixed_width")) {
    fw->keys({"name", "min_lines", "min_columns", "tolerance_columns", "share_percent", "min_chars", "tolerance_chars", "min_char_lines", "sentence_ends"});
    r.fixed_width.name = fw->at("name").str();
    r.fixed_width.min_lines = size_t(fw->at("min_lines").integer(2, 1000));
    r.fixed_width.min_columns = size_t(fw->at("min_columns").integer(1, 10000));
    r.fixed_width.tolerance_columns = size_t(fw->at("tolerance_columns").integer(0, 100));
    r.fixed_width.share_percent = size_t(fw->at("share_percent").integer(1, 100));
    if (auto mc = fw->opt("min_chars")) r.fixed_width.min_chars = size_t(mc->integer(1, 10000));
    if (auto tc = fw->opt("tolerance_chars")) r.fixed_width.tolerance_chars = size_t(tc->integer(0, 100));
    if (auto ml = fw->opt("min_char_lines")) r.fixed_width.min_char_lines = size_t(ml->integer(2, 1000));
    if (auto se = fw->opt("sentence_ends")) r.fixed_width.sentence_ends = se->text();
  }
}

// Page furniture and complete lines (layout.json "furniture", "complete_line").
// A furniture rule's caption shape (layout.json "caption"), if it has one: 　　白沙乡投资
// 2600万元建成的农产品冷链物流中心。（记者　王磊　摄） is a caption by its length,
// sentences and clauses, set in or flush.
void load_caption_shape(const Node& n, LayoutRules& r) {
  r.furniture_caption.emplace_back();
  if (auto cap = n.opt("caption")) {
    cap->keys({"_doc", "max_chars", "max_sentences", "max_clauses", "sentence_ends", "clause_marks",
               "flush_under_set_in", "warn_figures"});
    LayoutRules::CaptionShape& c = r.furniture_caption.back();
    if (auto w = cap->opt("warn_figures")) {
      w->keys({"_doc", "code", "warning"});
      c.warn_code = w->at("code").str();
      c.warning = w->at("warning").str();
    }
    if (auto fl = cap->opt("flush_under_set_in")) {
      fl->keys({"_doc", "max_chars", "max_sentences", "max_clauses"});
      c.flush_max_chars = size_t(fl->at("max_chars").integer(1, 200));
      c.flush_max_sentences = size_t(fl->at("max_sentences").integer(0, 20));
      c.flush_max_clauses = size_t(fl->at("max_clauses").integer(0, 20));
    }
    c.max_chars = size_t(cap->at("max_chars").integer(1, 200));
    c.max_sentences = size_t(cap->at("max_sentences").integer(0, 20));
    c.max_clauses = size_t(cap->at("max_clauses").integer(0, 20));
    c.sentence_ends = cap->at("sentence_ends").text();
    c.clause_marks = cap->at("clause_marks").text();
  }
}

void load_line_rules(const Node& root, LayoutRules& r) {
  if (auto f = root.opt("furniture")) {
    f->keys({"max_chars", "not_ending_with", "rules", "edge_rules", "running_header", "jumped_lines"});
    r.furniture_max_chars = size_t(f->at("max_chars").integer(1, 10000));
    if (auto ne = f->opt("not_ending_with")) r.furniture_not_ending = ne->text();
    FirstChars first_any;  // of the rules without contains
    first_any.any = false;
    for (const Node& n : f->at("rules").list()) {
      n.keys({"name", "regex", "contains", "tail", "within_paragraph", "line_above", "sentence_end", "list_below", "page_top", "caption"});
      r.furniture_list_below.push_back(0);
      if (auto lb = n.opt("list_below")) {
        lb->keys({"max_chars"});
        r.furniture_list_below.back() = size_t(lb->at("max_chars").integer(1, 200));
      }
      r.furniture_page_top.push_back(n.opt("page_top") && n.at("page_top").boolean());
      load_caption_shape(n, r);
      r.furniture.push_back({n.at("name").str(), compile_pattern(n.at("regex"))});
      r.furniture_tail.push_back(n.opt("tail") && n.at("tail").boolean());
      r.furniture_within_paragraph.push_back(n.opt("within_paragraph") && n.at("within_paragraph").boolean());
      r.furniture_sentence_end.push_back(n.opt("sentence_end") && n.at("sentence_end").boolean());
      r.furniture_any_sentence_end = r.furniture_any_sentence_end || r.furniture_sentence_end.back();
      r.furniture_line_above.emplace_back();
      if (auto above = n.opt("line_above")) {
        above->keys({"max_chars", "not_holding"});
        r.furniture_line_above.back().max_chars = size_t(above->at("max_chars").integer(1, 100));
        r.furniture_line_above.back().not_holding = above->at("not_holding").text();
      }
      const generated::Prefilter* built_in = built_in_prefilter(n.at("regex").string_ref());
      r.furniture_first.emplace_back(built_in ? prefilter_set(built_in->first) : first_chars(n.at("regex").text()));
      r.furniture_contains.push_back(n.opt("contains") ? n.at("contains").text() : std::u32string());
      // A rule that names the characters its lines hold is tried on the lines that hold
      // one (its first character may be any); the others keep the first-character test.
      if (!r.furniture_contains.back().empty()) {
        r.furniture_contains_any = r.furniture_contains_any.chars() + r.furniture_contains.back();
        for (char32_t c : r.furniture_contains.back()) r.furniture_contains_bits |= uint64_t(1) << (c & 63);
      } else
        first_any.add(r.furniture_first.back().chars);
    }
    r.furniture_first_any = FirstCharsFilter(std::move(first_any));
    load_furniture_extras(*f, r);
  }
  load_complete_lines(root, r);
}

// An HTML page's markup (layout.json "html_page"): tag names are matched lower-cased.
void load_markup(const Node& n, LayoutRules::Markup& m) {
  n.keys({"name", "starts_with", "block_tags", "cell_tags", "row_tags", "heading_marks", "hidden_tags", "entities", "max_tag_chars"});
  m.name = n.at("name").str();
  auto lower_name = [](std::u32string t) {
    for (char32_t& c : t)
      if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    return t;
  };
  auto lowered = [&](const Node& list) {
    std::vector<std::u32string> out;
    for (const Node& x : list.list()) out.push_back(lower_name(x.text(true)));
    return out;
  };
  m.starts = lowered(n.at("starts_with"));
  m.block_tags = lowered(n.at("block_tags"));
  if (auto cells = n.opt("cell_tags")) m.cell_tags = lowered(*cells);
  if (auto rows = n.opt("row_tags")) m.row_tags = lowered(*rows);
  if (auto hm = n.opt("heading_marks")) {
    for (const auto& [name, marks] : hm->items()) {
      std::u32string t = lower_name(from_utf8(name)), written = marks.text(true);
      // The tag's own characters hold the line break and the marks: <h1> has four.
      if (written.size() + 1 > t.size() + 2) marks.fail("more marks than the tag <" + to_utf8(t) + "> has characters");
      m.heading_marks.emplace_back(std::move(t), std::move(written));
    }
  }
  m.hidden_tags = lowered(n.at("hidden_tags"));
  for (const auto& [name, value] : n.at("entities").items()) {
    std::u32string c = from_utf8(value.string_ref());  // unfolded: written into the text as it is (“, not ")
    if (c.size() != 1) value.fail("expected one character");
    m.entities.emplace_back(from_utf8(name), c[0]);
  }
  m.max_tag_chars = size_t(n.at("max_tag_chars").integer(16, 100000));
}

void load_layout(const Node& root, LayoutRules& r) {
  root.keys({"markdown_heading", "bullets", "wrappers", "enumerators", "furniture", "complete_line", "paragraph_indent",
             "html_page", "glued_heading"});
  load_line_rules(root, r);
  if (auto g = root.opt("glued_heading")) {
    g->keys({"name", "marks", "after", "not_holding", "max_chars", "brackets", "after_brackets"});
    if (auto br = g->opt("brackets")) {
      br->keys({"_doc", "open", "close", "holding"});
      r.glued_heading.open = br->at("open").text();
      r.glued_heading.close = br->at("close").text();
      if (r.glued_heading.open.size() != r.glued_heading.close.size())
        br->fail("\"open\" and \"close\" pair one closing bracket with each opening one");
      for (const Node& w : br->at("holding").list()) r.glued_heading.holding.push_back(w.text());
    }
    if (auto ab = g->opt("after_brackets")) {
      ab->keys({"_doc", "max_chars", "credit_ends"});
      if (r.glued_heading.open.empty()) ab->fail("\"after_brackets\" reads the brackets of \"brackets\"");
      r.glued_heading.after_brackets_max = size_t(ab->at("max_chars").integer(1, 200));
      for (const Node& w : ab->at("credit_ends").list()) r.glued_heading.credit_ends.push_back(w.text());
    }
    r.glued_heading.name = g->at("name").str();
    r.glued_heading.marks = g->at("marks").text();
    r.glued_heading.after = g->at("after").text();
    r.glued_heading.not_holding = g->at("not_holding").text();
    r.glued_heading.max_chars = size_t(g->at("max_chars").integer(1, 200));
  }
  if (auto html = root.opt("html_page")) load_markup(*html, r.markup);
  if (auto pi = root.opt("paragraph_indent")) {
    pi->keys({"name", "min_columns"});
    r.paragraph_indent_rule = pi->at("name").str();
    r.paragraph_indent_columns = size_t(pi->at("min_columns").integer(1, 100));
  }
  Node md = root.at("markdown_heading");
  md.keys({"name", "char", "max_level"});
  r.markdown_rule = md.at("name").str();
  std::u32string c = md.at("char").text();
  if (c.size() != 1) md.at("char").fail("expected one character");
  r.markdown_char = c[0];
  r.markdown_max_level = int(md.at("max_level").integer(1, 12));
  for (const Node& b : root.at("bullets").list()) {
    b.keys({"name", "chars", "needs_space"});
    LayoutRules::Bullet bullet{b.at("name").str(), CharSet(b.at("chars").text()), false};
    if (auto ns = b.opt("needs_space")) bullet.needs_space = ns->boolean();
    r.bullets.push_back(std::move(bullet));
  }
  for (const Node& w : root.at("wrappers").list()) {
    w.keys({"name", "_doc", "open", "close", "_nested_min_chars", "nested_min_chars"});
    r.wrappers.push_back({w.at("name").str(), w.at("open").text(), w.at("close").text()});
    if (auto n = w.opt("nested_min_chars")) r.wrappers.back().nested_min_chars = size_t(n->integer(1, 100));
  }
  for (const Node& e : root.at("enumerators").list()) {
    e.keys({"name", "open", "numerals", "max_numerals", "close", "after", "not_followed_by"});
    LayoutRules::Enumerator en;
    en.name = e.at("name").str();
    en.numerals = e.at("numerals").text();
    en.max_numerals = int(e.at("max_numerals").integer(1, 9));
    auto strings = [](const Node& n) {
      std::vector<std::u32string> out;
      for (const Node& x : n.list()) out.push_back(x.text(true));
      return out;
    };
    if (auto o = e.opt("open")) en.open = strings(*o);
    if (auto c = e.opt("close")) en.close = strings(*c);
    if (auto a = e.opt("after")) en.after = strings(*a);
    if (auto nf = e.opt("not_followed_by")) en.not_followed_by = nf->text();
    if (en.close.empty() && en.after.empty()) e.fail("an enumerator needs \"close\" or \"after\"");
    r.enumerators.push_back(std::move(en));
  }
}

// The value a word of a rules file names, or a failure at its node saying which words
// are allowed (`what`).
// No string is made: `what` as a std::string and the key as another were two
// allocations for each of the 600 items and names a start reads (84 K instructions).
// `what` is the message, or a function making it when it names the node's own word.
template <class E, class What>
E named(const Node& n, const std::map<std::string, E>& names, const What& what) {
  std::string_view key = n.string_ref();
  for (const auto& [name, value] : names)
    if (name == key) return value;
  if constexpr (std::is_invocable_v<What>)
    n.fail(what());
  else
    n.fail(what);
}

// ------------------------------------------------------------ heading layouts

HeadlinePlacement::Produce parse_placement(const Node& n) {
  static const std::map<std::string, HeadlinePlacement::Produce> names = {
      {"paragraph_above", HeadlinePlacement::Produce::paragraph_above},
      {"wrapped", HeadlinePlacement::Produce::wrapped},
      {"own_line", HeadlinePlacement::Produce::own_line},
      {"line_above", HeadlinePlacement::Produce::line_above}};
  return named(n, names, "a headline placement is one of paragraph_above, wrapped, own_line, line_above");
}

HeadingItem::Type parse_item_type(const Node& n) {
  static const std::map<std::string, HeadingItem::Type> names = {
      {"organization", HeadingItem::Type::organization}, {"role", HeadingItem::Type::role},
      {"name", HeadingItem::Type::name},                 {"space", HeadingItem::Type::space},
      {"separator", HeadingItem::Type::separator},       {"literal", HeadingItem::Type::literal},
      {"bracket", HeadingItem::Type::bracket},           {"headline", HeadingItem::Type::headline},
      {"group", HeadingItem::Type::group},               {"year", HeadingItem::Type::year}};
  return named(n, names,
               "an item is one of organization, role, name, space, separator, literal, bracket, headline, group, year");
}

std::vector<HeadingItem> load_pattern(const Node& list, const Node* word_lists);

// The list of structure.json word_lists that `name` names.
Node named_word_list(const Node& name, const Node* word_lists) {
  if (!word_lists || !word_lists->has(name.string_ref())) name.fail("no list of that name in \"word_lists\"");
  return word_lists->at(name.string_ref());
}

// Words given in place, as the name of one of `word_lists` ("words": "speaker_labels"),
// or as several names ({"lists": ["post_notes", "continued_notes"]}): one list of
// speaker labels (述职人, 汇报人…) serves every layout that reads one.
void add_listed_words(Lexicon& words, const Node& v, const Node* word_lists) {
  if (v.is_string()) {
    add_words(words, named_word_list(v, word_lists), 0);
  } else if (v.has("lists")) {
    v.keys({"lists"});
    for (const Node& name : v.at("lists").list()) add_words(words, named_word_list(name, word_lists), 0);
  } else {
    add_words(words, v, 0);
  }
}

// The options of one item; each is allowed on the items it means something to.
// `word_lists`: structure.json word_lists, which a "words" option may name instead of
// listing them (one list of post notes for two places of a layout).
void load_item_options(const Node& n, HeadingItem& item, const Node* word_lists) {
  using T = HeadingItem::Type;
  const T t = item.type;
  n.each_member([&](std::string_view key, const Node& v) {
    auto only = [&](bool allowed) {
      if (!allowed) v.fail("\"" + std::string(key) + "\" does not apply to this item");
    };
    if (key == "optional") {
      item.optional = v.boolean();
    } else if (key == "max") {
      only(t == T::space || t == T::name);
      item.max = size_t(v.integer(1, 100));
    } else if (key == "marks") {
      only(t == T::space);
      item.marks = v.text();
    } else if (key == "markup_break") {
      only(t == T::space);
      item.markup_break = v.boolean();
    } else if (key == "after_posts") {
      only(t == T::organization);
      item.after_posts = v.boolean();
    } else if (key == "spaced") {
      only(t == T::name);
      item.spaced = v.boolean();
    } else if (key == "surnamed") {
      only(t == T::name);
      item.surnamed = v.boolean();
    } else if (key == "co_official") {
      only(t == T::group);
      item.co_official = v.boolean();
    } else if (key == "bodies") {
      only(t == T::role);
      add_listed_words(item.bodies, v, word_lists);
    } else if (key == "drop_body") {
      only(t == T::role);
      item.drop_body = v.boolean();
    } else if (key == "text") {
      only(t == T::literal);
      item.text = v.text();
    } else if (key == "words") {
      only(t == T::literal || t == T::year);
      add_listed_words(item.words, v, word_lists);
    } else if (key == "ending") {
      only(t == T::literal);
      item.ending = v.boolean();
    } else if (key == "not_holding") {
      only(t == T::literal);
      item.not_holding = v.text();
    } else if (key == "open" || key == "close") {
      only(t == T::bracket);
      (key == "open" ? item.open : item.close) = v.text();
    } else if (key == "max_chars") {
      only(t == T::bracket);
      item.max_chars = size_t(v.integer(1, 1000));
    } else if (key == "sentence") {
      only(t == T::headline);
      std::string_view s = v.string_ref();
      if (s != "first_paragraph" && s != "no_heading") v.fail("\"sentence\" is \"first_paragraph\" or \"no_heading\"");
      item.sentence_is_paragraph = s == "first_paragraph";
    } else if (key == "pattern") {
      only(t == T::bracket || t == T::group);
      item.items = load_pattern(v, word_lists);
    }
  });
}

// An item: its type alone ("role"), or an object {"item": TYPE, options...}.
HeadingItem load_item(const Node& n, const Node* word_lists) {
  HeadingItem item;
  if (!n.has("item")) {
    item.type = parse_item_type(n);
    if (item.type == HeadingItem::Type::literal || item.type == HeadingItem::Type::year || item.type == HeadingItem::Type::bracket ||
        item.type == HeadingItem::Type::group)
      n.fail("this item needs its options: write it as an object");
    return item;
  }
  n.keys({"item", "optional", "max", "marks", "markup_break", "after_posts", "spaced", "surnamed", "co_official", "bodies", "drop_body", "text", "words", "ending", "not_holding", "open", "close", "max_chars", "sentence",
          "pattern"});
  item.type = parse_item_type(n.at("item"));
  load_item_options(n, item, word_lists);
  if (item.ending && item.words.empty() && item.words.wants_words()) n.fail("\"ending\" needs \"words\"");
  if (!item.not_holding.empty() && !item.ending) n.fail("\"not_holding\" applies to an \"ending\" literal");
  if (item.type == HeadingItem::Type::literal && item.text.empty() == item.words.empty())
    n.fail("a literal needs \"text\" or \"words\" (one of them)");
  if (item.type == HeadingItem::Type::year && item.words.empty())
    n.fail("a year needs \"words\", what follows its digits (年度, 年)");
  if (item.type == HeadingItem::Type::bracket && (item.open.empty() || item.open.size() != item.close.size()))
    n.fail("a bracket needs \"open\" and \"close\", one closing bracket for each opening one");
  if ((item.type == HeadingItem::Type::bracket || item.type == HeadingItem::Type::group) && item.items.empty())
    n.fail("a bracket or a group needs a \"pattern\"");
  return item;
}

std::vector<HeadingItem> load_pattern(const Node& list, const Node* word_lists) {
  std::vector<HeadingItem> out;
  auto items = list.list();
  out.reserve(items.size());  // an item is large (two lexicons): moving them was 0.1 M
  for (const Node& n : items) out.push_back(load_item(n, word_lists));
  return out;
}

// The organisation ends where the role begins: a unit's pattern holds each of
// organisation, role and name once, the role right after the organisation, or after
// white space when the role may open with its body (城关镇　党委书记).
void check_unit_pattern(const Node& n, const std::vector<HeadingItem>& pattern) {
  using T = HeadingItem::Type;
  std::map<T, int> count;
  std::function<void(const std::vector<HeadingItem>&)> walk = [&](const std::vector<HeadingItem>& items) {
    for (size_t i = 0; i < items.size(); ++i) {
      // A second official's post and name (co_official) are none of the unit's fields.
      if (items[i].co_official) continue;
      ++count[items[i].type];
      bool role_next = i + 1 < items.size() && items[i + 1].type == T::role;
      bool spaced_role = i + 2 < items.size() && items[i + 1].type == T::space && !items[i + 1].optional &&
                         items[i + 2].type == T::role && !items[i + 2].bodies.empty();
      // Or a field label between them, the role naming its bodies (石门镇 over 述职人：党委书记　周丽),
      // or the label and the name, the role in brackets after it (a form's fields: 述职单位：
      // 石桥镇党委 over 述职人：王建国（镇党委书记）).
      size_t j = i + 1;
      while (j < items.size() && (items[j].type == T::space || items[j].type == T::literal || items[j].type == T::name))
        ++j;
      auto role_with_bodies = [](const HeadingItem& it) { return it.type == T::role && !it.bodies.empty(); };
      bool labelled_role = j > i + 1 && j < items.size() &&
                           (role_with_bodies(items[j]) || (items[j].type == T::bracket && !items[j].items.empty() &&
                                                           role_with_bodies(items[j].items.front())));
      if (items[i].type == T::organization && !role_next && !spaced_role && !labelled_role)
        n.fail("the role must follow the organization (or white space, when the role names its bodies)");
      walk(items[i].items);
    }
  };
  walk(pattern);
  // A heading may give the post without a name (城关镇　党委书记 over its headline): the
  // unit's name is then null.
  if (count[T::organization] != 1 || count[T::role] != 1 || count[T::name] > 1)
    n.fail("a unit's pattern holds one organization, one role and at most one name");
}

// Whether every match of `items` holds an item of type t: one not optional, at the top
// or in a bracket or group that is not optional.
bool requires_item(const std::vector<HeadingItem>& items, HeadingItem::Type t) {
  for (const HeadingItem& it : items) {
    if (it.optional) continue;
    if (it.type == t) return true;
    if ((it.type == HeadingItem::Type::bracket || it.type == HeadingItem::Type::group) && requires_item(it.items, t))
      return true;
  }
  return false;
}

// How many role items every match of `items` holds (as requires_item reads them).
size_t required_count(const std::vector<HeadingItem>& items, HeadingItem::Type t) {
  size_t n = 0;
  for (const HeadingItem& it : items) {
    if (it.optional) continue;
    if (it.type == t) ++n;
    if (it.type == HeadingItem::Type::bracket || it.type == HeadingItem::Type::group) n += required_count(it.items, t);
  }
  return n;
}

// One list of HeadingLayout::words_needed appended to `out`: of `count` words, word(k)
// the k-th, the distinct pairs of their first two characters (of a word of one, twice).
template <class Word>
void add_word_list(size_t count, const Word& word, std::u32string& out) {
  size_t at = out.size();
  if (out.capacity() < 32) out.reserve(32);  // a layout's lists at once (most hold fewer than 32 characters)
  out += char32_t(0);
  for (size_t k = 0; k < count; ++k) {
    std::u32string_view w = word(k);
    if (w.empty()) continue;
    char32_t pair[2] = {w[0], w.size() > 1 ? w[1] : w[0]};
    bool known = false;
    for (size_t p = at + 1; p < out.size() && !known; p += 2) known = out[p] == pair[0] && out[p + 1] == pair[1];
    if (known) continue;
    out.push_back(pair[0]);
    out.push_back(pair[1]);
    ++out[at];
  }
  if (out[at] == 0) out.resize(at);  // no word to hold (the item never matches): nothing asked
}

// The words of which every match of `items` holds one, for each literal item (its text
// or its words) and bracket (its opening marks, its closing marks) that is required (as
// requires_item reads it), appended to `out` as HeadingLayout::words_needed lays them out.
void add_required_words(const std::vector<HeadingItem>& items, std::u32string& out) {
  for (const HeadingItem& it : items) {
    if (it.optional) continue;
    if (it.type == HeadingItem::Type::literal && !it.words.empty()) {
      add_word_list(it.words.word_count(), [&](size_t k) { return it.words.word(k); }, out);
    } else if (it.type == HeadingItem::Type::literal) {
      add_word_list(1, [&](size_t) { return std::u32string_view(it.text); }, out);
    } else if (it.type == HeadingItem::Type::bracket) {
      add_word_list(it.open.size(), [&](size_t k) { return std::u32string_view(it.open).substr(k, 1); }, out);
      add_word_list(it.close.size(), [&](size_t k) { return std::u32string_view(it.close).substr(k, 1); }, out);
    }
    if (it.type == HeadingItem::Type::bracket || it.type == HeadingItem::Type::group) add_required_words(it.items, out);
  }
}

void load_layouts(const Node& list, StructureRules& r, const Node* word_lists) {
  for (const Node& n : list.list()) {
    n.keys({"name", "pattern", "produce", "headline", "table_row", "unit_above", "signature_only", "over_heading"});
    HeadingLayout layout;
    if (auto so = n.opt("signature_only")) layout.signature_only = so->boolean();
    if (auto oh = n.opt("over_heading")) layout.over_heading = oh->boolean();
    layout.name = n.at("name").str();
    if (auto u = n.opt("unit_above")) {
      u->keys({"name", "_doc", "sub_places", "sub_place_bodies", "other_place"});
      layout.unit_above.name = u->at("name").str();
      if (auto o = u->opt("other_place")) {
        if (o->str() != "warn") o->fail("\"other_place\" is \"warn\" (the line is warned of, never a heading)");
        layout.unit_above.warn_other_place = true;
      }
      add_words(layout.unit_above.sub_places, u->at("sub_places"), 0);
      add_words(layout.unit_above.sub_place_bodies, u->at("sub_place_bodies"), 0);
    }
    if (auto t = n.opt("table_row")) {
      if (t->str() != "lone") t->fail("\"table_row\" is \"lone\" (a table of one row)");
      layout.lone_table_row = true;
    }
    if (n.at("produce").str() != "unit") n.at("produce").fail("a heading layout produces \"unit\"");
    layout.pattern = load_pattern(n.at("pattern"), word_lists);
    check_unit_pattern(n.at("pattern"), layout.pattern);
    layout.needs_role_word = requires_item(layout.pattern, HeadingItem::Type::role);
    layout.role_words_needed = required_count(layout.pattern, HeadingItem::Type::role);
    add_required_words(layout.pattern, layout.words_needed);
    r.layout_role_words_most = std::max(r.layout_role_words_most, layout.role_words_needed);
    for (const HeadingItem& it : layout.pattern)
      if (!it.optional && it.type == HeadingItem::Type::space && it.markup_break) layout.needs_markup_break = true;
    for (const Node& h : n.at("headline").list(true)) layout.headline.push_back(parse_placement(h));
    r.layouts.push_back(std::move(layout));
  }
}

StructureRules::Title::Produce parse_title(const Node& n) {
  using P = StructureRules::Title::Produce;
  static const std::map<std::string, P> names = {{"markdown_h1", P::markdown_h1},
                                                 {"above_subtitle", P::above_subtitle},
                                                 {"first_line", P::first_line},
                                                 {"genre_line", P::genre_line},
                                                 {"report_heading", P::report_heading}};
  return named(n, names, "a title rule produces markdown_h1, above_subtitle, first_line, genre_line or report_heading");
}

// Headline placements, leads and titles of structure.json: named rules, each producing
// one of the registered placements or title strategies.
void load_heading_places(const Node& root, StructureRules& r) {
  for (const Node& n : root.at("headline_placements").list()) {
    n.keys({"name", "produce"});
    r.placements.push_back({n.at("name").str(), parse_placement(n.at("produce"))});
  }
  for (const Node& n : root.at("heading_leads").list(true)) {
    n.keys({"name", "chars", "headline", "words"});
    r.leads.push_back({n.at("name").str(), CharSet(n.at("chars").text()), parse_placement(n.at("headline")), {}});
    if (auto words = n.opt("words")) add_words(r.leads.back().words, *words, 0);
  }
  for (const Node& n : root.at("titles").list(true)) {
    n.keys({"name", "produce"});
    r.titles.push_back({n.at("name").str(), parse_title(n.at("produce"))});
  }
}

// A report-year rule of structure.json: its regex captures the year, offset is added.
StructureRules::YearRule load_year_rule(const Node& n) {
  n.keys({"name", "regex", "offset", "first_paragraphs", "periods"});
  StructureRules::YearRule y;
  y.name = n.at("name").str();
  y.pattern = compile_pattern(n.at("regex"));
  if (auto o = n.opt("offset")) y.offset = int(o->integer(-5, 5));
  if (auto f = n.opt("first_paragraphs")) y.first_places = size_t(f->integer(1, 1000));
  if (auto p = n.opt("periods")) {
    y.periods = p->str();
    if (y.periods != "half_year") p->fail("periods must be \"half_year\"");
  }
  return y;
}

// structure.json year_not_over: its year rules must be report_year rules (a misspelt name
// would turn the check off without a word).
void load_year_not_over(const Node& n, StructureRules& r) {
  n.keys({"name", "year_rules", "furniture", "date_regex", "last_month", "review_months", "offset"});
  auto& y = r.year_not_over;
  y.name = n.at("name").str();
  for (const Node& rule : n.at("year_rules").list()) {
    y.year_rules.push_back(rule.str());
    auto same = [&](const StructureRules::YearRule& yr) { return yr.name == y.year_rules.back(); };
    if (std::none_of(r.report_year.begin(), r.report_year.end(), same)) rule.fail("no report_year rule of this name");
  }
  for (const Node& f : n.at("furniture").list()) y.furniture.push_back(f.str());
  y.date = compile_pattern(n.at("date_regex"));
  y.last_month = int(n.at("last_month").integer(1, 12));
  y.review_months = int(n.at("review_months").integer(0, 12));
  y.offset = int(n.at("offset").integer(-5, 5));
}

// The unknown-heading warning and the genres of structure.json.
void load_heading_extras(const Node& root, StructureRules& r) {
  if (auto l = root.opt("headline_labels")) {
    l->keys({"name", "words", "lead_marks"});
    r.headline_label_rule = l->at("name").str();
    add_words(r.headline_labels, l->at("words"), 0);
    if (auto m = l->opt("lead_marks")) r.headline_lead_marks = m->text();
  }
  if (auto u = root.opt("unknown_heading")) {
    u->keys({"name", "max_chars", "plain_line", "marked_line"});
    r.unknown_heading_rule = u->at("name").str();
    r.unknown_heading_max_chars = size_t(u->at("max_chars").integer(1, 1000));
    if (auto p = u->opt("plain_line")) {
      p->keys({"name", "post_endings", "min_name_chars", "max_name_chars", "gap_marks"});
      r.plain_heading.rule = p->at("name").str();
      r.plain_heading.post_endings = p->at("post_endings").text();
      r.plain_heading.min_name_chars = size_t(p->at("min_name_chars").integer(1, 10));
      r.plain_heading.max_name_chars = size_t(p->at("max_name_chars").integer(1, 10));
      if (auto g = p->opt("gap_marks")) r.plain_heading.gap_marks = g->text();
    }
    if (auto m = u->opt("marked_line")) {
      m->keys({"name", "_doc", "place_endings", "_not_place_endings", "not_place_endings"});
      r.marked_line_rule = m->at("name").str();
      if (auto e = m->opt("place_endings")) add_words(r.marked_line_place_endings, *e, 0);
      if (auto e = m->opt("not_place_endings")) add_words(r.marked_line_not_place_endings, *e, 0);
    }
  }
  if (auto s = root.opt("signature")) r.signature = compile_regex(*s);
  if (auto t = root.opt("title_column_tag")) {
    t->keys({"name", "_doc", "max_chars", "wrappers", "not_holding"});
    if (auto nh = t->opt("not_holding")) r.title_column_tag.not_holding = nh->text();
    r.title_column_tag.name = t->at("name").str();
    r.title_column_tag.max_chars = size_t(t->at("max_chars").integer(1, 40));
    for (const Node& w : t->at("wrappers").list()) r.title_column_tag.wrappers.push_back(w.str());
  }
  if (auto c = root.opt("contents")) {
    c->keys({"name", "labels", "min_entries"});
    r.contents_rule = c->at("name").str();
    add_words(r.contents_labels, c->at("labels"), 0);
    r.contents_min_entries = size_t(c->at("min_entries").integer(2, 100));
  }
  if (auto o = root.opt("outline_resumes")) {
    o->keys({"name", "numerals", "marks_after", "marks_around"});
    r.outline_resumes_rule = o->at("name").str();
    r.outline_numerals = o->at("numerals").text();
    r.outline_marks_after = o->at("marks_after").text();
    r.outline_marks_around = o->at("marks_around").text();
  }
  if (auto s = root.opt("signed_sections")) {
    s->keys({"name", "lookahead_lines", "furniture_between_lines"});
    r.signed_sections_rule = s->at("name").str();
    r.signed_sections_lookahead = size_t(s->at("lookahead_lines").integer(2, 100000));
    if (auto between = s->opt("furniture_between_lines")) r.signed_sections_furniture_between = size_t(between->integer(0, 16));
  }
  if (auto c = root.opt("continued_heading")) {
    c->keys({"name", "notes", "open", "close"});
    r.continued_heading_rule = c->at("name").str();
    auto word_lists = root.opt("word_lists");
    std::u32string open = c->at("open").text(), close = c->at("close").text();
    for (const Node& m : named_word_list(c->at("notes"), word_lists ? &*word_lists : nullptr).list())
      r.continued_marks.push_back(open + m.text() + close);
  }
  if (auto so = root.opt("same_official")) {
    so->keys({"name", "_doc", "labels"});
    r.same_official_rule = so->at("name").str();
    auto word_lists = root.opt("word_lists");  // "labels": "speaker_labels", the layouts' list
    const Node& labels = so->at("labels");
    for (const Node& l : (labels.is_string() ? named_word_list(labels, word_lists ? &*word_lists : nullptr) : labels).list())
      r.same_official_labels.push_back(l.text());
  }
  if (auto t = root.opt("two_line_heading")) {
    t->keys({"name", "max_chars", "name_line"});
    r.two_line_heading_rule = t->at("name").str();
    r.two_line_heading_max_chars = size_t(t->at("max_chars").integer(1, 1000));
    if (auto n = t->opt("name_line")) {
      n->keys({"name", "surnames"});
      r.name_line_rule = n->at("name").str();
      add_words(r.name_line_surnames, n->at("surnames"), 0);
    }
  }
  if (auto g = root.opt("genres")) {
    for (const Node& n : g->list()) {
      n.keys({"name", "genre", "title_regex", "max_units", "no_subtitle", "body_year"});
      StructureRules::Genre genre;
      genre.name = n.at("name").str();
      genre.genre = n.at("genre").str();
      if (genre.genre != "full_report") n.at("genre").fail("the only genre besides digest is \"full_report\"");
      genre.title = compile_pattern(n.at("title_regex"));
      genre.max_units = size_t(n.at("max_units").integer(0, 1000));
      if (auto ns = n.opt("no_subtitle")) genre.no_subtitle = ns->boolean();
      if (auto by = n.opt("body_year"))
        for (const Node& y : by->list()) genre.body_year.push_back(load_year_rule(y));
      r.genres.push_back(std::move(genre));
    }
  }
}

void load_organization(const Node& org, StructureRules& r) {
  org.keys({"name", "suffixes", "max_chars", "forbidden_chars", "title_separators", "start_chars", "held_post_body_chars",
             "digits_not_before", "not_whole", "not_starting", "held_posts"});
  r.organization_rule = org.at("name").str();
  add_words(r.organization_suffixes, org.at("suffixes"), 0);
  r.organization_max_chars = size_t(org.at("max_chars").integer(1, 200));
  r.organization_forbidden = org.at("forbidden_chars").text();
  if (auto sep = org.opt("title_separators")) r.organization_title_separators = sep->text();
  if (auto st = org.opt("start_chars")) r.organization_start_chars = st->text();
  if (auto d = org.opt("digits_not_before")) r.organization_digits_not_before = d->text();
  if (auto w = org.opt("not_whole")) add_words(r.organization_not_whole, *w, 0);
  if (auto w = org.opt("not_starting")) add_words(r.organization_not_starting, *w, 0);
  if (auto w = org.opt("held_posts")) add_words(r.organization_held_posts, *w, 0);
  if (auto body = org.opt("held_post_body_chars")) r.organization_held_post_body_chars = size_t(body->integer(0, 12));
}

// What a headline may be (structure.json "headline").
void load_headline(const Node& h, StructureRules& r) {
  h.keys({"max_chars", "max_lines", "sentence_end", "dateline_chars", "address_end", "enclosing_quotes", "clause_commas",
          "sentence_opening", "title_inner_marks", "final_marks"});
  if (auto m = h.opt("title_inner_marks")) r.title_inner_marks = m->text();
  if (auto m = h.opt("final_marks")) r.headline_final_marks = m->text();
  if (auto c = h.opt("clause_commas")) {
    c->keys({"name", "max"});
    r.headline_commas_rule = c->at("name").str();
    r.headline_max_commas = size_t(c->at("max").integer(0, 100));
  }
  if (auto o = h.opt("sentence_opening")) r.headline_sentence_opening = compile_regex(*o);
  if (auto q = h.opt("enclosing_quotes")) {
    q->keys({"name"});
    r.headline_quotes_rule = q->at("name").str();
  }
  if (auto d = h.opt("dateline_chars")) r.dateline_chars = d->text();
  if (auto a = h.opt("address_end")) r.address_end = a->text();
  r.headline_max_chars = size_t(h.at("max_chars").integer(1, 1000));
  r.headline_max_lines = size_t(h.at("max_lines").integer(1, 20));
  r.sentence_end = h.at("sentence_end").text();
}

void load_structure(const Node& root, StructureRules& r) {
  root.keys({"sidebar_labels", "front_matter", "subtitle", "report_year", "year_not_over", "region_clauses", "region", "roles", "acting_roles", "organization", "person_name", "separators",
             "headline", "headline_labels", "heading_layouts", "headline_placements", "heading_leads", "titles",
             "unknown_heading", "two_line_heading", "signature", "genres", "given", "word_lists", "continued_heading", "same_official", "outline_resumes", "signed_sections",
             "contents", "title_column_tag"});
  load_heading_extras(root, r);
  for (const Node& n : root.at("sidebar_labels").list()) {
    n.keys({"name", "label", "in_unit", "box_line_max_chars", "box_notes"});
    bool in_unit = n.opt("in_unit") && n.at("in_unit").boolean();
    size_t box = n.opt("box_line_max_chars") ? size_t(n.at("box_line_max_chars").integer(1, 200)) : 0;
    r.sidebar_labels.push_back({n.at("name").str(), n.at("label").text(), in_unit, box, {}});
    if (auto notes = n.opt("box_notes"))
      for (const Node& w : notes->list()) r.sidebar_labels.back().box_notes.push_back(w.text());
  }
  if (auto fm = root.opt("front_matter")) {
    fm->keys({"name"});
    r.front_matter_rule = fm->at("name").str();
  }
  for (const Node& n : root.at("subtitle").list()) {
    n.keys({"name", "prefix", "keywords"});
    StructureRules::Subtitle s;
    s.name = n.at("name").str();
    if (auto p = n.opt("prefix")) s.prefix = p->text();
    if (auto k = n.opt("keywords")) s.keywords = k->words();
    if (s.prefix.empty() && s.keywords.empty()) n.fail("a subtitle rule needs \"prefix\" or \"keywords\"");
    r.subtitles.push_back(std::move(s));
  }
  for (const Node& n : root.at("report_year").list()) r.report_year.push_back(load_year_rule(n));
  if (auto y = root.opt("year_not_over")) load_year_not_over(*y, r);
  for (const Node& n : root.at("region").list()) r.region.push_back(compile_regex(n));
  if (auto rc = root.opt("region_clauses")) {
    rc->keys({"marks"});
    r.region_clause_marks = rc->at("marks").text();
  }
  if (auto g = root.opt("given")) {
    g->keys({"year_option", "region_option", "region_path"});
    r.year_option_rule = g->at("year_option").str();
    r.region_option_rule = g->at("region_option").str();
    r.region_path_rule = g->at("region_path").str();
  }
  for (const Node& n : root.at("roles").list()) {
    n.keys({"name", "word", "held_only"});
    // A rank (一级调研员) is read only as a post held with another after 、, never alone:
    // 县委组织部副调研员 赵刚： before a sentence about him is no unit of his.
    bool held_only = n.opt("held_only") && n.at("held_only").boolean();
    (held_only ? r.held_only_role_words : r.role_words).add(n.at("word").text(), int(r.roles.size()));
    r.roles.push_back({n.at("name").str(), n.at("word").text()});
  }
  r.role_word_starts = WordStarts(r.role_words);
  if (auto a = root.opt("acting_roles")) {
    a->keys({"name", "prefixes"});
    r.acting_role_rule = a->at("name").str();
    add_words(r.acting_role_prefixes, a->at("prefixes"), 0);
  }
  load_organization(root.at("organization"), r);
  Node pn = root.at("person_name");
  pn.keys({"name", "min_chars", "max_chars", "max_chars_dotted", "extra_chars", "max_spaces", "not_words", "not_endings"});
  r.person_name_rule = pn.at("name").str();
  r.name_min = size_t(pn.at("min_chars").integer(1, 20));
  r.name_max = size_t(pn.at("max_chars").integer(int64_t(r.name_min), 20));
  r.name_max_dotted = r.name_max;
  if (auto d = pn.opt("max_chars_dotted")) r.name_max_dotted = size_t(d->integer(int64_t(r.name_max), 20));
  r.name_extra_chars = pn.at("extra_chars").text(true);
  r.name_max_spaces = size_t(pn.at("max_spaces").integer(0, 10));
  add_words(r.name_not_words, pn.at("not_words"), 0);
  if (auto e = pn.opt("not_endings")) add_words(r.name_not_endings, *e, 0);
  for (const Node& n : root.at("separators").list()) {
    n.keys({"name", "text"});
    r.separator_words.add(n.at("text").text(), int(r.separators.size()));
    r.separators.push_back({n.at("name").str(), n.at("text").text()});
  }
  load_headline(root.at("headline"), r);
  load_heading_places(root, r);
  auto word_lists = root.opt("word_lists");
  load_layouts(root.at("heading_layouts"), r, word_lists ? &*word_lists : nullptr);
}

void load_sentences(const Node& root, SentenceRules& r) {
  root.keys({"name", "terminators", "ellipsis", "closers", "ellipsis_continues", "soft_stops", "soft_stop_not_after", "soft_stops_unless", "soft_stop_openers", "decimal_after_words"});
  r.rule = root.at("name").str();
  r.terminators = root.at("terminators").text();
  r.ellipsis = root.at("ellipsis").text(true);
  r.closers = root.at("closers").text(true);
  r.ellipsis_continues = root.at("ellipsis_continues").text(true);
  if (auto soft = root.opt("soft_stops")) r.soft_stops = soft->text(true);
  if (auto no = root.opt("soft_stop_not_after")) r.soft_stop_not_after = no->text(true);
  if (auto un = root.opt("soft_stops_unless")) r.soft_stops_unless = un->text(true);
  if (auto op = root.opt("soft_stop_openers")) add_words(r.soft_stop_openers, *op, 0);
  if (auto dw = root.opt("decimal_after_words")) {
    auto words = std::make_shared<Lexicon>();
    add_words(*words, *dw, 0);
    r.decimal_after_words = std::move(words);
  }
  auto mark = [&r](const std::u32string& chars, uint8_t bit) {
    for (char32_t c : chars)
      if (c < r.classes.kEnd) r.classes.at(c) |= bit;
  };
  mark(r.terminators, SentenceRules::kTerminator);
  mark(r.ellipsis, SentenceRules::kEllipsis);
  mark(r.closers, SentenceRules::kCloser);
  mark(r.ellipsis_continues, SentenceRules::kContinues);
  mark(r.soft_stops, SentenceRules::kSoftStop);
}

// A marker of periods.json with its readings: in a digest (period), a full report
// (in_full_report) and a half-year digest (in_half_year, else the full report's).
PeriodRules::Marker load_marker(const Node& n) {
  n.keys({"name", "text", "year_offset", "period", "in_full_report", "in_half_year", "half_year_only", "sentence_only",
          "not_after_chars", "plan_period"});
  PeriodRules::Marker m;
  m.name = n.at("name").str();
  m.period = n.at("period").str() == "none" ? Period::none : parse_period(n.at("period"));
  m.full_report_period = m.period;
  if (auto plan = n.opt("plan_period")) m.plan_period = parse_period(*plan);
  if (auto so = n.opt("sentence_only")) m.sentence_only = so->boolean();
  if (auto na = n.opt("not_after_chars")) m.not_after_chars = na->text();
  if (auto f = n.opt("in_full_report")) {
    m.full_report_given = true;
    m.full_report_sentence_only = f->str() == "sentence_only";
    m.full_report_period = m.full_report_sentence_only ? Period::none : parse_period(*f);
  }
  if (auto h = n.opt("in_half_year")) {
    m.half_year_given = true;
    m.half_year_sentence_only = h->str() == "sentence_only";
    m.half_year_period = m.half_year_sentence_only ? Period::none : parse_period(*h);
  }
  if (auto h = n.opt("half_year_only")) m.half_year_only = h->boolean();
  if (auto t = n.opt("text")) m.text = t->text();
  if (auto y = n.opt("year_offset")) m.year_offset = int(y->integer(-50, 50));
  if (m.text.empty() == !m.year_offset) n.fail("a marker needs exactly one of \"text\" and \"year_offset\"");
  return m;
}

void load_periods(const Node& root, PeriodRules& r) {
  root.keys({"markers", "max_offset", "lead_clause", "not_after", "not_before", "year_suffix", "year_not_before",
             "full_report_start", "dated_event", "paragraph_opening", "full_report_given_after", "clause_marker",
             "table_cell", "other_year", "half_year", "introduced_list", "year_degree_opening"});
  for (const Node& n : root.at("markers").list()) {
    PeriodRules::Marker m = load_marker(n);
    if (!m.text.empty()) r.marker_words.add(m.text, int(r.markers.size()));
    r.markers.push_back(std::move(m));
  }
  r.max_offset = size_t(root.at("max_offset").integer(0, 1000));
  if (auto l = root.opt("lead_clause")) {
    l->keys({"name", "_doc", "max_offset", "clause_breaks", "not_in_lead"});
    r.lead_clause_rule = l->at("name").str();
    r.lead_clause_max_offset = size_t(l->at("max_offset").integer(0, 1000));
    r.lead_clause_breaks = l->at("clause_breaks").text();
    r.lead_clause_not_in = l->at("not_in_lead").text();
  }
  add_words(r.not_after, root.at("not_after"), 0);
  add_words(r.not_before, root.at("not_before"), 0);
  r.year_suffix = root.at("year_suffix").text();
  add_words(r.year_not_before, root.at("year_not_before"), 0);
  if (auto d = root.opt("year_degree_opening")) {
    d->keys({"name", "_doc", "suffix", "then"});
    r.year_degree_rule = d->at("name").str();
    r.year_degree_suffix = d->at("suffix").text();
    r.year_degree_then = d->at("then").text();
  }
  if (auto f = root.opt("full_report_start")) {
    f->keys({"name", "_doc", "period"});
    r.full_report_start_rule = f->at("name").str();
    r.full_report_start = parse_period(f->at("period"));
  }
  if (auto d = root.opt("dated_event")) {
    d->keys({"name", "_doc", "month_chars", "month_chars_max", "month", "digest_plan_words"});
    r.dated_event_rule = d->at("name").str();
    r.dated_event_month_chars = d->at("month_chars").text();
    // Optional, so that a periods.json of --rules written before it still loads.
    if (auto m = d->opt("month_chars_max")) r.dated_event_month_chars_max = size_t(m->integer(1, 32));
    r.dated_event_month = d->at("month").text();
    if (r.dated_event_month.empty()) d->at("month").fail("month must not be empty");
    if (auto w = d->opt("digest_plan_words")) add_words(r.dated_event_plan_words, *w, 0);
  }
  if (auto c = root.opt("clause_marker")) {
    c->keys({"name", "clause_breaks"});
    r.clause_marker_rule = c->at("name").str();
    r.clause_marker_breaks = c->at("clause_breaks").text();
  }
  if (auto o = root.opt("other_year")) {
    o->keys({"name", "openers", "max_years", "not_before"});
    r.other_year_rule = o->at("name").str();
    add_words(r.other_year_openers, o->at("openers"), 0);
    if (auto nb = o->opt("not_before")) add_words(r.other_year_not_before, *nb, 0);
    r.other_year_max_years = int(o->at("max_years").integer(0, 200));
  }
  if (auto l = root.opt("introduced_list")) {
    l->keys({"name", "_doc", "marks", "item_openers"});
    r.introduced_list_rule = l->at("name").str();
    r.introduced_list_marks = l->at("marks").text();
    if (r.introduced_list_marks.empty()) l->at("marks").fail("marks must not be empty");
    add_words(r.introduced_list_openers, l->at("item_openers"), 0);
  }
  if (auto t = root.opt("table_cell")) {
    t->keys({"name", "year_words", "span_marks"});
    r.table_cell_rule = t->at("name").str();
    add_words(r.table_cell_year_words, t->at("year_words"), 0);
    r.table_cell_span_marks = t->at("span_marks").text();
  }
  if (auto h = root.opt("half_year")) {
    h->keys({"name", "plan_year_offset", "report_year_plan_words"});
    r.half_year_rule = h->at("name").str();
    r.half_year_plan_year_offset = int(h->at("plan_year_offset").integer(0, 1));
    add_words(r.half_year_plan_words, h->at("report_year_plan_words"), 0);
  }
  if (auto g = root.opt("full_report_given_after")) {
    g->keys({"name", "lines", "unless_words"});
    r.full_report_given_after_rule = g->at("name").str();
    r.full_report_given_after_lines = size_t(g->at("lines").integer(1, 100));
    for (const Node& w : g->at("unless_words").list()) r.full_report_given_after_unless.push_back(w.text());
  }
  if (auto o = root.opt("paragraph_opening")) {
    o->keys({"name", "then", "not_after", "not_after_words"});
    r.paragraph_opening_rule = o->at("name").str();
    r.paragraph_opening_then = o->at("then").text();
    r.paragraph_opening_not_after = o->at("not_after").text();
    add_words(r.paragraph_opening_not_after_words, o->at("not_after_words"), 0);
    if (r.paragraph_opening_then.empty()) o->at("then").fail("then must not be empty");
  }
}

std::string load_named_words(const Node& n, Lexicon& lex);

// An optional {"name", "chars"} section of numbers.json: a named class of characters.
void load_char_class(const Node& root, const char* key, std::string& rule, CharSet& chars) {
  auto n = root.opt(key);
  if (!n) return;
  n->keys({"name", "chars"});
  rule = n->at("name").str();
  chars = n->at("chars").text();
}

// The numeral alphabet of numbers.json: digits, small and big units, tens, decimal points.
// Whether a character is new is asked of the alphabet, not of the table: reading an
// untouched page of the table maps it, and writing it then copies it, two page faults
// where the write alone takes one (19 of a one-line run's 480).
void load_numeral_chars(const Node& root, NumberRules& r) {
  auto add_to_alphabet = [&](char32_t c) {
    if (r.alphabet.find(c) == std::u32string::npos) r.alphabet += c;
  };
  auto char_table = [&](const char* key, NumberRules::CharType type, long long lo, long long hi) {
    for (const Node& n : root.at(key).list()) {
      n.keys({"name", "chars"});
      int rule = int(r.rule_names.size());
      r.rule_names.push_back(n.at("name").str());
      for (auto& [ch, val] : n.at("chars").items()) {
        std::u32string c = fold(from_utf8(ch));
        if (c.size() != 1 || c[0] >= r.chars.kEnd) val.fail("expected a single character of the BMP as key");
        add_to_alphabet(c[0]);
        r.chars.at(c[0]) = {type, int(val.integer(lo, hi)), rule};
      }
    }
  };
  char_table("digits", NumberRules::CharType::digit, 0, 9);
  char_table("small_units", NumberRules::CharType::small_unit, 1, 3);
  char_table("big_units", NumberRules::CharType::big_unit, 4, 16);
  char_table("tens", NumberRules::CharType::tens, 10, 90);
  Node dp = root.at("decimal_point");
  dp.keys({"name", "chars", "digit_chars"});
  int rule = int(r.rule_names.size());
  r.rule_names.push_back(dp.at("name").str());
  for (char32_t c : dp.at("chars").text()) {
    if (c >= r.chars.kEnd) dp.at("chars").fail("expected characters of the BMP");
    add_to_alphabet(c);
    r.chars.at(c) = {NumberRules::CharType::point, 0, rule};
  }
  r.decimal_digit_chars = dp.at("digit_chars").text();
}

// The optional sections of numbers.json that write a figure in other notations:
// 十打, 2e5, 40k, 三分之一.
void load_numeral_notations(const Node& root, NumberRules& r) {
  if (auto n = root.opt("dozen")) {
    n->keys({"name", "words", "unless_word"});
    r.dozen_rule = n->at("name").str();
    for (auto& [word, val] : n->at("words").items()) r.dozen_words.add(fold(from_utf8(word)), int(val.integer(2, 1000)));
    add_words(r.dozen_not, n->at("unless_word"), 0);
  }
  if (auto n = root.opt("exponent")) {
    n->keys({"name", "e_chars", "power_chars", "max_exponent"});
    r.exponent_rule = n->at("name").str();
    r.exponent_chars = n->at("e_chars").text(true);
    r.power_chars = n->at("power_chars").text(true);
    r.max_exponent = int(n->at("max_exponent").integer(0, 30));
  }
  if (auto n = root.opt("latin_multipliers")) {
    n->keys({"name", "chars"});
    r.multiplier_rule = n->at("name").str();
    for (auto& [ch, val] : n->at("chars").items()) {
      std::u32string c = fold(from_utf8(ch));
      if (c.size() != 1 || !is_ascii_alpha(c[0])) val.fail("expected a single Latin letter as key");
      r.latin_multipliers.emplace_back(c[0], int(val.integer(1, 12)));
    }
  }
  if (auto n = root.opt("fraction")) {
    n->keys({"name", "infix", "slash", "mixed_name", "mixed_joiners"});
    r.fraction_rule = n->at("name").str();
    r.fraction_infix = n->at("infix").text();
    r.fraction_slash = n->at("slash").text(true);
    r.mixed_rule = n->at("mixed_name").str();
    add_words(r.mixed_joiners, n->at("mixed_joiners"), 0);
  }
}

// Figures whose sign cannot be told (±5%, 下降-1.2%): optional like the damage rules.
void load_ambiguous_sign(const Node& root, NumberRules& r) {
  auto n = root.opt("ambiguous_sign");
  if (!n) return;
  n->keys({"tolerance", "after_decrease", "from_bottom"});
  auto load = [&](const char* key, NumberRules::DamageRule& d) {
    auto k = n->opt(key);
    if (!k) return;
    k->keys({"name", "warning", "words"});
    d.name = k->at("name").str();
    d.warning = k->at("warning").str();
    d.code = "figure_ambiguous";
    add_words(d.words, k->at("words"), 0);
  };
  load("tolerance", r.tolerance);
  load("after_decrease", r.negative_after_decrease);
  load("from_bottom", r.from_bottom);
}

// A ratio (师生比1:12): left out with a warning, as the contract has no kind for it.
void load_ratio(const Node& root, NumberRules& r) {
  auto n = root.opt("ratio");
  if (!n) return;
  n->keys({"_doc", "name", "warning", "chars", "clause_breaks", "words", "after_words"});
  r.ratio.name = n->at("name").str();
  r.ratio.warning = n->at("warning").str();
  r.ratio.code = "figure_unrepresentable";
  r.ratio.chars = n->at("chars").text();
  r.ratio.not_after = n->at("clause_breaks").text();
  add_words(r.ratio.words, n->at("words"), 0);
  add_words(r.ratio.after_words, n->at("after_words"), 0);
}

// The spaced decimal point (12. 5%) and the kinds of damaged figures (2,3000名, 76 4%,
// 1O0万元, 12。5%): optional, a rules directory without them reads as before.
void load_damage_rules(const Node& root, NumberRules& r) {
  if (auto n = root.opt("spaced_point")) {
    n->keys({"name", "points"});
    r.spaced_point_rule = n->at("name").str();
    r.spaced_points = n->at("points").text();
  }
  auto n = root.opt("damaged");
  if (!n) return;
  n->keys({"grouping", "inner_space", "letters", "stop", "dotted_chain", "list_comma", "respectively"});
  auto load = [&](const char* key, NumberRules::DamageRule& d) {
    auto k = n->opt(key);
    if (!k) return;
    k->keys({"name", "warning", "chars", "chars_before", "not_after", "words", "code"});
    d.name = k->at("name").str();
    d.warning = k->at("warning").str();
    if (auto c = k->opt("chars")) d.chars = c->text(true);
    if (auto c = k->opt("chars_before")) d.chars_before = c->text(true);
    if (auto c = k->opt("not_after")) d.not_after = c->text(true);
    if (auto w = k->opt("words")) add_words(d.words, *w, 0);
    if (auto c = k->opt("code")) {
      d.code = c->str();
      if (d.code != "figure_damaged" && d.code != "figure_ambiguous") c->fail("code must be figure_damaged or figure_ambiguous");
    }
  };
  load("grouping", r.damaged_grouping);
  load("inner_space", r.damaged_inner_space);
  load("letters", r.damaged_letters);
  load("stop", r.damaged_stop);
  load("dotted_chain", r.damaged_dotted_chain);
  load("list_comma", r.damaged_list_comma);
  load("respectively", r.respectively_commas);
  load_ambiguous_sign(root, r);
  load_ratio(root, r);
}

void load_numbers(const Node& root, NumberRules& r) {
  root.keys({"digits", "small_units", "big_units", "tens", "decimal_point", "arabic", "negative", "approximate_inside",
             "approximate_digit", "leading_only", "never_alone", "half", "dozen", "exponent", "latin_multipliers", "fraction",
             "two_digits", "single_character", "not_numerals", "bare_big_unit", "digit_string", "approximate_range",
             "spaced_point", "damaged", "ambiguous_sign", "ratio"});
  load_numeral_chars(root, r);
  Node ar = root.at("arabic");
  ar.keys({"name", "decimal_points", "thousands_separators", "fullwidth_separators", "space_separators", "max_digits"});
  r.arabic_rule = ar.at("name").str();
  r.arabic_points = ar.at("decimal_points").text();
  r.thousands_separators = ar.at("thousands_separators").text();
  if (auto fw = ar.opt("fullwidth_separators")) r.fullwidth_separators = fw->text();
  if (auto sp = ar.opt("space_separators")) r.space_separators = sp->text(true);
  r.arabic_max_digits = size_t(ar.at("max_digits").integer(1, 36));
  Node neg = root.at("negative");
  neg.keys({"name", "words", "not_in_words"});
  r.negative_rule = neg.at("name").str();
  add_words(r.negative_words, neg.at("words"), 0);
  if (auto no = neg.opt("not_in_words")) add_words(r.negative_not, *no, 0);
  for (const Node& n : root.at("approximate_inside").list()) {
    n.keys({"name", "words", "qualifier"});
    add_words(r.approx_inside, n.at("words"), int(r.approx.size()));
    r.approx.push_back({n.at("name").str(), n.at("qualifier").str()});
  }
  // The rest is optional: a rules directory written before these existed still loads.
  std::string never_alone_rule;  // named in the file, reported by no fact
  load_char_class(root, "approximate_digit", r.ji_rule, r.ji_chars);
  load_char_class(root, "leading_only", r.leading_only_rule, r.leading_only);
  load_char_class(root, "never_alone", never_alone_rule, r.never_alone);
  load_char_class(root, "half", r.half_rule, r.half_chars);
  load_numeral_notations(root, r);
  if (auto n = root.opt("two_digits")) {
    n->keys({"name", "before"});
    r.two_digit_rule = n->at("name").str();
    add_words(r.two_digit_before, n->at("before"), 0);
  }
  if (auto n = root.opt("single_character")) {
    n->keys({"name", "followers"});
    r.single_rule = n->at("name").str();
    add_words(r.single_followers, n->at("followers"), 0);
  }
  if (auto n = root.opt("not_numerals")) r.not_numeral_rule = load_named_words(*n, r.not_numerals);
  if (auto n = root.opt("bare_big_unit")) {
    n->keys({"name", "bounds_after_unit", "not_after", "bounds_before", "but_after"});
    if (auto ba = n->opt("but_after")) add_words(r.bare_big_but_after, *ba, 0);
    if (auto bb = n->opt("bounds_before")) add_words(r.bare_big_bounds_before, *bb, 0);
    r.bare_big_rule = n->at("name").str();
    add_words(r.bare_big_bounds, n->at("bounds_after_unit"), 0);
    add_words(r.bare_big_not_after, n->at("not_after"), 0);
  }
  if (auto n = root.opt("digit_string")) r.digit_string_rule = n->keys({"name"}).at("name").str();
  if (auto n = root.opt("approximate_range")) r.approximate_range_rule = n->keys({"name"}).at("name").str();
  load_damage_rules(root, r);
}

// kinds.json: the registry of kinds and aspects, loaded before every other file.
void load_kinds(const Node& root, KindRegistry& r) {
  root.keys({"kinds", "aspects", "statuses"});
  if (auto statuses = root.opt("statuses")) {
    for (const Node& n : statuses->list()) {
      n.keys({"name", "label"});
      StatusInfo s{n.at("name").str(), n.at("label").str()};
      if (r.status_index(s.name) >= 0) n.at("name").fail("status \"" + s.name + "\" declared twice");
      r.statuses.push_back(std::move(s));
    }
  }
  for (const Node& n : root.at("aspects").list()) {
    n.keys({"name", "label", "summable"});
    AspectInfo a{n.at("name").str(), n.at("label").str(), n.at("summable").boolean()};
    if (r.aspect_index(a.name) >= 0) n.at("name").fail("aspect \"" + a.name + "\" declared twice");
    r.aspects.push_back(std::move(a));
  }
  for (const Node& n : root.at("kinds").list()) {
    n.keys({"name", "label", "colour", "background", "quantity", "subject_side", "summable", "default_aspect", "totalled"});
    KindInfo k;
    k.name = n.at("name").str();
    if (r.kind(k.name)) n.at("name").fail("kind \"" + k.name + "\" declared twice");
    k.label = n.at("label").str();
    k.colour = n.at("colour").str();
    k.background = n.at("background").str();
    for (const std::string& c : {k.colour, k.background})
      if (c.find_first_of(";{}<>\"'\\") != std::string::npos) n.fail("a colour holds no ; { } < > quotes or backslashes");
    k.quantity = n.at("quantity").boolean();
    std::string side = n.at("subject_side").str();
    if (side != "after" && side != "before" && side != "none")
      n.at("subject_side").fail("subject_side must be \"after\", \"before\" or \"none\"");
    k.subject_after = side == "after";
    k.summable = n.at("summable").boolean();
    if (auto t = n.opt("totalled")) k.totalled = t->boolean();
    if (auto a = n.opt("default_aspect")) {
      k.default_aspect = r.aspect_index(a->str());
      if (k.default_aspect < 0) a->fail("unknown aspect \"" + a->str() + "\"");
      if (!k.quantity) a->fail("a kind that is no quantity has no aspect");
      k.default_aspect_rule = "kind." + k.name + ".default_aspect";
    }
    r.kinds.push_back(std::move(k));
  }
}

std::string known_kind(const Node& n, const KindRegistry& kinds) {
  std::string kind = n.str();
  if (!kinds.is_quantity(kind)) n.fail("unknown kind \"" + kind + "\" (kinds.json declares the quantity kinds)");
  return kind;
}

const std::set<std::string> kQualifiers = {"more_than", "nearly", "about", "at_least", "at_most", "less_than"};

QuantityRules::Unit load_unit(const Node& n, const KindRegistry& kinds) {
  n.keys({"name", "words", "kind", "unit", "multiply_by", "divide_by", "max_value", "multiply_if_below", "decimal_after",
          "value", "qualifier", "add", "cued"});
  QuantityRules::Unit u;
  // Each empty std::optional<Decimal> all zeros, the padding after its flag too: it was
  // left as the stack had it, pointers among it, and the build's snapshot of the rules
  // (src/rules_snapshot_format.hpp) takes a word pointing at what an earlier compile
  // made for state the compiles share. (Trivially copyable: zeros are an empty one.)
  static_assert(std::is_trivially_copyable_v<std::optional<Decimal>>, "zeros must be an empty optional");
  for (std::optional<Decimal>* empty : {&u.multiply_by, &u.divide_by, &u.max_value, &u.multiply_if_below, &u.value, &u.add})
    std::memset(static_cast<void*>(empty), 0, sizeof *empty);
  u.name = n.at("name").str();
  u.kind = known_kind(n.at("kind"), kinds);
  Node unit = n.at("unit");
  if (!unit.is_null()) {
    u.unit = unit.str();
    u.as_written = u.unit == "as_written";
  }
  if (auto m = n.opt("multiply_by")) u.multiply_by = m->decimal();
  if (auto d = n.opt("divide_by")) u.divide_by = d->decimal();
  if (auto m = n.opt("max_value")) u.max_value = m->decimal();
  if (auto m = n.opt("multiply_if_below")) u.multiply_if_below = m->decimal();
  if (auto m = n.opt("decimal_after")) u.decimal_after = m->boolean();
  u.decimal_after_rule = u.name + ".decimal_after";
  u.max_value_rule = u.name + ".max_value";
  if (auto m = n.opt("value")) u.value = m->decimal();
  if (auto q = n.opt("qualifier")) {
    if (!kQualifiers.count(q->str())) q->fail("unknown qualifier \"" + q->str() + "\"");
    u.qualifier = q->str();
  }
  if (auto a = n.opt("add")) u.add = a->decimal();
  if (auto c = n.opt("cued")) {
    c->keys({"_doc", "arabic_only", "not_after_chars", "not_before_chars", "sentence_breaks", "clause_breaks", "words", "han_after",
             "after_scored_clause", "max_chars"});
    auto cue = std::make_shared<QuantityRules::Unit::Cue>();
    cue->arabic_only = c->at("arabic_only").boolean();
    cue->not_after_chars = c->at("not_after_chars").text();
    cue->not_before_chars = c->at("not_before_chars").text();
    cue->sentence_breaks = c->at("sentence_breaks").text();
    cue->clause_breaks = c->at("clause_breaks").text();
    add_words(cue->han_after, c->at("han_after"), 0);
    cue->after_scored_clause = c->at("after_scored_clause").boolean();
    cue->max_chars = size_t(c->at("max_chars").integer(1, 10000));
    add_words(cue->words, c->at("words"), 0);
    u.cued = std::move(cue);
  }
  return u;
}

std::string load_named_words(const Node& n, Lexicon& lex) {
  n.keys({"name", "words"});
  add_words(lex, n.at("words"), 0);
  return n.at("name").str();
}

void load_quantities(const Node& root, QuantityRules& r, const KindRegistry& kinds) {
  root.keys({"units", "prefixes", "not_units", "ordinal_prefixes", "fraction_infix", "range_connectors", "dates",
             "parts_per", "money_parts", "fixed", "between", "shared_multiplier", "list_unit", "ordinal_list", "per_unit", "not_unit_overlaps",
             "decimal_after_not_before"});
  for (const Node& n : root.at("units").list()) {
    // A unit with a cue (分) stays out of unit_words, which the numbers stage reads too
    // (一分部署, 百分百 are no figures before a unit).
    add_words(n.opt("cued") ? r.cued_unit_words : r.unit_words, n.at("words"), int(r.units.size()));
    r.units.push_back(load_unit(n, kinds));
  }
  for (const Node& n : root.at("prefixes").list()) {
    add_words(r.prefix_words, n.at("words"), int(r.prefixes.size()));
    r.prefixes.push_back(load_unit(n, kinds));
  }
  r.not_unit_rule = load_named_words(root.at("not_units"), r.not_units);
  if (auto o = root.opt("not_unit_overlaps")) r.not_unit_overlap_rule = load_named_words(*o, r.not_unit_overlaps);
  if (auto o = root.opt("decimal_after_not_before")) load_named_words(*o, r.decimal_after_not_before);
  auto ordinals = root.at("ordinal_prefixes").list();
  for (const Node& n : ordinals) r.ordinal_rule = load_named_words(n, r.ordinal_prefixes);
  if (auto ol = root.opt("ordinal_list")) r.ordinal_list_rule = ol->keys({"name"}).at("name").str();
  r.fraction_rule = load_named_words(root.at("fraction_infix"), r.fraction_infix);
  for (const Node& n : root.at("range_connectors").list()) r.range_rule = load_named_words(n, r.range_connectors);
  if (auto sm = root.opt("shared_multiplier")) r.shared_multiplier_rule = sm->keys({"name"}).at("name").str();
  if (auto lu = root.opt("list_unit")) {
    lu->keys({"name", "kinds", "max_figures", "not_units", "thousands_lead_digits", "max_ratio"});
    r.list_unit_rule = lu->at("name").str();
    for (const Node& k : lu->at("kinds").list()) r.list_unit_kinds.push_back(known_kind(k, kinds));
    r.list_unit_max_figures = size_t(lu->at("max_figures").integer(2, 4096));
    add_words(r.list_unit_not_units, lu->at("not_units"), 0);
    r.list_unit_thousands_lead_digits = int(lu->at("thousands_lead_digits").integer(0, 3));
    r.list_unit_max_ratio = int(lu->at("max_ratio").integer(2, 1000000));
  }
  if (auto pu = root.opt("per_unit")) {
    pu->keys({"name", "separators", "denominators"});
    r.per_unit_rule = pu->at("name").str();
    r.per_unit_separators = pu->at("separators").text();
    add_words(r.per_unit_denominators, pu->at("denominators"), 0);
  }
  Node d = root.at("dates");
  d.keys({"name", "year_words", "year_min", "year_max", "month_words", "day_words", "after_month"});
  r.date_rule = d.at("name").str();
  add_words(r.year_words, d.at("year_words"), 0);
  add_words(r.month_words, d.at("month_words"), 0);
  add_words(r.day_words, d.at("day_words"), 0);
  add_words(r.after_month, d.at("after_month"), 0);
  r.year_min = int(d.at("year_min").integer(0, 9999));
  r.year_max = int(d.at("year_max").integer(r.year_min, 9999));
  if (auto pp = root.opt("parts_per")) {
    pp->keys({"name", "kind", "unit", "percent_power"});
    QuantityRules::Unit u;
    u.name = pp->at("name").str();
    u.kind = known_kind(pp->at("kind"), kinds);
    if (!pp->at("unit").is_null()) u.unit = pp->at("unit").str();
    r.parts_per = u;
    r.parts_per_power = int(pp->at("percent_power").integer(0, 16));
  }
  if (auto mp = root.opt("money_parts")) {
    mp->keys({"joiners", "parts"});
    add_words(r.money_part_joiners, mp->at("joiners"), 0);
    for (const Node& n : mp->at("parts").list()) {
      n.keys({"name", "words", "value", "after"});
      add_words(r.money_part_words, n.at("words"), int(r.money_parts.size()));
      r.money_parts.push_back({n.at("name").str(), n.at("value").decimal(), n.at("after").words()});
    }
  }
  if (auto fx = root.opt("fixed")) {
    for (const Node& n : fx->list()) {
      add_words(r.fixed_words, n.at("words"), int(r.fixed.size()));
      QuantityRules::Unit u = load_unit(n, kinds);
      if (!u.value) n.fail("a fixed word needs a \"value\"");
      r.fixed.push_back(u);
    }
  }
  if (auto bw = root.opt("between")) {
    bw->keys({"name", "connectors", "closers"});
    r.between_rule = bw->at("name").str();
    add_words(r.between_connectors, bw->at("connectors"), 0);
    add_words(r.between_closers, bw->at("closers"), 0);
  }
}

void load_qualifiers(const Node& root, QualifierRules& r) {
  root.keys({"before", "after_numeral", "after_unit", "not_before", "not_after_unit", "glue", "around", "reach"});
  auto group = [&](const char* key, Lexicon& lex) {
    for (const Node& n : root.at(key).list()) {
      n.keys({"name", "words", "qualifier", "numeral_starts", "units"});
      std::string q = n.at("qualifier").str();
      if (!kQualifiers.count(q)) n.at("qualifier").fail("unknown qualifier \"" + q + "\"");
      QualifierRules::Entry entry;
      entry.name = n.at("name").str();
      entry.qualifier = q;
      if (auto starts = n.opt("numeral_starts")) entry.numeral_starts = starts->text();
      auto units = n.opt("units");
      if (units && &lex != &r.after_unit) units->fail("units: only after_unit entries take them");
      if (units) add_words(entry.units, *units, 0);
      add_words(units ? r.after_some_units : lex, n.at("words"), int(r.entries.size()));
      r.entries.push_back(std::move(entry));
    }
  };
  group("before", r.before);
  group("after_numeral", r.after_numeral);
  group("after_unit", r.after_unit);
  add_words(r.not_before, root.at("not_before"), 0);
  if (auto w = root.opt("not_after_unit")) add_words(r.not_after_unit, *w, 0);
  if (auto g = root.opt("glue")) add_words(r.glue, *g, 0);
  if (auto a = root.opt("around")) {
    for (const Node& n : a->list()) {
      n.keys({"name", "before", "after", "qualifier"});
      QualifierRules::Around around;
      around.name = n.at("name").str();
      around.qualifier = n.at("qualifier").str();
      if (!kQualifiers.count(around.qualifier)) n.at("qualifier").fail("unknown qualifier \"" + around.qualifier + "\"");
      add_words(around.before, n.at("before"), 0);
      add_words(around.after, n.at("after"), 0);
      r.around.push_back(std::move(around));
    }
  }
  if (auto a = root.opt("reach")) {
    for (const Node& n : a->list()) {
      n.keys({"name", "words", "through", "max_chars", "breaks", "qualifier"});
      QualifierRules::Reach reach;
      reach.name = n.at("name").str();
      reach.qualifier = n.at("qualifier").str();
      if (!kQualifiers.count(reach.qualifier)) n.at("qualifier").fail("unknown qualifier \"" + reach.qualifier + "\"");
      add_words(reach.words, n.at("words"), 0);
      add_words(reach.through, n.at("through"), 0);
      reach.max_chars = size_t(n.at("max_chars").integer(1, 40));
      reach.breaks = n.at("breaks").text();
      r.reach.push_back(std::move(reach));
    }
  }
}

void load_exclusions(const Node& root, ExclusionRules& r) {
  root.keys({"quotes", "max_quote_chars", "speech_marks", "set_phrases", "set_phrase_exceptions", "title_ordinals", "unit_prefix", "indefinite_one",
             "place_names", "versions", "urls", "institution_names", "unit_labels", "campaign_names"});
  if (auto c = root.opt("campaign_names")) {
    c->keys({"name", "_doc", "_paired", "_after_verbs", "numerals", "units", "not_after_chars", "words", "max_chars", "breaks", "paired",
             "not_paired_before", "after_verbs", "not_between"});
    add_words(r.campaign.after_verbs, c->at("after_verbs"), 0);
    add_words(r.campaign.not_between, c->at("not_between"), 0);
    r.campaign.paired = c->at("paired").boolean();
    add_words(r.campaign.not_paired_before, c->at("not_paired_before"), 0);
    r.campaign.name = c->at("name").str();
    r.campaign.numerals = c->at("numerals").text();
    add_words(r.campaign.units, c->at("units"), 0);
    r.campaign.not_after_chars = c->at("not_after_chars").text();
    add_words(r.campaign.words, c->at("words"), 0);
    r.campaign.max_chars = size_t(c->at("max_chars").integer(1, 64));
    r.campaign.breaks = c->at("breaks").text();
  }
  if (auto names = root.opt("institution_names")) {
    for (const Node& n : names->list()) {
      n.keys({"name", "_doc", "units", "bare_units", "words", "max_chars", "year_only", "ordinal_only"});
      ExclusionRules::InstitutionName in;
      in.name = n.at("name").str();
      if (auto o = n.opt("ordinal_only")) in.ordinal_only = o->boolean();
      if (!in.ordinal_only) add_words(in.units, n.at("units"), 0);
      if (auto b = n.opt("bare_units")) add_words(in.bare_units, *b, 0);
      add_words(in.words, n.at("words"), 0);
      in.max_chars = size_t(n.at("max_chars").integer(1, 64));
      if (auto y = n.opt("year_only")) in.year_only = y->boolean();
      r.institution_names.push_back(std::move(in));
    }
  }
  for (const Node& n : root.at("quotes").list()) {
    n.keys({"name", "open", "close"});
    r.quotes.push_back({n.at("name").str(), single_char(n.at("open")), single_char(n.at("close"))});
    for (char32_t c : {r.quotes.back().open, r.quotes.back().close})
      if (c < r.quote_chars.size()) r.quote_chars[c] = true;
  }
  r.max_quote_chars = size_t(root.at("max_quote_chars").integer(1, 10000));
  if (auto sp = root.opt("speech_marks")) r.speech_marks = sp->text(true);
  for (const Node& n : root.at("set_phrases").list()) {
    n.keys({"name", "_doc", "words", "in_a_name", "counted_after", "named_before", "not_after_chars", "not_before"});
    add_words(r.set_phrases, n.at("words"), int(r.set_phrase_rules.size()));
    r.set_phrase_rules.push_back(n.at("name").str());
    auto in_name = n.opt("in_a_name");
    r.set_phrase_in_a_name.push_back(in_name && in_name->boolean());
    auto counted = std::make_shared<Lexicon>();
    if (auto c = n.opt("counted_after")) add_words(*counted, *c, 0);
    r.set_phrase_counted_after.push_back(std::move(counted));
    auto named = std::make_shared<Lexicon>();
    if (auto c = n.opt("named_before")) add_words(*named, *c, 0);
    r.set_phrase_named_before.push_back(std::move(named));
    r.set_phrase_bounds.not_after.push_back(n.opt("not_after_chars") ? n.at("not_after_chars").text() : std::u32string());
    auto not_before = std::make_shared<Lexicon>();
    if (auto c = n.opt("not_before")) add_words(*not_before, *c, 0);
    r.set_phrase_bounds.not_before.push_back(std::move(not_before));
  }
  add_words(r.set_phrase_exceptions, root.at("set_phrase_exceptions"), 0);
  r.title_ordinal_rule = load_named_words(root.at("title_ordinals"), r.title_ordinals);
  Node unit_prefix = root.at("unit_prefix");
  unit_prefix.keys({"name"});
  r.unit_prefix_rule = unit_prefix.at("name").str();
  Node place = root.at("place_names");
  place.keys({"name", "units", "suffixes"});
  r.place_rule = place.at("name").str();
  add_words(r.place_units, place.at("units"), 0);
  add_words(r.place_suffixes, place.at("suffixes"), 0);
  Node ind = root.at("indefinite_one");
  ind.keys({"name", "numerals", "units", "counted_before", "every"});
  r.indefinite_rule = ind.at("name").str();
  add_words(r.indefinite_numerals, ind.at("numerals"), 0);
  add_words(r.indefinite_units, ind.at("units"), 0);
  if (auto c = ind.opt("counted_before")) r.indefinite_counted_before = c->text();
  if (auto e = ind.opt("every")) {
    e->keys({"name", "after"});
    r.every_rule = e->at("name").str();
    r.every_after = e->at("after").text();
  }
  Node v = root.at("versions");
  v.keys({"name", "before_chars", "after_words", "latin_glued", "not_after"});
  r.version_rule = v.at("name").str();
  r.version_before_chars = v.at("before_chars").text();
  r.version_before_max = 0;
  for (char32_t c : r.version_before_chars) r.version_before_max = std::max(r.version_before_max, c);
  add_words(r.version_after_words, v.at("after_words"), 0);
  if (auto na = v.opt("not_after")) add_words(r.version_not_after, *na, 0);
  r.version_latin_glued = v.at("latin_glued").boolean();
  if (auto u = root.opt("urls")) r.url_rule = load_named_words(*u, r.url_starts);
  r.url_first_max = 0;
  for (char32_t c : r.url_starts.first_chars()) r.url_first_max = std::max(r.url_first_max, c);
  if (auto u = root.opt("unit_labels")) {
    u->keys({"name", "words", "magnitudes"});
    r.unit_label_rule = u->at("name").str();
    add_words(r.unit_label_words, u->at("words"), 0);
    r.unit_label_magnitudes = u->at("magnitudes").text();
  }
}

// ------------------------------------------------------------ facts.json

using FP = FactPatternRules;

// "unit:money?" -> the unit item, checked for money, optional.
FP::PatternItem parse_pattern_item(const Node& n) {
  static const std::map<std::string, FP::Item> items = {
      {"numeral", FP::Item::numeral},       {"ordinal_prefix", FP::Item::ordinal_prefix},
      {"ordinal_list_prefix", FP::Item::ordinal_list_prefix},
      {"currency_prefix", FP::Item::currency_prefix}, {"qualifier_after_numeral", FP::Item::qualifier_after_numeral},
      {"unit", FP::Item::unit},             {"range", FP::Item::range},
      {"range_connector", FP::Item::range_connector}, {"year_word", FP::Item::year_word},
      {"month_word", FP::Item::month_word}, {"day_word", FP::Item::day_word},
      {"after_month", FP::Item::after_month}, {"money_part", FP::Item::money_part},
      {"list_unit", FP::Item::list_unit}};
  static const std::map<std::string, FP::Check> checks = {
      {"year", FP::Check::year},   {"month", FP::Check::month},         {"later_month", FP::Check::later_month},
      {"day", FP::Check::day},     {"parts_per", FP::Check::parts_per}, {"fraction", FP::Check::fraction},
      {"money", FP::Check::money}, {"count", FP::Check::count},         {"not_unit", FP::Check::not_unit}};
  FP::PatternItem item;
  if (!n.is_string()) {  // {"words": [...], "unless": [...], "optional": true}: a literal; {"unit": [...]}: those units
    n.keys({"words", "unless", "unit", "optional"});
    if (auto u = n.opt("unit")) {
      item.item = FP::Item::unit;
      add_words(item.words.emplace(), *u, 0);
    } else {
      item.item = FP::Item::words;
      add_words(item.words.emplace(), n.at("words"), 0);
      if (auto un = n.opt("unless")) add_words(item.unless.emplace(), *un, 0);
    }
    if (auto o = n.opt("optional")) item.optional = o->boolean();
    return item;
  }
  std::string s = n.str();
  if (s.back() == '?') {
    item.optional = true;
    s.pop_back();
  }
  std::string check;
  if (auto colon = s.find(':'); colon != std::string::npos) {
    check = s.substr(colon + 1);
    s.resize(colon);
  }
  auto it = items.find(s);
  if (it == items.end()) n.fail("unknown item \"" + s + "\" (numeral, ordinal_prefix, currency_prefix, unit, range, …)");
  item.item = it->second;
  if (!check.empty()) {
    auto c = checks.find(check);
    if (c == checks.end()) n.fail("unknown check \"" + check + "\"");
    item.check = c->second;
  }
  return item;
}

FP::Production parse_production(const Node& n) {
  static const std::map<std::string, FP::Production> names = {
      {"date", FP::Production::date},           {"parts_per", FP::Production::parts_per},
      {"ordinal", FP::Production::ordinal},     {"prefix_unit", FP::Production::prefix_unit},
      {"fraction", FP::Production::fraction},   {"scale_by_unit", FP::Production::scale_by_unit},
      {"money_sub_units", FP::Production::money_sub_units}, {"bare", FP::Production::bare}};
  return named(n, names, [&] {
    return "unknown production \"" + n.str() +
           "\" (date, parts_per, ordinal, prefix_unit, fraction, scale_by_unit, money_sub_units, bare)";
  });
}

FP::Pattern load_fact_pattern(const Node& n) {
  n.keys({"name", "pattern", "produce", "spaces", "qualifier"});
  FP::Pattern p;
  p.name = n.at("name").str();
  p.produce = parse_production(n.at("produce"));
  if (auto sp = n.opt("spaces")) p.spaces = sp->boolean();
  if (auto q = n.opt("qualifier")) {
    p.qualifier = q->str();
    if (!kQualifiers.count(p.qualifier)) q->fail("unknown qualifier \"" + p.qualifier + "\"");
  }
  bool anchored = false;
  for (const Node& item : n.at("pattern").list()) {
    p.items.push_back(parse_pattern_item(item));
    const FP::PatternItem& it = p.items.back();
    if (it.item == FP::Item::numeral && !anchored) {
      if (it.optional) item.fail("the first numeral is the figure itself: it cannot be optional");
      p.anchor = p.items.size() - 1;
      anchored = true;
    } else if (!anchored && it.item != FP::Item::ordinal_prefix && it.item != FP::Item::ordinal_list_prefix &&
               it.item != FP::Item::currency_prefix && it.item != FP::Item::words) {
      item.fail("before the numeral only ordinal_prefix, ordinal_list_prefix, currency_prefix or words may stand");
    }
  }
  if (!anchored) n.at("pattern").fail("a pattern needs a numeral");
  return p;
}

// {"fact": ["more_than", "at_least"]}, {"words": [...], "optional": true}, "fixed_word",
// "noun_list", "fact_list", "copulas".
FP::CombineItemRule parse_combine_item(const Node& n) {
  FP::CombineItemRule item;
  if (n.is_string()) {
    static const std::map<std::string, FP::CombineItem> items = {{"fact", FP::CombineItem::fact},
                                                                 {"fixed_word", FP::CombineItem::fixed_word},
                                                                 {"noun_list", FP::CombineItem::noun_list},
                                                                 {"fact_list", FP::CombineItem::fact_list},
                                                                 {"copulas", FP::CombineItem::copulas}};
    item.item = named(n, items, [&] { return "unknown item \"" + n.str() + "\" (fact, fixed_word, noun_list, fact_list, copulas)"; });
    return item;
  }
  n.keys({"fact", "words", "optional"});
  if (auto f = n.opt("fact")) {
    for (const Node& q : f->list()) {
      if (!kQualifiers.count(q.str())) q.fail("unknown qualifier \"" + q.str() + "\"");
      item.qualifiers.push_back(q.str());
    }
  } else {
    item.item = FP::CombineItem::words;
    add_words(item.words.emplace(), n.at("words"), 0);
  }
  if (auto o = n.opt("optional")) item.optional = o->boolean();
  return item;
}

// The item shapes each combination production takes (F a fact, W words, w optional
// words, X a fixed word, N a noun list, L a fact list, C a run of copulas), and how to
// write them.
struct CombineShape {
  FP::Combination produce;
  std::vector<std::string> shapes;
  const char* how;
};

char shape_letter(const FP::CombineItemRule& it) {
  switch (it.item) {
    case FP::CombineItem::fact: return 'F';
    case FP::CombineItem::words: return it.optional ? 'w' : 'W';
    case FP::CombineItem::fixed_word: return 'X';
    case FP::CombineItem::noun_list: return 'N';
    case FP::CombineItem::fact_list: return 'L';
    case FP::CombineItem::copulas: return 'C';
  }
  return '?';
}

// A combination rule: its production takes one shape of items, checked here so that
// a rules edit that does not fit says so when the rules load.
FP::CombineRule load_combination(const Node& n, const KindRegistry& kinds) {
  using C = FP::Combination;
  static const std::map<std::string, C> names = {
      {"fixed_figure", C::fixed_figure}, {"bounds", C::bounds}, {"respectively", C::respectively},
      {"parts", C::parts}, {"sum", C::sum}, {"unpaired", C::unpaired}};
  static const CombineShape shapes[] = {
      {C::fixed_figure, {"X"}, "fixed_figure takes [\"fixed_word\"]"},
      {C::bounds, {"FF", "FwF", "FWF"}, "bounds takes [{\"fact\": [...]}, {\"words\": [...]} (may be optional), {\"fact\": [...]}]"},
      {C::respectively, {"NWL", "NWCL"},
       "respectively takes [\"noun_list\", {\"words\": [...]}, \"copulas\" (may be left out), \"fact_list\"]"},
      {C::parts, {"FW"}, "parts takes [\"fact\", {\"words\": [...]}]"},
      {C::sum, {"WF"}, "sum takes [{\"words\": [...]}, \"fact\"]"},
      {C::unpaired, {"L"}, "unpaired takes [\"fact_list\"]"}};
  n.keys({"name", "pattern", "produce", "parallel_clauses", "warning"});
  FP::CombineRule c;
  c.name = n.at("name").str();
  c.produce = named(n.at("produce"), names, "unknown production (fixed_figure, bounds, respectively, parts, sum, unpaired)");
  if (auto w = n.opt("warning")) {
    if (c.produce != C::unpaired) w->fail("warning only for unpaired");
    c.warning = w->str();
  }
  if (auto p = n.opt("parallel_clauses")) {
    if (c.produce != C::parts) p->fail("parallel_clauses only for parts");
    p->keys({"name", "breaks", "breaks_after_colon", "verbs", "max_lead_chars", "kinds", "not_qualifiers"});
    auto& pc = c.parallel.emplace();
    pc.name = p->at("name").str();
    pc.breaks = p->at("breaks").text();
    pc.breaks_after_colon = p->at("breaks_after_colon").text();
    add_words(pc.verbs, p->at("verbs"), 0);
    pc.max_lead_chars = size_t(p->at("max_lead_chars").integer(1, 200));
    for (const Node& k : p->at("kinds").list()) pc.kinds.push_back(known_kind(k, kinds));
    for (const Node& q : p->at("not_qualifiers").list()) {
      if (!kQualifiers.count(q.str())) q.fail("unknown qualifier \"" + q.str() + "\"");
      pc.not_qualifiers.push_back(q.str());
    }
  }
  std::string shape;
  for (const Node& item : n.at("pattern").list()) {
    c.items.push_back(parse_combine_item(item));
    shape += shape_letter(c.items.back());
  }
  for (const CombineShape& s : shapes)
    if (s.produce == c.produce && std::find(s.shapes.begin(), s.shapes.end(), shape) == s.shapes.end())
      n.at("pattern").fail(s.how);
  return c;
}

void load_facts(const Node& root, FactPatternRules& r, const KindRegistry& kinds) {
  root.keys({"patterns", "combinations", "inside_qualifier", "restated_in_table", "refusals"});
  for (const Node& n : root.at("patterns").list()) r.patterns.push_back(load_fact_pattern(n));
  if (auto cs = root.opt("combinations"))
    for (const Node& n : cs->list()) r.combinations.push_back(load_combination(n, kinds));
  if (auto iq = root.opt("inside_qualifier")) {
    iq->keys({"name"});
    r.inside_qualifier_rule = iq->at("name").str();
  }
  if (auto rt = root.opt("restated_in_table")) {
    rt->keys({"name", "kinds", "min_chars", "bullet_line"});
    r.restated_in_table.name = rt->at("name").str();
    for (const Node& k : rt->at("kinds").list()) r.restated_in_table.kinds.push_back(known_kind(k, kinds));
    r.restated_in_table.min_chars = size_t(rt->at("min_chars").integer(1, 16));
    if (auto bl = rt->opt("bullet_line")) {
      bl->keys({"_doc", "name", "max_chars"});
      r.restated_in_table.bullet_name = bl->at("name").str();
      r.restated_in_table.bullet_max_chars = size_t(bl->at("max_chars").integer(1, 200));
    }
  }
  Node ref = root.at("refusals");
  ref.keys({"bare_figure", "code", "year_as_duration", "unrepresentable"});
  r.refuse_bare = ref.at("bare_figure").str();
  r.refuse_code = ref.at("code").str();
  r.refuse_year_duration = ref.at("year_as_duration").str();
  r.refuse_unrepresentable = ref.at("unrepresentable").str();
}

AspectRules::Where parse_where(const Node& n) {
  static const std::map<std::string, AspectRules::Where> names = {
      {"clause", AspectRules::Where::clause}, {"sentence", AspectRules::Where::sentence},
      {"near", AspectRules::Where::near}, {"unit", AspectRules::Where::unit},
      {"follows", AspectRules::Where::follows}, {"after_count", AspectRules::Where::after_count},
      {"per_unit", AspectRules::Where::per_unit},
      {"column", AspectRules::Where::column}};
  return named(n, names, "where must be clause, sentence, near, unit, follows, after_count, column or per_unit");
}

// A cue of `cues` gives an aspect, a cue of `status_cues` a status (`gives`: the key).
AspectRules::Cue load_aspect_cue(const Node& n, const KindRegistry& kinds, const char* gives) {
  using Where = AspectRules::Where;
  n.keys({"name", gives, "kinds", "where", "words", "max_gap", "not_after_cue", "not_before_cue", "units",
          "qualifiers", "followed_by", "followed_by_han", "text_ends", "gap_chars", "after_kinds", "not_in_text",
          "not_in_clause", "parts_of_whole", "ranges", "preceded_by", "alone_in_clause", "not_in_plans"});
  AspectRules::Cue c;
  c.name = n.at("name").str();
  Node named = n.at(gives);
  if (std::string_view(gives) == "status") c.status = kinds.status_index(named.str());
  else c.aspect = kinds.aspect_index(named.str());
  if (c.aspect < 0 && c.status < 0)
    named.fail("unknown " + std::string(gives) + " \"" + named.str() + "\" (kinds.json declares them)");
  for (const Node& k : n.at("kinds").list()) c.kinds.push_back(known_kind(k, kinds));
  c.for_kind.assign(kinds.kinds.size(), false);
  for (const std::string& k : c.kinds) c.for_kind[size_t(kinds.kind(k) - kinds.kinds.data())] = true;
  c.where = parse_where(n.at("where"));
  if (c.where == Where::clause || c.where == Where::sentence || c.where == Where::near || c.where == Where::column)
    add_words(c.words, n.at("words"), 0);
  if (c.where == Where::near) {
    c.max_gap = size_t(n.at("max_gap").integer(0, 20));
    if (auto g = n.opt("gap_chars")) c.gap_chars = g->text();
  }
  if (auto w = n.opt("not_after_cue")) add_words(c.not_after_cue, *w, 0);
  if (auto w = n.opt("not_before_cue")) add_words(c.not_before_cue, *w, 0);
  // A near cue may ask for words right after the figure too (前移2个位次).
  if (auto f = n.opt("followed_by"); f && c.where == Where::near) add_words(c.followed_by, *f, 0);
  // where unit: the units read; any other where: a limit to figures of these units
  // (每月召开党员大会2次: 次 per month is a frequency, 每月督查15个村 counts a set).
  if (c.where == Where::unit || n.opt("units"))
    for (const Node& u : n.at("units").list()) c.units.push_back(u.str());
  if (auto qs = n.opt("qualifiers")) {
    for (const Node& q : qs->list()) {
      if (!kQualifiers.count(q.str())) q.fail("unknown qualifier \"" + q.str() + "\"");
      c.qualifiers.push_back(q.str());
    }
  }
  if (auto w = n.opt("not_in_text")) add_words(c.not_in_text, *w, 0);
  if (auto w = n.opt("not_in_clause")) add_words(c.not_in_clause, *w, 0);
  if (auto w = n.opt("parts_of_whole")) add_words(c.parts_of_whole, *w, 0);
  if (auto r = n.opt("ranges")) c.ranges_only = r->boolean();
  if (auto a = n.opt("alone_in_clause")) c.alone_in_clause = a->boolean();
  if (auto p = n.opt("not_in_plans")) c.not_in_plans = p->boolean();
  if (c.where == Where::after_count)
    for (const Node& k : n.at("after_kinds").list()) c.after_kinds.push_back(known_kind(k, kinds));
  if (c.where == Where::follows) {
    if (auto f = n.opt("followed_by")) add_words(c.followed_by, *f, 0);
    if (auto f = n.opt("followed_by_han")) c.followed_by_han = f->boolean();
    if (auto t = n.opt("text_ends")) add_words(c.text_ends, *t, 0);
    if (auto b = n.opt("preceded_by")) add_words(c.preceded_by, *b, 0);
    if (c.followed_by.empty() && !c.followed_by_han) n.fail("a follows cue needs \"followed_by\" or \"followed_by_han\"");
  }
  return c;
}

// AspectRules::first_bits: a bit for each word list read over a stretch (32 at most,
// then they share), set at the slots of its words' first characters.
void index_first_chars(AspectRules& r) {
  using Where = AspectRules::Where;
  r.first_bits.assign(size_t(1) << (64 - AspectRules::kFirstBitsShift), 0);
  unsigned lists = 0;
  auto index = [&](const Lexicon& words, uint32_t& bit) {
    if (words.empty()) return;
    bit = uint32_t(1) << (lists++ % 32);
    for (char32_t c : words.first_chars()) r.first_bits[size_t(lexicon_layout::char_hash(c) >> AspectRules::kFirstBitsShift)] |= bit;
  };
  for (std::vector<AspectRules::Cue>* cues : {&r.cues, &r.status_cues})
    for (AspectRules::Cue& c : *cues) {
      if (c.where == Where::clause || c.where == Where::sentence) index(c.words, c.words_bit);
      index(c.not_in_clause, c.not_in_clause_bit);
    }
}

// AspectRules::Cue's unit_bits, qualifier_bits and near_bits.
void index_cue_filters(AspectRules& r) {
  for (std::vector<AspectRules::Cue>* cues : {&r.cues, &r.status_cues})
    for (AspectRules::Cue& c : *cues) {
      c.unit_bits = c.qualifier_bits = c.near_bits = 0;
      for (const std::string& u : c.units) c.unit_bits |= AspectRules::name_bit(u);
      for (const std::string& q : c.qualifiers) c.qualifier_bits |= AspectRules::name_bit(q);
      if (c.where != AspectRules::Where::near) continue;
      for (size_t k = 0; k < c.words.word_count(); ++k)
        if (std::u32string_view w = c.words.word(k); !w.empty()) c.near_bits |= AspectRules::char_bit(w.back());
      if (c.max_gap > 0)
        for (char32_t g : c.gap_chars) c.near_bits |= AspectRules::char_bit(g);
      if (c.near_bits == 0) c.near_bits = ~uint64_t(0);  // no word: never filtered (0 means unset)
    }
}

// AspectRules::cues_by_kind and status_cues_by_kind.
void index_kinds(AspectRules& r, size_t kind_count) {
  auto index = [kind_count](const std::vector<AspectRules::Cue>& cues, std::vector<std::vector<uint16_t>>& by_kind) {
    by_kind.assign(kind_count, {});
    for (size_t i = 0; i < cues.size(); ++i) {
      if (cues[i].where == AspectRules::Where::column) continue;
      for (size_t k = 0; k < kind_count && k < cues[i].for_kind.size(); ++k)
        if (cues[i].for_kind[k]) by_kind[k].push_back(uint16_t(i));
    }
  };
  if (r.cues.size() > UINT16_MAX || r.status_cues.size() > UINT16_MAX) return;  // left empty: every cue is tried
  index(r.cues, r.cues_by_kind);
  index(r.status_cues, r.status_cues_by_kind);
}

void load_aspects(const Node& root, AspectRules& r, const KindRegistry& kinds) {
  root.keys({"clause_breaks", "cues", "status_cues", "baseline"});
  r.clause_breaks = root.at("clause_breaks").text();
  r.clause_break_bits = 0;
  for (char32_t b : r.clause_breaks) r.clause_break_bits |= uint64_t(1) << (b & 63);
  auto cues = root.at("cues").list(true);
  r.cues.reserve(cues.size());  // a cue holds nine lexicons: moved at each growth, they were 33 K instructions
  for (const Node& n : cues) r.cues.push_back(load_aspect_cue(n, kinds, "aspect"));
  if (auto status_cues = root.opt("status_cues")) {
    auto list = status_cues->list(true);
    r.status_cues.reserve(list.size());
    for (const Node& n : list) r.status_cues.push_back(load_aspect_cue(n, kinds, "status"));
  }
  if (auto b = root.opt("baseline")) {
    b->keys({"name", "status", "openers", "times", "year_suffixes", "joiner", "reached_by", "reached_max_gap"});
    r.baseline_rule = b->at("name").str();
    r.baseline_status = kinds.status_index(b->at("status").str());
    if (r.baseline_status < 0) b->at("status").fail("unknown status \"" + b->at("status").str() + "\" (kinds.json statuses)");
    add_words(r.baseline_openers, b->at("openers"), 0);
    add_words(r.baseline_times, b->at("times"), 0);
    r.baseline_year_suffixes = b->at("year_suffixes").text();
    r.baseline_joiner = b->at("joiner").text();
    if (auto reached = b->opt("reached_by")) add_words(r.baseline_reached_by, *reached, 0);
    if (auto gap = b->opt("reached_max_gap")) r.baseline_reached_max_gap = size_t(gap->integer(0, 16));
  }
  index_first_chars(r);
  index_cue_filters(r);
  index_kinds(r, kinds.kinds.size());
}

// subjects.json "table_cells": the picks of a figure alone in a table's cell.
void load_table_cells(const Node& n, SubjectRules::TableCells& r) {
  n.keys({"row", "column", "generic_columns"});
  r.row_rule = n.at("row").str();
  r.column_rule = n.at("column").str();
  add_words(r.generic_columns, n.at("generic_columns"), 0);
}

// subjects.json "edges": the words at the edges of a phrase that belong to the clause.
void load_subject_edges(const Node& n, SubjectRules::Edges& r) {
  n.keys({"leading_verbs", "verbs_after_noun", "works", "attributes", "purposes", "verbs_as_modifiers", "divisors", "comparands", "bound_shares", "after_verb",
          "recipients", "trailing_slogans", "bound_bodies"});
  auto named = [](const Node& section, std::string& rule, Lexicon& words) {
    rule = section.at("name").str();
    add_words(words, section.at("words"), 0);
  };
  const Node& lead = n.at("leading_verbs");
  lead.keys({"name", "words", "not_words"});
  named(lead, r.leading_rule, r.leading_verbs);
  add_words(r.not_leading_verbs, lead.at("not_words"), 0);
  const Node& trailing = n.at("verbs_after_noun");
  trailing.keys({"name"});
  r.trailing_rule = trailing.at("name").str();
  const Node& works = n.at("works");
  works.keys({"name", "words", "event_units"});
  named(works, r.work_rule, r.works);
  r.event_units = works.at("event_units").text();
  r.attribute_rule = load_named_words(n.at("attributes"), r.attributes);
  const Node& purposes = n.at("purposes");
  purposes.keys({"name", "words", "after_verbs", "max_chars"});
  named(purposes, r.purpose_rule, r.purpose_verbs);
  add_words(r.spend_verbs, purposes.at("after_verbs"), 0);
  r.purpose_max = size_t(purposes.at("max_chars").integer(1, 40));
  const Node& modifiers = n.at("verbs_as_modifiers");
  modifiers.keys({"words", "heads"});
  add_words(r.modifier_verbs, modifiers.at("words"), 0);
  add_words(r.modifier_heads, modifiers.at("heads"), 0);
  if (auto d = n.opt("divisors")) r.divisor_rule = load_named_words(*d, r.divisor_words);
  if (auto c = n.opt("comparands")) r.comparand_rule = load_named_words(*c, r.comparatives);
  if (auto c = n.opt("bound_shares")) r.bound_share_rule = load_named_words(*c, r.bound_shares);
  if (auto a = n.opt("after_verb")) {
    a->keys({"name", "_doc", "words", "not_words"});
    r.after_verb_rule = a->at("name").str();
    add_words(r.after_verb_words, a->at("words"), 0);
    add_words(r.not_after_verb_words, a->at("not_words"), 0);
  }
  if (auto rc = n.opt("recipients")) {
    rc->keys({"name", "prepositions", "verbs"});
    r.recipient_rule = rc->at("name").str();
    add_words(r.recipient_prepositions, rc->at("prepositions"), 0);
    add_words(r.recipient_verbs, rc->at("verbs"), 0);
  }
  if (auto ts = n.opt("trailing_slogans")) {
    ts->keys({"name"});
    r.slogan_rule = ts->at("name").str();
  }
  if (auto bb = n.opt("bound_bodies")) r.bound_body_rule = load_named_words(*bb, r.bound_bodies);
}

// subjects.json "owners_of_work": the owners a measure word counts (家: 企业, 户: 农户).
void load_owners_of_work(const Node& n, SubjectRules::OwnersOfWork& r) {
  n.keys({"name", "owners"});
  r.rule = n.at("name").str();
  for (const Node& g : n.at("owners").list()) {
    g.keys({"measure_words", "words", "only_these"});
    auto& group = r.groups.emplace_back();
    group.measure_words = g.at("measure_words").text();
    add_words(group.words, g.at("words"), 0);
    if (auto only = g.opt("only_these")) group.only_these = only->boolean();
  }
}

// Where a subject was found, as --explain names it (subjects.json "picks").
void load_picks(const Node& pk, SubjectRules& r) {
  pk.keys({"after", "after_de", "before", "inherited", "inherited_rates", "inherited_clause_subject", "after_clause", "after_clause_max_chars",
           "after_clause_verbs", "after_clause_not_after", "share_whole", "verb_pair", "verb_pair_ends", "figure_label", "colon_label", "bracketed_figure", "lone_deed"});
  r.after_rule = pk.at("after").str();
  r.after_de_rule = pk.at("after_de").str();
  r.before_rule = pk.at("before").str();
  r.inherited_rule = pk.at("inherited").str();
  if (auto ac = pk.opt("after_clause")) r.after_clause_rule = ac->str();
  if (auto am = pk.opt("after_clause_max_chars")) r.after_clause_max = size_t(am->integer(1, 20));
  if (auto av = pk.opt("after_clause_verbs")) add_words(r.after_clause_verbs, *av, 0);
  if (auto an = pk.opt("after_clause_not_after")) add_words(r.after_clause_not_after, *an, 0);
  if (auto sw = pk.opt("share_whole")) r.share_whole_rule = sw->str();
  if (auto vp = pk.opt("verb_pair")) r.verb_pair_rule = vp->str();
  if (auto ve = pk.opt("verb_pair_ends")) add_words(r.verb_pair_ends, *ve, 0);
  if (auto fl = pk.opt("figure_label")) {
    fl->keys({"name", "max_chars"});
    r.figure_label_rule = fl->at("name").str();
    r.figure_label_max = size_t(fl->at("max_chars").integer(1, 60));
  }
  if (auto cl = pk.opt("colon_label")) r.colon_label_rule = cl->str();
  if (auto ld = pk.opt("lone_deed")) r.lone_deed_rule = ld->str();
  if (auto bf = pk.opt("bracketed_figure")) {
    bf->keys({"name", "open", "close"});
    r.bracketed_figure.rule = bf->at("name").str();
    r.bracketed_figure.open = bf->at("open").text();
    r.bracketed_figure.close = bf->at("close").text();
    if (r.bracketed_figure.open.size() != r.bracketed_figure.close.size())
      bf->at("close").fail("close must have one bracket for each of open");
  }
  if (auto ir = pk.opt("inherited_rates")) {
    ir->keys({"name", "endings", "not_endings", "kinds"});
    r.inherited_rates.rule = ir->at("name").str();
    add_words(r.inherited_rates.endings, ir->at("endings"), 0);
    if (auto ne = ir->opt("not_endings")) add_words(r.inherited_rates.not_endings, *ne, 0);
    for (const Node& k : ir->at("kinds").list()) r.inherited_rates.kinds.push_back(k.str());
  }
  if (auto cs = pk.opt("inherited_clause_subject")) {
    cs->keys({"name", "clause_ends", "continuations"});
    r.inherited_clause_subject.rule = cs->at("name").str();
    r.inherited_clause_subject.clause_ends = cs->at("clause_ends").text(true);
    add_words(r.inherited_clause_subject.continuations, cs->at("continuations"), 0);
  }
}

// The edges of a count's noun read after the stop lists (subjects.json unit_places,
// level_spans, verbs_after_count, beneficiaries, verbs_before_object): the verb lists
// among them also stop a phrase, so they are added to stops_after and stops_before.
void load_count_edges(const Node& root, SubjectRules& r) {
  if (auto up = root.opt("unit_places")) {
    up->keys({"name", "endings", "bodies", "min_chars", "own_kinds"});
    r.unit_places.rule = up->at("name").str();
    add_words(r.unit_places.endings, up->at("endings"), 0);
    add_words(r.unit_places.bodies, up->at("bodies"), 0);
    r.unit_places.min_chars = size_t(up->at("min_chars").integer(1, 20));
    if (auto kinds = up->opt("own_kinds"))
      for (const Node& k : kinds->list()) {
        k.keys({"bodies", "words"});
        auto& own = r.unit_places.own_kinds.emplace_back();
        add_words(own.bodies, k.at("bodies"), 0);
        add_words(own.words, k.at("words"), 0);
      }
  }
  if (auto ls = root.opt("level_spans")) {
    ls->keys({"name", "words", "levels"});
    r.level_span_rule = ls->at("name").str();
    add_words(r.level_spans, ls->at("words"), 0);
    r.levels = ls->at("levels").text();
  }
  if (auto vc = root.opt("verbs_after_count")) {
    r.count_verb_rule = load_named_words(*vc, r.count_verbs);
    r.stops_after.merge(r.count_verbs, 0);
  }
  if (auto be = root.opt("beneficiaries")) {
    be->keys({"name", "prepositions"});
    r.beneficiary_rule = be->at("name").str();
    add_words(r.beneficiary_prepositions, be->at("prepositions"), 0);
  }
  if (auto pc = root.opt("pivot_counts")) r.pivot_rule = load_named_words(*pc, r.pivot_verbs);
  // 发出司法建议39份: a verb whose object is the subject ends the phrase as stops_before
  // do, and is named when it does.
  if (auto vo = root.opt("verbs_before_object")) {
    r.object_verb_rule = load_named_words(*vo, r.object_verbs);
    r.stops_before.merge(r.object_verbs, 0);
  }
}

// 教师培训覆盖率: activities before the rates of them (subjects.json rated_activities).
void load_rated_activities(const Node& n, SubjectRules& r) {
  n.keys({"name", "words", "heads"});
  r.rated_activity_rule = n.at("name").str();
  add_words(r.rated_activities, n.at("words"), 0);
  add_words(r.rated_heads, n.at("heads"), 0);
}

// subjects.json "respectively_lists": the words of 分别 lists (localizers, owners, and the
// lists led by 第: 第一、二、三产业增加值分别增长…).
void load_respectively_lists(const Node& rl, SubjectRules& r) {
  rl.keys({"localizers", "owner_suffixes", "paired_owners", "heads", "ordinal_lists"});
  add_words(r.respectively_localizers, rl.at("localizers"), 0);
  add_words(r.respectively_owner_suffixes, rl.at("owner_suffixes"), 0);
  if (auto po = rl.opt("paired_owners")) add_words(r.respectively_paired_owners, *po, 0);
  if (auto h = rl.opt("heads")) add_words(r.respectively_heads, *h, 0);
  if (auto ol = rl.opt("ordinal_lists")) {
    ol->keys({"name", "prefixes", "numerals"});
    r.respectively_ordinal_rule = ol->at("name").str();
    add_words(r.respectively_ordinal_prefixes, ol->at("prefixes"), 0);
    r.respectively_ordinal_numerals = ol->at("numerals").text();
  }
}

void load_subjects(const Node& root, SubjectRules& r) {
  root.keys({"max_chars_after", "max_chars_before", "max_chars_before_reach", "boundary_chars", "hard_stops", "stops_after", "verbs_after_noun", "stops_before",
             "verbs_before_figure", "copulas", "nouns", "noun_suffixes", "single_char_stops_before", "head_marker",
             "quote_pairs", "list_separators", "picks", "phrase_starts", "coordinated_heads", "nouns_after", "count_owners",
             "share_of", "max_chars_after_quote", "past_a_threshold", "bound_forward", "table_cells", "edges", "respectively_lists",
             "verbs_before_object", "unit_places", "verbs_after_count", "beneficiaries", "pivot_counts", "level_spans", "owners_of_work", "grade", "rated_activities"});
  if (auto rl = root.opt("respectively_lists")) load_respectively_lists(*rl, r);
  if (auto ed = root.opt("edges")) load_subject_edges(*ed, r.edges);
  if (auto tc = root.opt("table_cells")) load_table_cells(*tc, r.table_cells);
  if (auto na = root.opt("nouns_after")) load_named_words(*na, r.nouns_after);
  if (auto so = root.opt("share_of")) r.share_rule = load_named_words(*so, r.share_words);
  if (auto pt = root.opt("past_a_threshold")) {
    pt->keys({"name", "words", "levels"});
    r.past_threshold_rule = pt->at("name").str();
    add_words(r.threshold_words, pt->at("words"), 0);
    if (auto levels = pt->opt("levels")) add_words(r.threshold_levels, *levels, 0);
  }
  if (auto bf = root.opt("bound_forward")) {
    bf->keys({"name"});
    r.bound_forward_rule = bf->at("name").str();
  }
  if (auto ps = root.opt("phrase_starts")) {
    ps->keys({"name", "words", "never_first", "verb_modifiers"});
    r.phrase_start_rule = ps->at("name").str();
    add_words(r.phrase_starts, ps->at("words"), 0);
    if (auto vm = ps->opt("verb_modifiers")) add_words(r.phrase_start_verb_modifiers, *vm, 0);
    r.never_first = ps->at("never_first").text();
  }
  if (auto ch = root.opt("coordinated_heads")) {
    ch->keys({"name", "coordinators", "examples_before_count", "max_modifier_chars", "max_noun_chars", "max_listed_modifier_chars", "shared_modifiers",
              "shared_modifier_endings", "bodies"});
    if (auto bo = ch->opt("bodies")) r.coordinated_bodies_rule = load_named_words(*bo, r.coordinated_bodies);
    if (auto sm = ch->opt("shared_modifiers")) add_words(r.shared_modifiers, *sm, 0);
    if (auto se = ch->opt("shared_modifier_endings")) r.shared_modifier_endings = se->text();
    if (auto mm = ch->opt("max_modifier_chars")) r.coordinated_max_modifier = size_t(mm->integer(1, 20));
    if (auto mn = ch->opt("max_noun_chars")) r.coordinated_max_noun = size_t(mn->integer(0, 20));
    if (auto ml = ch->opt("max_listed_modifier_chars")) r.coordinated_max_listed = size_t(ml->integer(0, 20));
    r.coordinated_rule = ch->at("name").str();
    r.coordinators = ch->at("coordinators").text();
    if (auto ex = ch->opt("examples_before_count")) add_words(r.coordinated_examples, *ex, 0);
  }
  if (auto ow = root.opt("owners_of_work")) load_owners_of_work(*ow, r.owners_of_work);
  if (auto co = root.opt("count_owners")) {
    co->keys({"name", "words", "unnamed"});
    r.count_owner_rule = co->at("name").str();
    if (auto un = co->opt("unnamed")) r.count_owner_unnamed_rule = un->str();
    add_words(r.count_owners, co->at("words"), 0);
  }
  if (auto ls = root.opt("list_separators")) r.list_separators = ls->text();
  if (auto pk = root.opt("picks")) load_picks(*pk, r);
  r.max_after = size_t(root.at("max_chars_after").integer(0, SubjectRules::kMaxPhraseChars));
  r.max_before = size_t(root.at("max_chars_before").integer(0, SubjectRules::kMaxPhraseChars));
  if (auto reach = root.opt("max_chars_before_reach")) r.max_before_reach = size_t(reach->integer(0, 100));
  if (auto mq = root.opt("max_chars_after_quote")) r.max_after_quote = size_t(mq->integer(0, 20));
  r.boundary_chars = root.at("boundary_chars").text();
  for (char32_t c : r.boundary_chars)
    if (c < r.is_boundary.size()) r.is_boundary[c] = true;
  add_words(r.hard_stops, root.at("hard_stops"), 0);
  add_words(r.stops_after, root.at("stops_after"), 0);
  if (auto v = root.opt("verbs_after_noun")) add_words(r.verbs_after_noun, *v, 0);
  add_words(r.stops_before, root.at("stops_before"), 0);
  load_count_edges(root, r);  // after stops_after and stops_before, which it adds to
  add_words(r.verbs_before_figure, root.at("verbs_before_figure"), 0);
  add_words(r.copulas, root.at("copulas"), 0);
  add_words(r.nouns, root.at("nouns"), 0);
  if (auto g = root.opt("grade")) r.grade_rule = load_named_words(*g, r.grade_words);
  if (auto ra = root.opt("rated_activities")) load_rated_activities(*ra, r);
  r.noun_suffixes = root.at("noun_suffixes").text();
  r.single_char_stops_before = root.at("single_char_stops_before").text();
  r.head_marker = single_char(root.at("head_marker"));
  for (const Node& pair : root.at("quote_pairs").list()) {
    auto both = pair.list();
    if (both.size() != 2) pair.fail("expected [open, close]");
    r.quote_pairs.emplace_back(single_char(both[0]), single_char(both[1]));
  }
}

// NumberRules::damage_may_follow: every character that the damage rules, the ratio and
// the spaced point look at right after a run of digits (TokenReader::damage_at).
void mark_damage_may_follow(NumberRules& n) {
  auto mark = [&n](std::u32string_view chars) {
    for (char32_t c : chars)
      if (c < n.damage_may_follow.size()) n.damage_may_follow[c] = true;
  };
  for (const auto* chars : {&n.arabic_points, &n.spaced_points, &n.space_separators, &n.ratio.chars}) mark(*chars);
  for (const auto* rule : {&n.damaged_grouping, &n.damaged_inner_space, &n.damaged_letters, &n.damaged_stop,
                           &n.damaged_dotted_chain, &n.damaged_list_comma})
    mark(rule->chars);
}

// What the numeral recogniser needs to know from the other files: the words after
// which a one-character numeral is a numeral (units, range connectors, qualifiers),
// the set phrases that hold no numeral, and the ordinal prefixes.
void link_numbers(Rules& r) {
  NumberRules& n = r.numbers;
  n.single_followers.merge(r.quantities.unit_words, 0);
  n.single_followers.merge(r.quantities.money_part_words, 0);
  n.single_followers.merge(r.quantities.range_connectors, 0);
  n.single_followers.merge(r.qualifiers.after_numeral, 0);
  n.single_followers.merge(r.qualifiers.after_unit, 0);
  n.not_numerals.merge_offset(r.exclusions.set_phrases, NumberRules::kSetPhrase);  // kSetPhrase + its rule
  n.set_phrase_bounds = r.exclusions.set_phrase_bounds;
  n.not_numeral_exceptions.merge(r.exclusions.set_phrase_exceptions, 0);
  n.ordinal_prefixes.merge(r.quantities.ordinal_prefixes, 0);
  n.unit_words.merge(r.quantities.unit_words, 0);
  // 附近万亩良田, 签约亿元项目: the qualifiers' words that only end in 近 or 约 bound no bare
  // 万 or 亿 either.
  n.bare_big_not_bounds_before.merge(r.qualifiers.not_before, 0);
  // The characters a numeral can start with, so that the scan rejects the others at
  // the cost of one bit: digits, numeral characters, points, 几, 半, minus signs.
  auto mark = [&n](char32_t c) {
    if (c < n.may_start.size()) n.may_start[c] = true;
  };
  for (char32_t c = '0'; c <= '9'; ++c) mark(c);
  for (char32_t c : n.alphabet) mark(c);
  for (char32_t c : n.arabic_points) mark(c);
  for (char32_t c : n.ji_chars) mark(c);
  for (char32_t c : n.half_chars) mark(c);
  for (char32_t c : n.negative_words.first_chars()) mark(c);
  mark_damage_may_follow(n);
}

// The characters an item next to the figure must have at its side of it, as the
// composer looks the item up (src/fact_patterns.cpp, match_before and match_after): false
// when the item is not told by one character (a numeral, a range, a qualifier).
using Gates = FP::PatternGates;
bool item_before_chars(const FP::PatternItem& it, const Rules& r, Gates::Side& side, std::vector<char32_t>& chars) {
  switch (it.item) {
    case FP::Item::ordinal_prefix:  // longest_ending_at the figure's start
      side = Gates::before;
      chars = r.quantities.ordinal_prefixes.last_chars();
      return true;
    case FP::Item::ordinal_list_prefix:  // 第1、2: the figure is not its list's first one
      side = Gates::before;
      chars.assign(r.subjects.list_separators.begin(), r.subjects.list_separators.end());
      return true;
    case FP::Item::currency_prefix:  // FactText::word_ending_at
      side = Gates::before_spaced;
      chars = r.quantities.prefix_words.last_chars();
      return true;
    case FP::Item::words:
      side = Gates::before_spaced;
      chars = it.words->last_chars();
      return true;
    default:
      return false;
  }
}

bool item_after_chars(const FP::PatternItem& it, bool spaces, const Rules& r, Gates::Side& side,
                      std::vector<char32_t>& chars) {
  const QuantityRules& q = r.quantities;
  side = spaces ? Gates::after_spaced : Gates::after;
  const Lexicon* words = nullptr;
  switch (it.item) {
    case FP::Item::unit:  // FactText::unit_at, spaces skipped whatever the pattern says
      side = Gates::after_spaced;
      if (it.words) {
        chars = it.words->first_chars();
        return true;
      }
      chars = q.unit_words.first_chars();
      for (char32_t c : q.cued_unit_words.first_chars()) chars.push_back(c);
      return true;
    case FP::Item::range_connector: words = &q.range_connectors; break;
    case FP::Item::year_word: words = &q.year_words; break;
    case FP::Item::month_word: words = &q.month_words; break;
    case FP::Item::after_month: words = &q.after_month; break;
    case FP::Item::day_word: words = &q.day_words; break;
    case FP::Item::words: words = &*it.words; break;
    default: return false;
  }
  chars = words->first_chars();
  return true;
}

// facts.json patterns: the gates of the first 64 (FactPatternRules::gates). A pattern is
// gated by its required item right before the figure, the first the composer matches;
// else, for a date, by its required item right after it (a quantity first reads the
// figure's own end, 5千米, and may be refused on it whatever follows: no gate).
void link_fact_patterns(Rules& r) {
  FP& f = r.facts;
  f.gates = Gates();
  std::vector<std::pair<char32_t, uint64_t>> by_char[Gates::kSides];
  for (size_t k = 0; k < f.patterns.size() && k < 64; ++k) {
    const FP::Pattern& p = f.patterns[k];
    uint64_t bit = uint64_t(1) << k;
    Gates::Side side = Gates::before;
    std::vector<char32_t> chars;
    bool gated = p.anchor > 0 && !p.items[p.anchor - 1].optional && item_before_chars(p.items[p.anchor - 1], r, side, chars);
    if (!gated && p.produce == FP::Production::date && p.anchor + 1 < p.items.size() && !p.items[p.anchor + 1].optional)
      gated = item_after_chars(p.items[p.anchor + 1], p.spaces, r, side, chars);
    if (!gated) {
      f.gates.ungated |= bit;
      continue;
    }
    for (char32_t c : chars) by_char[side].push_back({c, bit});
  }
  for (int side = 0; side < Gates::kSides; ++side) {  // one entry a character, its patterns together
    auto& entries = by_char[side];
    std::sort(entries.begin(), entries.end());
    auto& table = f.gates.by_char[side];
    for (const auto& [c, bit] : entries) {
      if (table.empty() || table.back().first != c) table.push_back({c, 0});
      table.back().second |= bit;
      size_t filter_bit = Gates::filter_bit(c);
      f.gates.filter[side][filter_bit >> 6] |= uint64_t(1) << (filter_bit & 63);
    }
  }
}

using Loader = std::function<void(const Node&, Rules&)>;

const std::map<std::string, Loader>& loaders() {
  static const std::map<std::string, Loader> table = {
      {"layout.json", [](const Node& n, Rules& r) { load_layout(n, r.layout); }},
      {"structure.json", [](const Node& n, Rules& r) { load_structure(n, r.structure); }},
      {"sentences.json", [](const Node& n, Rules& r) { load_sentences(n, r.sentences); }},
      {"periods.json", [](const Node& n, Rules& r) { load_periods(n, r.periods); }},
      {"numbers.json", [](const Node& n, Rules& r) { load_numbers(n, r.numbers); }},
      {"kinds.json", [](const Node& n, Rules& r) { load_kinds(n, r.kinds); }},
      {"aspects.json", [](const Node& n, Rules& r) { load_aspects(n, r.aspects, r.kinds); }},
      {"quantities.json", [](const Node& n, Rules& r) { load_quantities(n, r.quantities, r.kinds); }},
      {"qualifiers.json", [](const Node& n, Rules& r) { load_qualifiers(n, r.qualifiers); }},
      {"exclusions.json", [](const Node& n, Rules& r) { load_exclusions(n, r.exclusions); }},
      {"subjects.json", [](const Node& n, Rules& r) { load_subjects(n, r.subjects); }},
      {"facts.json", [](const Node& n, Rules& r) { load_facts(n, r.facts, r.kinds); }},
  };
  return table;
}

std::string rules_file_names() {
  std::string out;
  for (const auto& [name, loader] : loaders()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// Rules files that their own command loads (panel.json: `digestx panel`), not the pipeline.
bool loaded_elsewhere(const std::string& name) { return name == "panel.json"; }

}  // namespace

NumberRules::LeftOutReason NumberRules::left_out_reason(std::string_view rule_name) const {
  if (rule_name.empty())
    return {"figure_unrepresentable",
            "a figure left out: its value cannot be represented exactly (more than 36 digits, "
            "beyond 10^36, or below 10^-30 where it would read as 0)"};
  std::string named = " (" + std::string(rule_name) + ")";
  if (const DamageRule* rule = damage_rule(rule_name)) return {rule->code, rule->warning + named};
  return {"figure_damaged", "a figure left out: its digits are damaged" + named};
}

const std::string& StructureRules::placement_name(HeadlinePlacement::Produce p) const {
  static const std::string none;
  for (const HeadlinePlacement& h : placements)
    if (h.produce == p) return h.name;
  return none;
}

std::string rules_fingerprint(const std::vector<RulesFile>& files) {
  std::vector<const RulesFile*> by_name;
  for (const RulesFile& f : files) by_name.push_back(&f);
  std::sort(by_name.begin(), by_name.end(), [](const RulesFile* a, const RulesFile* b) { return a->name < b->name; });
  std::string all;
  for (const RulesFile* f : by_name) all += f->text;
  return "sha256:" + sha256_hex(all);
}

namespace generated {
// The built-in rules files without comments, flattened, k-th named by the k-th name
// (src/gen/rules_compact_gen.cpp).
extern const char* const kCompactRulesNames[];
extern const size_t kCompactRulesCount;
extern const JsonTreeView kRulesTrees[];
}  // namespace generated

namespace {

// Whether the rules being compiled on this thread are the built-in ones (see
// loading_built_in); the test suite compiles them with every check, and their regular
// expressions at load, through compile_rules.
struct LazyScope {
  bool was = loading_built_in;
  explicit LazyScope(bool lazy) { loading_built_in = lazy; }
  ~LazyScope() { loading_built_in = was; }
};

// The loader of the rules file `name`; `display` names it in the complaint.
const Loader& loader_of(const std::string& name, const std::string& display) {
  auto it = loaders().find(name);
  if (it == loaders().end()) throw RulesError(display, "", "not a rules file (expected one of " + rules_file_names() + ")");
  return it->second;
}

// Loads one rules file, given as a flat tree, into `rules`; `display` names it in
// complaints. False for a file that another command loads (panel.json).
bool load_file(const std::string& name, const std::string& display, const JsonTreeView& tree, Rules& rules) {
  if (loaded_elsewhere(name)) return false;
  loader_of(name, display)(Node(tree, 0, display), rules);
  return true;
}

// The order in which to load `n` files named by name_of(k): the registry first, as the
// other files name its kinds and aspects, then by name, however the files were listed,
// so that the built-in rules change their lexicons in the order their tables were
// written in (see LexiconSequence).
template <class NameOf>
std::vector<size_t> load_order(size_t n, NameOf name_of) {
  std::vector<size_t> order(n);
  for (size_t k = 0; k < n; ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    std::string_view x = name_of(a), y = name_of(b);
    return std::make_pair(x != "kinds.json", x) < std::make_pair(y != "kinds.json", y);
  });
  return order;
}

// Every rules file loaded: the links between them, and the fingerprint.
std::shared_ptr<const Rules> finish(std::shared_ptr<Rules> rules, const std::set<std::string>& seen, std::string fingerprint) {
  for (const auto& [name, loader] : loaders())
    if (!seen.count(name)) throw RulesError(name, "", "missing rules file");
  link_numbers(*rules);
  link_fact_patterns(*rules);
  // A figure's label may hold a digit before the subjects' head marker only (超10万元的村):
  // one marker, subjects.json's, for the layout's figure lines too.
  rules->layout.figure_label.head_marker = rules->subjects.head_marker;
  // A paragraph ending in a soft stop (…5家.) is finished as one ending in 。 is.
  rules->structure.soft_stops = rules->sentences.soft_stops;
  rules->structure.soft_stops_unless = rules->sentences.soft_stops_unless;
  rules->periods.speech_marks = rules->exclusions.speech_marks;
  rules->numbers.soft_stops = rules->sentences.soft_stops;
  rules->numbers.soft_stops_unless = rules->sentences.soft_stops_unless;
  rules->numbers.decimal_after_words = rules->sentences.decimal_after_words;
  rules->fingerprint = std::move(fingerprint);
  return rules;
}

// The built-in rules, from their flat trees written at build time (the values without
// the comments, which the loaders skip): no file text is copied and nothing parsed.
std::shared_ptr<const Rules> load_built_in() {
  LazyScope lazy_scope(true);
  auto rules = std::make_shared<Rules>();
  std::set<std::string> seen;
  for (size_t k : load_order(generated::kCompactRulesCount, [](size_t k) { return generated::kCompactRulesNames[k]; })) {
    std::string name = generated::kCompactRulesNames[k];
    if (load_file(name, name, generated::kRulesTrees[k], *rules)) seen.insert(name);
  }
  return finish(std::move(rules), seen, embedded_rules_fingerprint());
}

// The built-in rules with their word lists read in place from the tables written at
// build time. Should the loader ever change more or fewer lexicons than the tables
// hold, it builds them instead.
std::shared_ptr<const Rules> compile_built_in() {
  {
    LexiconSequence tables(built_in_lexicon_pool(), generated::kLexiconImages, generated::kLexiconImageCount);
    std::shared_ptr<const Rules> rules = load_built_in();
    if (tables.complete()) return rules;
  }
  return load_built_in();
}

}  // namespace

std::shared_ptr<const Rules> compile_rules(const std::vector<RulesFile>& files) {
  LazyScope lazy_scope(false);
  auto rules = std::make_shared<Rules>();
  std::set<std::string> seen;
  for (size_t k : load_order(files.size(), [&](size_t k) -> const std::string& { return files[k].name; })) {
    const RulesFile& f = files[k];
    const std::string& display = f.path.empty() ? f.name : f.path;
    if (loaded_elsewhere(f.name)) continue;
    loader_of(f.name, display);  // before parsing: a file of another name is no rules file
    JsonTree tree;
    try {
      tree = flatten_json(json::parse(f.text));
    } catch (const json::exception& e) {  // parse errors, and numbers out of range (1e999)
      throw RulesError(display, "", std::string("malformed JSON: ") + e.what());
    }
    if (load_file(f.name, display, tree.view(), *rules)) seen.insert(f.name);
  }
  return finish(std::move(rules), seen, rules_fingerprint(files));
}

namespace {
BuiltInRulesSource built_in_rules_source = nullptr;
}  // namespace

void set_built_in_rules_source(BuiltInRulesSource source) { built_in_rules_source = source; }

std::shared_ptr<const Rules> compile_default_rules() { return compile_built_in(); }

// Never freed: the built-in rules live until the process ends, and freeing their word
// lists at exit cost 2.2 M instructions, 5% of a run on a one-line file.
std::shared_ptr<const Rules> default_rules() {
  static const auto* rules = [] {
    std::shared_ptr<const Rules> given = built_in_rules_source ? built_in_rules_source() : nullptr;
    return new std::shared_ptr<const Rules>(given ? std::move(given) : compile_built_in());
  }();
  return *rules;
}

namespace {

// A rules file is a regular file of at most kMaxRulesFileBytes: a FIFO would block
// the run, a device (a symlink to /dev/zero) would fill the memory. Opened without
// blocking, checked with fstat on the descriptor read from (no race with a swap),
// and read no further than the limit even if it grows meanwhile.
std::string read_rules_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw RulesError(path, "", std::string("cannot be read: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw RulesError(path, "", std::string("cannot be read: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw RulesError(path, "", "is a directory");
  if (!S_ISREG(st.st_mode)) throw RulesError(path, "", "is not a regular file (a FIFO, a device or a socket)");
  auto too_large = [&] {
    return RulesError(path, "", "is larger than " + std::to_string(kMaxRulesFileBytes >> 20) + " MiB");
  };
  if (uint64_t(st.st_size) > kMaxRulesFileBytes) throw too_large();
  std::string text;
  constexpr size_t kChunk = size_t(1) << 16;  // on the heap, as read_fd's (ulimit -s 64)
  std::unique_ptr<char[]> buf(new char[kChunk]);
  for (;;) {
    ssize_t n = ::read(fd, buf.get(), kChunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) throw RulesError(path, "", std::string("cannot be read: ") + std::strerror(errno));
    if (n == 0) break;
    if (text.size() + size_t(n) > kMaxRulesFileBytes) throw too_large();
    text.append(buf.get(), size_t(n));
  }
  return text;
}

}  // namespace

std::shared_ptr<const Rules> load_rules_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw RulesError(dir, "", "not a directory");
  std::map<std::string, RulesFile> files_by_name;
  for (const RulesFile& f : embedded_rules_files()) files_by_name[f.name] = f;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    std::string name = entry.path().filename().string();
    if (!loaders().count(name) && !loaded_elsewhere(name)) throw RulesError((fs::path(dir) / name).string(), "", "not a rules file");
    std::error_code type_ec;
    if (entry.is_directory(type_ec)) throw RulesError((fs::path(dir) / name).string(), "", "is a directory");
    files_by_name[name] = {name, read_rules_file(entry.path().string()), entry.path().string()};
  }
  if (ec) throw RulesError(dir, "", "cannot be listed: " + ec.message());
  std::vector<RulesFile> files;
  for (auto& [name, file] : files_by_name) files.push_back(file);
  return compile_rules(files);
}

}  // namespace digestx
