// End to end: every digest under samples/ and tests/data/ that has a gold file
// (annotation format of ../shared/spec/annotation.md) is extracted and checked
// field by field, the way score.py scores it, so the suite needs no ../shared.
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <thread>

#include "digestx/output.hpp"
#include "digestx/output_csv.hpp"
#include "digestx/pipeline.hpp"
#include "digestx/utf.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

namespace fs = std::filesystem;

// tests/data/gold-only: digests whose gold ../shared/tools/score.py cannot place (it finds a
// unit by its organisation, role and name apart by white space only, and 【桃源乡】赵丽：…
// has a mark between them), so score_samples.py does not read them: checked here only.
std::vector<std::string> gold_files() {
  std::vector<std::string> out;
  for (const char* dir : {"samples", "tests/data", "tests/data/gold-only"}) {
    if (!fs::exists(source_path(dir))) continue;
    for (const auto& e : fs::directory_iterator(source_path(dir))) {
      std::string p = e.path().string();
      if (p.size() > 10 && p.substr(p.size() - 10) == ".gold.json") out.push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string squeeze(const std::string& s) {
  std::u32string u = from_utf8(s), out;
  for (char32_t c : u)
    if (!is_space(c) && !is_line_break(c)) out += c;
  return to_utf8(out);
}

std::string str(const nlohmann::json& j) { return j.is_null() ? "<null>" : j.get<std::string>(); }
// A gold unit field written "" is one the heading does not state (城关镇　党委书记 has no
// name): the scorer finds a gold heading by its organisation, role and name in the
// source, so the gold writes "" where the output gives null.
std::string gold_field(const nlohmann::json& j) { return j.is_string() && j.get<std::string>().empty() ? "<null>" : str(j); }

// Whether a warning of `code` names exactly this span.
bool warned_at(const nlohmann::json& d, const char* code, const nlohmann::json& span) {
  for (const auto& w : d["warnings"])
    if (w["code"] == code && w.contains("span") && w["span"] == span) return true;
  return false;
}

class Documents : public testing::TestWithParam<std::string> {};

TEST_P(Documents, MatchGold) {
  nlohmann::json gold = nlohmann::json::parse(read_file(GetParam()));
  fs::path txt = fs::path(GetParam()).parent_path() / gold.at("sample").get<std::string>();
  std::string bytes = read_file(txt.string());
  Document doc = extract(bytes, {txt.string(), "", false, 0}, rules());
  std::string out;
  write_document(out, doc, {});
  nlohmann::json d = nlohmann::json::parse(out);
  std::u32string text = doc.page.empty() ? doc.text : doc.page.page;  // the JSON's spans count the file's characters

  for (const char* key : {"title", "subtitle", "region", "report_year"})
    if (gold.contains(key)) EXPECT_EQ(d[key], gold[key]) << key;
  ASSERT_EQ(d["units"].size(), gold["units"].size());
  for (size_t i = 0; i < gold["units"].size(); ++i)
    for (const char* key : {"organization", "role", "name", "headline"})
      EXPECT_EQ(squeeze(str(d["units"][i][key])), squeeze(gold_field(gold["units"][i][key]))) << "unit " << i << " " << key;

  // Provenance: a heading's span gives back the heading once line breaks and spaces go.
  for (const auto& u : d["units"]) {
    if (u["span"].is_null()) continue;
    size_t b = u["span"][0], e = u["span"][1];
    EXPECT_EQ(squeeze(to_utf8(text.substr(b, e - b))), squeeze(u["heading"].get<std::string>()));
  }

  // Each gold fact: found in its owner's facts at the same text position with the same value.
  size_t subjects = 0, subjects_ok = 0;
  auto check_block = [&](const nlohmann::json& gold_block, const nlohmann::json& got_block, const std::string& where) {
    std::vector<bool> used(got_block["facts"].size(), false);
    for (const auto& g : gold_block.value("facts", nlohmann::json::array())) {
      std::string gt = g["text"];
      bool found = false;
      for (size_t k = 0; k < got_block["facts"].size() && !found; ++k) {
        const auto& f = got_block["facts"][k];
        std::string ft = f["text"];
        if (used[k] || (ft.find(gt) == std::string::npos && gt.find(ft) == std::string::npos)) continue;
        if (f["value"].is_null() || std::abs(f["value"].get<double>() - g["value"].get<double>()) > 1e-9) continue;
        used[k] = true;
        found = true;
        EXPECT_EQ(f["kind"], g["kind"]) << where << " " << gt;
        EXPECT_EQ(f["unit"], g["unit"]) << where << " " << gt;
        EXPECT_EQ(f["qualifier"], g["qualifier"]) << where << " " << gt;
        EXPECT_EQ(f["period"], g["period"]) << where << " " << gt;
        if (g.contains("range") && !g["range"].is_null()) EXPECT_EQ(f["range"], g["range"]) << where << " " << gt;
        // A subject left out by design and warned on the figure's span (subject_unpaired:
        // 3个 of 新建党群服务中心、便民服务站3个、10个) is not scored: the miss is not silent.
        if (!g["subject"].is_null() && !(f["subject"].is_null() && warned_at(d, "subject_unpaired", f["span"]))) {
          ++subjects;
          std::string ps = f["subject"].is_null() ? "" : f["subject"].get<std::string>();
          std::string gs = g["subject"];
          bool ok = !ps.empty() && (ps.find(gs) != std::string::npos || gs.find(ps) != std::string::npos) &&
                    from_utf8(ps).size() <= from_utf8(gs).size() + 6;
          subjects_ok += ok;
        }
      }
      // A gold fact that digestx leaves out by design, no reading being certain (1，200万元:
      // thousands or a list), is marked "left_out": a figure_damaged warning must then give
      // its figure, the span's text opening the fact's (1，200 of 1，200万元), so that the
      // miss is never silent.
      // A known defect, named in the gold (known_defect: a paragraph left out as a caption
      // without a word): not required to be warned, but listed so that it stays visible.
      if (!found && g.value("left_out", false) && g.contains("known_defect")) {
        std::cout << where << ": " << gt << " known defect: " << g["known_defect"].get<std::string>() << "\n";
        continue;
      }
      // Or a caption_dropped warning names the line that holds it: a line closed by a
      // credit, left out as a caption by its shape alone (…活动86场，服务群众1.2万人次。
      // （记者　刘洋　摄）), its figures stated nowhere else in the unit.
      if (!found && g.value("left_out", false)) {
        bool warned = false;
        for (const auto& w : d["warnings"]) {
          if (!w.contains("span") || w["span"].is_null()) continue;
          size_t b = w["span"][0], e = w["span"][1];
          std::string figure = e > b ? to_utf8(text.substr(b, e - b)) : std::string();
          if (w["code"] == "figure_damaged") warned = warned || (!figure.empty() && gt.compare(0, figure.size(), figure) == 0);
          if (w["code"] == "caption_dropped") warned = warned || figure.find(gt) != std::string::npos;
        }
        EXPECT_TRUE(warned) << where << ": " << gt << " left out without a warning";
        continue;
      }
      EXPECT_TRUE(found) << where << ": missed " << gt;
    }
    // Quantities outside the gold facts must sit inside an ignore string.
    for (size_t k = 0; k < got_block["facts"].size(); ++k) {
      const auto& f = got_block["facts"][k];
      std::string kind = f["kind"];
      if (used[k] || !rules().kinds.is_quantity(kind)) continue;
      bool ignored = false;
      for (const auto& ig : gold_block.value("ignore", nlohmann::json::array()))
        ignored = ignored || ig.get<std::string>().find(f["text"].get<std::string>()) != std::string::npos;
      EXPECT_TRUE(ignored) << where << ": false fact " << f["text"] << " (" << kind << ")";
    }
  };
  for (size_t i = 0; i < gold["units"].size(); ++i) check_block(gold["units"][i], d["units"][i], "unit " + std::to_string(i));
  // A caption_dropped warning names a line holding a figure the gold has left out (no
  // caption restating its unit's figure, nor one of a date alone, is warned).
  for (const auto& w : d["warnings"]) {
    if (w["code"] != "caption_dropped" || w["span"].is_null()) continue;
    size_t b = w["span"][0], e = w["span"][1];
    std::string line = to_utf8(text.substr(b, e - b));
    bool holds_left_out = false;
    for (const auto& u : gold["units"])
      for (const auto& g : u.value("facts", nlohmann::json::array()))
        holds_left_out = holds_left_out || (g.value("left_out", false) && line.find(g["text"].get<std::string>()) != std::string::npos);
    for (const auto& u : gold.value("sidebars", nlohmann::json::array()))
      for (const auto& g : u.value("facts", nlohmann::json::array()))
        holds_left_out = holds_left_out || (g.value("left_out", false) && line.find(g["text"].get<std::string>()) != std::string::npos);
    EXPECT_TRUE(holds_left_out) << "caption_dropped on a line without a figure left out: " << line;
  }
  const auto& gsb = gold.value("sidebars", nlohmann::json::array());
  for (size_t i = 0; i < gsb.size(); ++i) {
    ASSERT_LT(i, d["sidebars"].size());
    check_block(gsb[i], d["sidebars"][i], "sidebar " + std::to_string(i));
  }
  if (subjects > 0) EXPECT_GE(double(subjects_ok) / double(subjects), 0.85) << subjects_ok << "/" << subjects;
}

INSTANTIATE_TEST_SUITE_P(Gold, Documents, testing::ValuesIn(gold_files()), [](const auto& info) {
  std::string name = fs::path(info.param).filename().string();
  name = name.substr(0, name.size() - 10);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
});

// A PostWork that runs each posted batch on a thread of its own, as a batch's idle
// workers would: the next window is filled while the writer writes the one before.
PostWork thread_post() {
  return [](size_t n, std::function<void(size_t)> work) -> std::function<void()> {
    auto error = std::make_shared<std::exception_ptr>();
    auto thread = std::make_shared<std::thread>([n, work = std::move(work), error] {
      try {
        for (size_t i = 0; i < n; ++i) work(i);
      } catch (...) {
        *error = std::current_exception();
      }
    });
    return [thread, error] {
      thread->join();
      if (*error) std::rethrow_exception(*error);
    };
  };
}

// A large document streamed (units filled as they are written, a window at a time, then
// freed) writes the same bytes as the document filled whole: the digests one after
// another past one window of units, with a figure too long to represent in a unit
// of the second window and a note from the caller, whose warnings come last.
TEST(Documents, StreamedWritesTheSameBytes) {
  std::string digest = read_file(source_path("samples/sanya-2022.txt"));
  std::string bytes = "去年发放补贴1234567890123456789012345678901234567890元。\n\n";
  while (bytes.size() < 3500000) bytes += digest + "\n\n";
  // …and a line closed by a credit, left out as a caption, whose figures its unit states
  // nowhere else (caption_dropped, told on both paths alike).
  bytes += "### 吉阳区委书记孙德震：\n去年发放补贴1234567890123456789012345678901234567890元。\n"
           "　　全年开展“邻里节”活动45场，参与居民1.5万人次。（记者　赵阳　摄）\n";
  SourceInfo source;
  source.path = "many.txt";
  Warning note{"year_overridden", "a note from the caller", false, {}};
  Document whole = extract(bytes, source, rules());
  EXPECT_TRUE(std::any_of(whole.warnings.begin(), whole.warnings.end(),
                          [](const Warning& w) { return w.code == "caption_dropped"; }));
  whole.warnings.push_back(note);
  std::string expected;
  write_document(expected, whole, OutputOptions{});
  for (int round = 0; round < 4; ++round) {
    bool explain = round & 1, ahead = round & 2;
    ExtractOptions eo;
    eo.explain = explain;
    if (ahead) eo.post = thread_post();
    OutputOptions oo{false, explain};
    std::string want = expected;
    if (explain) {
      Document d = extract(bytes, source, rules(), eo);
      d.warnings.push_back(note);
      want.clear();
      write_document(want, d, oo);
    }
    StreamedDocument streamed = extract_streamed(std::string(bytes), source, rules(), eo);
    streamed.trailing_warnings.push_back(note);
    UnitStream hooks = streamed.stream();
    std::string got;
    write_document(got, streamed.doc, oo, {}, &hooks);
    EXPECT_EQ(got, want) << "explain " << explain << ", ahead " << ahead;
    EXPECT_EQ(streamed.facts(), count_facts(whole));
    EXPECT_TRUE(streamed.doc.units.empty());  // given one at a time by the hooks, freed once written
  }
}

// A fault in one unit of a streamed document (units before it are written already)
// costs that unit only: it is written without facts, a unit_failed warning with its
// span says so, and failed_units() tells the caller the run failed. Filled whole, the
// same fault still fails the document.
TEST(Documents, StreamedUnitFaultCostsThatUnitOnly) {
  std::string digest = read_file(source_path("samples/sanya-2022.txt"));
  std::string bytes;
  while (bytes.size() < 500000) bytes += digest + "\n\n";
  SourceInfo source;
  source.path = "many.txt";
  ExtractOptions eo;
  eo.before_unit = [](size_t unit) {
    if (unit == 3) throw std::runtime_error("injected");
  };
  EXPECT_THROW(extract(bytes, source, rules(), eo), std::runtime_error);
  Document clean = extract(bytes, source, rules());
  StreamedDocument streamed = extract_streamed(std::string(bytes), source, rules(), eo);
  UnitStream hooks = streamed.stream();
  std::string got;
  write_document(got, streamed.doc, OutputOptions{}, {}, &hooks);
  auto j = nlohmann::json::parse(got);
  ASSERT_GT(j["units"].size(), 4u);
  EXPECT_TRUE(j["units"][3]["facts"].empty());
  EXPECT_EQ(j["units"][2]["facts"].size(), clean.units[2].facts.size());
  EXPECT_EQ(j["units"][4]["facts"].size(), clean.units[4].facts.size());
  EXPECT_EQ(streamed.failed_units(), 1u);
  EXPECT_EQ(streamed.facts(), count_facts(clean) - clean.units[3].facts.size());
  bool warned = false;
  for (const auto& w : j["warnings"])
    warned = warned || (w["code"] == "unit_failed" && w.contains("span"));
  EXPECT_TRUE(warned) << got.substr(got.size() - 400);
}

// Filled ahead on another thread, a streamed document keeps the faults of its units
// as filled in turn: the failed units (one in the first window, one in a later one)
// are written without facts, with their warnings in the same places, byte for byte.
// A fault that is no std::exception goes up to the writer, once.
TEST(Documents, StreamedFillAheadKeepsFaults) {
  std::string digest = read_file(source_path("samples/sanya-2022.txt"));
  std::string bytes;
  while (bytes.size() < 3300000) bytes += digest + "\n\n";
  SourceInfo source;
  source.path = "many.txt";
  auto written = [&](bool ahead, size_t odd_fault) {
    ExtractOptions eo;
    if (ahead) eo.post = thread_post();
    eo.before_unit = [odd_fault](size_t unit) {
      if (unit == 3 || unit == 700) throw std::runtime_error("injected");
      if (unit == odd_fault) throw 7;
    };
    StreamedDocument streamed = extract_streamed(std::string(bytes), source, rules(), eo);
    UnitStream hooks = streamed.stream();
    std::string got;
    write_document(got, streamed.doc, OutputOptions{}, {}, &hooks);
    EXPECT_EQ(streamed.failed_units(), 2u);
    return got;
  };
  std::string in_turn = written(false, size_t(-1));
  ASSERT_GT(nlohmann::json::parse(in_turn)["units"].size(), 1000u);
  EXPECT_EQ(written(true, size_t(-1)), in_turn);
  EXPECT_THROW(written(true, 1500), int);
}

// Units written ahead, by the thread that filled each (StreamedDocument::stream with
// a UnitWriter), give the bytes the writer gives writing them itself, in every
// format: compact, pretty and explained JSON, fact and unit rows. The document has
// figures read across line breaks (their figure_joined warnings come from the
// threads), two units that fail (written without facts, warned of in place) and one
// unit too large to be written ahead (the writer writes it, in pieces).
TEST(Documents, UnitsWrittenAheadWriteTheSameBytes) {
  std::string pdf = read_file(source_path("tests/data/jiangbei-pdf-2022.txt"));
  std::string digest = read_file(source_path("samples/sanya-2022.txt"));
  std::string bytes;
  while (bytes.size() < 600000) bytes += digest + "\n\n" + pdf + "\n\n";
  bytes += "### 吉阳区委书记孙德震：着力构建吉阳“大党建”体系\n\n";
  for (size_t chars = 0; chars <= StreamedDocument::kWriteAheadChars; chars += 24)
    bytes += "去年全区完成固定资产投资12.5亿元，增长5%。\n";
  // Past kParallelChars (1 Mi characters): with `post`, the windows go to its thread.
  while (bytes.size() < 3000000) bytes += "\n" + digest + "\n\n" + pdf + "\n";
  SourceInfo source;
  source.path = "many.txt";
  struct Format {
    const char* name;
    std::function<void(std::string&, const Document&, const UnitStream*)> write;
    std::function<UnitWriter(const Document&)> ahead;
  };
  OutputOptions pretty{true, false}, explain{false, true};
  CsvOptions csv;
  std::vector<Format> formats = {
      {"json", [](std::string& out, const Document& d, const UnitStream* u) { write_document(out, d, {}, {}, u); },
       [](const Document& d) { return UnitWriter([&d](std::string& out, const Unit& u, size_t i) { write_unit_ahead(out, d, u, i, {}); }); }},
      {"pretty", [&](std::string& out, const Document& d, const UnitStream* u) { write_document(out, d, pretty, {}, u); },
       [&](const Document& d) { return UnitWriter([&d, &pretty](std::string& out, const Unit& u, size_t i) { write_unit_ahead(out, d, u, i, pretty); }); }},
      {"explain", [&](std::string& out, const Document& d, const UnitStream* u) { write_document(out, d, explain, {}, u); },
       [&](const Document& d) { return UnitWriter([&d, &explain](std::string& out, const Unit& u, size_t i) { write_unit_ahead(out, d, u, i, explain); }); }},
      {"facts", [&](std::string& out, const Document& d, const UnitStream* u) { write_facts_rows(out, d, csv, {}, u); },
       [&](const Document& d) { return facts_rows_ahead(d, csv); }},
      {"units", [&](std::string& out, const Document& d, const UnitStream* u) { write_units_rows(out, d, csv, {}, u); },
       [&](const Document& d) { return unit_row_ahead(d, csv); }},
  };
  for (const Format& f : formats) {
    for (bool ahead_thread : {false, true}) {
      auto written = [&](bool write_ahead) {
        ExtractOptions eo;
        eo.explain = std::string(f.name) == "explain";
        if (ahead_thread) eo.post = thread_post();
        eo.before_unit = [](size_t unit) {
          if (unit == 5 || unit == 300) throw std::runtime_error("injected");
        };
        StreamedDocument streamed = extract_streamed(std::string(bytes), source, rules(), eo);
        UnitStream hooks = streamed.stream(write_ahead ? f.ahead(streamed.doc) : UnitWriter());
        std::vector<size_t> left_to_writer;
        if (hooks.written) {
          hooks.written = [&left_to_writer, given = hooks.written](size_t i) {
            const std::string* text = given(i);
            if (!text) left_to_writer.push_back(i);
            return text;
          };
        }
        std::string out;
        f.write(out, streamed.doc, &hooks);
        EXPECT_EQ(streamed.failed_units(), 2u);
        if (write_ahead) {
          // Left to the writer: with threads to post to, the first window's units, units
          // 0 to k-1 (filled while the sidebars were, before the writer was given); and
          // besides them only the one too long to write ahead (here unit 640, right
          // after that window).
          size_t k = 0;
          while (k < left_to_writer.size() && left_to_writer[k] == k) ++k;
          if (ahead_thread) EXPECT_GE(k, 1u) << f.name;
          else EXPECT_EQ(k, 0u) << f.name;
          EXPECT_LE(left_to_writer.size(), k + 1) << f.name;
          EXPECT_LT(left_to_writer.size() + 100, hooks.count) << f.name << ": most units are written ahead";
        } else {
          EXPECT_TRUE(left_to_writer.empty()) << f.name;
        }
        for (const Warning& w : streamed.doc.warnings) out += w.code + "\n";
        return std::make_pair(out, streamed.facts());
      };
      auto plain = written(false);
      auto ahead = written(true);
      EXPECT_NE(plain.first.find("figure_joined"), std::string::npos);
      EXPECT_EQ(ahead.second, plain.second) << f.name;
      EXPECT_TRUE(ahead.first == plain.first) << f.name << (ahead_thread ? ", filled ahead" : ", in turn");
    }
  }
}

}  // namespace
}  // namespace digestx::test
