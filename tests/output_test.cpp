#include "digestx/output.hpp"

#include <sstream>

#include "digestx/pipeline.hpp"
#include "digestx/utf.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

nlohmann::json run(const std::string& text, bool pretty = false, bool explain = false) {
  ExtractOptions eo;
  eo.explain = explain;  // the rule names are kept only when asked for
  Document doc = extract_text(from_utf8(text), {"in.txt", "UTF-8", false, 0}, rules(), eo);
  std::string out;
  write_document(out, doc, {pretty, explain});
  return nlohmann::json::parse(out);
}

const char* kDigest =
    "# 标题\n\n## ——某市2022年度书记述职报告摘登\n\n### 海棠区委书记鲁正兰: 开拓\n\n"
    "去年,海棠区监测舆情信息17.4万余条，办结率94.93%。今年,将推进\"引号\\和\t制表\"工作。";

// Past 100 subject_unpaired warnings the count of the rest says the figures were kept,
// their subjects withheld: it said "left out", and they were in the output.
TEST(Output, WithheldSubjectsOverflowKept) {
  std::string text = "2024年度述职摘登\n\n■城关镇党委书记　张三\n\n";
  for (int k = 0; k < 120; ++k)
    text += "　　去年，新建党群服务中心、便民服务站" + std::to_string(k + 3) + "个、" + std::to_string(k + 10) + "个。\n";
  auto j = run(text);
  size_t warned = 0;
  std::string last;
  for (const auto& w : j["warnings"])
    if (w["code"] == "subject_unpaired") ++warned, last = w["message"];
  EXPECT_EQ(warned, 101u);
  EXPECT_EQ(last.rfind("20 more figures kept with their subject withheld", 0), 0u) << last;
  EXPECT_EQ(last.find("left out"), std::string::npos) << last;
  EXPECT_EQ(j["units"][0]["facts"].size(), 240u);
}

TEST(Output, ContractFields) {
  auto j = run(kDigest);
  EXPECT_EQ(j["format"], "digestx/1");
  EXPECT_EQ(j["report_year"], 2022);
  EXPECT_EQ(j["periods"]["this_year"], 2023);
  ASSERT_EQ(j["units"].size(), 1u);
  const auto& u = j["units"][0];
  EXPECT_EQ(u["organization"], "海棠区委");
  const auto& facts = u["facts"];
  ASSERT_GE(facts.size(), 2u);
  // Exact values: 17.4万 is 174000 as an integer, never 173999.99999999997.
  EXPECT_TRUE(facts[0]["value"].is_number_integer());
  EXPECT_EQ(facts[0]["value"], 174000);
  EXPECT_EQ(facts[1]["value"].dump(), "94.93");
  for (const char* key : {"text", "span", "kind", "value", "unit", "qualifier", "range", "subject", "period", "year"})
    EXPECT_TRUE(facts[0].contains(key)) << key;
}

TEST(Output, SpansGiveBackTheirText) {
  std::u32string text = from_utf8(kDigest);
  auto j = run(kDigest);
  for (const auto& u : j["units"]) {
    auto hs = u["span"];
    EXPECT_EQ(to_utf8(text.substr(hs[0], size_t(hs[1]) - size_t(hs[0]))), u["heading"].get<std::string>());
    for (const auto& f : u["facts"]) {
      size_t s = f["span"][0], e = f["span"][1];
      EXPECT_EQ(to_utf8(text.substr(s, e - s)), f["text"].get<std::string>());
    }
  }
}

TEST(Output, PrettyAndCompactAreTheSameJson) {
  EXPECT_EQ(run(kDigest, true), run(kDigest, false));
  std::string compact;
  Document doc = extract_text(from_utf8(kDigest), {}, rules());
  write_document(compact, doc, {false, false});
  EXPECT_EQ(compact.find('\n'), std::string::npos);
}

TEST(Output, ExplainNamesRules) {
  auto j = run(kDigest, false, true);
  const auto& f = j["units"][0]["facts"][0];
  ASSERT_TRUE(f.contains("rule"));
  EXPECT_EQ(f["rule"]["unit"], "unit.count");
  EXPECT_EQ(j["units"][0]["paragraphs"][0]["sentences"][0]["period_rule"], "period.qunian");
  EXPECT_FALSE(j["units"][0]["rules"].empty());
}

TEST(Output, TextsAreEscapedExactly) {
  // Quotes, backslashes, control characters, BMP and astral characters.
  std::string digest = "去年，组建\"突击队\"\\5支\x01\t，€\xF0\xA0\x80\x80。";
  auto j = run(digest);
  const auto& p = j["units"][0]["paragraphs"][0];
  EXPECT_EQ(p["text"].get<std::string>(), digest);
  EXPECT_EQ(p["sentences"][0]["text"].get<std::string>(), digest);
}

TEST(Output, ErrorRecord) {
  std::string out;
  write_error(out, {"missing.txt", "", false, 0}, "not_found", "no such file", {});
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["error"]["code"], "not_found");
  EXPECT_EQ(j["source"]["path"], "missing.txt");
}

// JSON strings (tests/tables/json_strings.json): "out" is what stands between the quotes,
// for the input repeated `repeat` times (long strings take other paths). UTF-8 strings
// (a kind, a unit, a message, a file name's bytes) are checked through append_json_string
// and the writer (an error record's message); code points of source text through the
// writer's text (a numeral of write_line spanning the whole line).
class JsonStringTable : public testing::TestWithParam<Case> {};

std::string repeated(const std::string& s, size_t times) {
  std::string out;
  for (size_t k = 0; k < times; ++k) out += s;
  return out;
}

std::u32string code_points(const std::string& hex) {
  std::u32string out;
  std::istringstream in(hex);
  for (std::string one; in >> one;) out += char32_t(std::stoul(one, nullptr, 16));
  return out;
}

TEST_P(JsonStringTable, Escaped) {
  const auto& c = GetParam().data;
  size_t times = c.value("repeat", 1);
  std::string expect = "\"" + repeated(c.at("out").get<std::string>(), times) + "\"";
  if (c.contains("code_points")) {
    LineAnalysis line;
    line.text = code_points(c.at("code_points").get<std::string>());
    for (std::u32string one = line.text; line.text.size() < one.size() * times;) line.text += one;
    line.numerals.push_back(Numeral{0, uint32_t(line.text.size())});
    std::string out;
    write_line(out, line, {});
    EXPECT_EQ(out.substr(0, expect.size() + 21), "{\"numbers\":[{\"text\":" + expect + ",");
    return;
  }
  std::string in = repeated(c.contains("hex") ? from_hex(c.at("hex")) : c.at("in").get<std::string>(), times);
  std::string out;
  append_json_string(out, in);
  EXPECT_EQ(out, expect);
  std::string record;
  write_error(record, {"in.txt", "", false, 0}, "code", in, {});
  EXPECT_NE(record.find("\"message\":" + expect + "}"), std::string::npos) << record;
}

INSTANTIATE_TEST_SUITE_P(Table, JsonStringTable, testing::ValuesIn(load_table("json_strings.json")), case_name);

TEST(Output, EscapesControlCharacters) {
  std::string out;
  append_json_string(out, std::string("a\x01\"b\\", 5));
  EXPECT_EQ(out, "\"a\\u0001\\\"b\\\\\"");
}

}  // namespace
}  // namespace digestx::test
