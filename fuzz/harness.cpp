#include "harness.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "digestx/output.hpp"
#include "digestx/output_csv.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/render.hpp"
#include "digestx/rules.hpp"
#include "digestx/utf.hpp"

namespace digestx::fuzz {

namespace {

// Inputs up to this size also go through a forced encoding and --year: the paths
// of `--encoding` and of the year override get their share of the fuzzing time.
constexpr size_t kSmallInput = 4096;
const char* const kForcedEncodings[] = {"GB18030", "Big5", "UTF-16BE", "UTF-8"};

const Rules& rules() {
  static const std::shared_ptr<const Rules> built_in = default_rules();
  return *built_in;
}

[[noreturn]] void broken(const std::string& what) {
  std::fprintf(stderr, "digestx fuzz: broken promise: %s\n", what.c_str());
  std::abort();
}

void expect(bool ok, const std::string& what) {
  if (!ok) broken(what);
}

std::string show(Span s) { return "[" + std::to_string(s.start) + ", " + std::to_string(s.end) + ")"; }

// A span of a field that holds text: not empty and inside the decoded text.
void expect_span(Span s, size_t chars, const std::string& what) {
  expect(s.start < s.end && s.end <= chars, what + " span " + show(s) + " outside the text of " +
                                                std::to_string(chars) + " code points");
}

// An optional field (organization, role, name, a sidebar's label): empty is null.
void expect_optional_span(Span s, size_t chars, const std::string& what) {
  if (s.start == s.end) return;
  expect_span(s, chars, what);
}

// Pieces of one field: each inside the text, in reading order, not overlapping.
void expect_pieces(const Pieces& pieces, size_t chars, const std::string& what) {
  uint32_t after = 0;
  for (const Span& p : pieces) {
    expect_span(p, chars, what);
    expect(p.start >= after, what + " pieces out of order at " + show(p));
    after = p.end;
  }
}

void expect_facts(const std::vector<Fact>& facts, size_t chars, const std::string& where) {
  for (size_t i = 0; i < facts.size(); ++i) {
    const Fact& f = facts[i];
    std::string what = where + " fact " + std::to_string(i);
    expect_span(f.span, chars, what);
    expect_pieces(f.subject, chars, what + " subject");
    expect(!f.kind.empty(), what + " has no kind");
    if (f.range) expect(f.range->first <= f.range->second, what + " range low above high");
  }
}

// The facts of a unit or sidebar come from its paragraphs: none lies outside them.
void expect_facts_inside(const std::vector<Fact>& facts, const std::vector<Paragraph>& paragraphs,
                         const std::string& where) {
  if (facts.empty()) return;
  expect(!paragraphs.empty(), where + " has facts but no paragraph");
  uint32_t first = covering(paragraphs.front().pieces).start, last = covering(paragraphs.back().pieces).end;
  for (const Fact& f : facts)
    expect(f.span.start >= first && f.span.end <= last, where + " fact " + show(f.span) + " outside its paragraphs");
}

void expect_paragraphs(const std::vector<Paragraph>& paragraphs, size_t chars, const std::string& where) {
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    const Paragraph& p = paragraphs[i];
    std::string what = where + " paragraph " + std::to_string(i);
    expect(!p.pieces.empty(), what + " has no text");
    expect_pieces(p.pieces, chars, what);
    Span whole = covering(p.pieces);
    uint32_t after = whole.start;
    for (const Sentence& s : p.sentences) {
      expect_pieces(s.pieces, chars, what + " sentence");
      Span in = covering(s.pieces);
      expect(in.start >= whole.start && in.end <= whole.end, what + " sentence " + show(in) + " outside it");
      expect(in.start >= after, what + " sentences overlap or are out of order at " + show(in));
      after = in.end;
    }
  }
}

// Every span of the document indexes its text, and the warnings about replaced
// bytes point at the U+FFFD that replaced them.
void expect_document(const Document& doc) {
  size_t n = doc.text.size();
  expect_pieces(doc.title, n, "title");
  expect_pieces(doc.subtitle, n, "subtitle");
  expect_pieces(doc.region, n, "region");
  for (size_t i = 0; i < doc.sidebars.size(); ++i) {
    const Sidebar& sb = doc.sidebars[i];
    std::string where = "sidebar " + std::to_string(i);
    expect_optional_span(sb.label, n, where + " label");
    expect_paragraphs(sb.paragraphs, n, where);
    expect_facts(sb.facts, n, where);
    expect_facts_inside(sb.facts, sb.paragraphs, where);
  }
  expect(!doc.units.empty(), "a document with no unit");
  for (size_t i = 0; i < doc.units.size(); ++i) {
    const Unit& u = doc.units[i];
    std::string where = "unit " + std::to_string(i);
    expect(u.has_heading || u.heading.empty(), where + " has a heading span but no heading");
    expect_pieces(u.heading, n, where + " heading");
    expect_pieces(u.headline, n, where + " headline");
    expect_optional_span(u.organization, n, where + " organization");
    expect_optional_span(u.role, n, where + " role");
    expect_optional_span(u.name, n, where + " name");
    expect_paragraphs(u.paragraphs, n, where);
    expect_facts(u.facts, n, where);
    expect_facts_inside(u.facts, u.paragraphs, where);
  }
  for (const Warning& w : doc.warnings) {
    if (!w.has_span) continue;
    expect_span(w.span, n, "warning " + w.code);
    if (w.code == "invalid_bytes") expect(doc.text[w.span.start] == 0xFFFD, "invalid_bytes warning not on a U+FFFD");
  }
}

nlohmann::json parse_json(const std::string& text, const std::string& what) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    broken(what + " is not JSON: " + e.what());
  }
}

// The JSON says what the document holds: every fact's text is the source slice.
void expect_json(const Document& doc, const nlohmann::json& j) {
  expect(j.at("format") == "digestx/1", "format is not digestx/1");
  expect(j.at("source").at("chars") == doc.text.size(), "source.chars is not the decoded length");
  const auto& units = j.at("units");
  expect(units.size() == doc.units.size(), "JSON units differ from the document");
  for (size_t i = 0; i < doc.units.size(); ++i) {
    const auto& facts = units[i].at("facts");
    expect(facts.size() == doc.units[i].facts.size(), "JSON facts differ from the document");
    for (size_t k = 0; k < facts.size(); ++k) {
      const Fact& f = doc.units[i].facts[k];
      expect(facts[k].at("text") == to_utf8(std::u32string_view(doc.text).substr(f.span.start, f.span.size())),
             "fact text is not the source slice of its span");
    }
  }
}

// Returns the compact JSON of the document ("" for an InputError).
std::string run_extract(std::string_view bytes, const ExtractOptions& options, const Rules& with = rules()) {
  SourceInfo source;
  source.path = "fuzz-input";
  Document doc;
  try {
    doc = extract(bytes, source, with, options);
  } catch (const InputError&) {
    return {};  // a clear error is a fine answer to bad bytes
  }
  expect_document(doc);
  std::string compact;
  write_document(compact, doc, OutputOptions{false, options.explain});
  expect_json(doc, parse_json(compact, "the document"));
  std::string pretty;
  write_document(pretty, doc, OutputOptions{true, false});  // --pretty: the same writer, indented
  std::string table;
  write_facts_header(table, CsvOptions{});
  write_facts_rows(table, doc, CsvOptions{});
  write_units_header(table, CsvOptions{});
  write_units_rows(table, doc, CsvOptions{});
  std::string page = render_page(doc);
  expect(page.find("</html>") != std::string::npos, "the review page is not whole");
  return compact;
}

void expect_line(const LineAnalysis& a) {
  size_t n = a.text.size();
  uint32_t after = 0;
  for (const Numeral& num : a.numerals) {
    Span s{num.begin, num.end};
    expect_span(s, n, "numeral");
    expect(num.begin >= after, "numerals overlap or are out of order at " + show(s));
    after = num.end;
    if (num.per_power > 0) expect(num.per_begin <= num.begin, "parts-per mark after its numeral");
    if (num.low && num.high) expect(*num.low <= *num.high, "numeral range low above high at " + show(s));
  }
  expect_facts(a.facts, n, "line");
}

void numbers_of_lines(std::u32string_view text, const Rules& with) {
  std::string out;
  for_each_line(text, [&](std::u32string_view text_line) {
    std::u32string line(text_line);
    parse_numeral(line, with.numbers);
    LineAnalysis a = analyse_line(std::move(line), with, true);
    expect_line(a);
    out.clear();
    write_line(out, a, OutputOptions{false, true});
    nlohmann::json j = parse_json(out, "a numbers line");
    expect(j.at("numbers").size() == a.numerals.size(), "JSON numbers differ from the numerals");
  });
}

// What the rules target runs with the rules it made: a digest with the usual shapes
// (title, subtitle with a year, sidebar, headings in three markups, figures of every
// kind, quotes, periods), and the same lines one by one.
const char kRulesProbe[] =
    "# 强根铸魂抓党建 凝心聚力促发展\n\n"
    "## ——三亚市2022年度区、市直党(工)委书记抓基层党建工作述职评议会述职报告摘登\n\n"
    "■核心提示 一年来，全市新建党群服务中心12个。\n\n"
    "### 海棠区委书记鲁正兰: 开拓党建引领基层治理“海棠路径”\n\n"
    "去年,海棠区重建村(社区)101个网格;组建党员突击队54支,拨付专项经费100万元,发放慰问金39.6万余元。"
    "党员参训率达百分之八十五，增长2.5个百分点，约三成，翻了两番，第一批3至5个，大于100并且小于300。\n"
    "今年,海棠区将新增公办学位10,344个、“一肩挑”比例提高到95%以上，投入50元6角三分，2023年3月15日完成。\n\n"
    "【吉阳区委书记孙德震】\n\n"
    "过去一年，吉阳区3500余名党员下沉一线，十余万群众受益，两三个村、二十几万元、三分之一。\n"
    "**天涯区委书记王大明：抓党建促发展**\n下一步，天涯区将建设15分钟生活圈，www.sanya.gov.cn 4G 5G 3.0.1版。\n";

}  // namespace

void run_rules(std::string_view bytes) {
  if (bytes.empty()) return;
  std::vector<RulesFile> files = embedded_rules_files();
  std::sort(files.begin(), files.end(), [](const RulesFile& a, const RulesFile& b) { return a.name < b.name; });
  RulesFile& replaced = files[static_cast<unsigned char>(bytes[0]) % files.size()];
  replaced.text = std::string(bytes.substr(1));
  std::shared_ptr<const Rules> made;
  try {
    made = compile_rules(files);
  } catch (const RulesError&) {
    return;  // refused with the file and the JSON pointer: a fine answer
  }
  ExtractOptions explained;
  explained.explain = true;
  run_extract(kRulesProbe, explained, *made);
  numbers_of_lines(from_utf8(kRulesProbe), *made);
}

void run_numbers(std::string_view bytes) { numbers_of_lines(from_utf8(bytes), rules()); }

void run_pipeline(std::string_view bytes) {
  ExtractOptions plain;
  plain.explain = true;
  std::string one_thread = run_extract(bytes, plain);
  if (bytes.size() <= kSmallInput) {
    // Units on two threads (-j 2): the same document, byte for byte.
    ExtractOptions threaded = plain;
    threaded.threads = 2;
    expect(run_extract(bytes, threaded) == one_thread, "the document differs on two threads");
    ExtractOptions forced;
    forced.decode.encoding = kForcedEncodings[bytes.size() % std::size(kForcedEncodings)];
    forced.year = 2021;
    run_extract(bytes, forced);
  }
}

}  // namespace digestx::fuzz
