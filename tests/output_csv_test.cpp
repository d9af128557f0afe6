#include "digestx/output_csv.hpp"

#include <algorithm>

#include "digestx/output.hpp"
#include "digestx/pipeline.hpp"
#include "../src/out_buffer.hpp"
#include "digestx/utf.hpp"
#include "table.hpp"

namespace digestx::test {
namespace {

class CsvTable : public testing::TestWithParam<Case> {};

TEST_P(CsvTable, Cells) {
  const auto& c = GetParam().data;
  std::string out;
  if (c.contains("id")) {
    out = id_cell(c.at("id").get<std::string>());
  } else {
    append_csv_cell(out, c.at("in").get<std::string>(), c.at("delimiter").get<std::string>()[0]);
  }
  EXPECT_EQ(out, c.at("out").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Table, CsvTable, testing::ValuesIn(load_table("csv.json")), case_name);

// RFC 4180 records back into cells, to check rows against the document.
std::vector<std::vector<std::string>> parse_csv(const std::string& s, char delimiter) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') rows.back().back() += s[++i];
      else if (c == '"') quoted = false;
      else rows.back().back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter) {
      rows.back().emplace_back();
    } else if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

const char* kDigest =
    "# 标题\n\n## ——某市2022年度书记述职报告摘登\n\n■核心提示\n\n3月13日召开述职会，6个单位参加。\n\n"
    "### 海棠区委书记鲁正兰: 开拓\n\n"
    "去年,海棠区监测舆情信息17.4万余条，办结率94.93%。今年,将新建站点3至5个，推进\"引号,逗号\"工作。";

Document digest() { return extract_text(from_utf8(kDigest), {"dir/in,put.txt", "UTF-8", false, 0}, rules()); }

TEST(OutputCsv, OneRowPerFactWithTheJsonValues) {
  Document doc = digest();
  for (char delimiter : {',', '\t'}) {
    CsvOptions o;
    o.delimiter = delimiter;
    std::string out;
    write_facts_header(out, o);
    write_facts_rows(out, doc, o);
    auto rows = parse_csv(out, delimiter);
    ASSERT_EQ(rows.size(), 1 + count_facts(doc));
    EXPECT_EQ(rows[0].front(), "source");
    EXPECT_EQ(rows[0].back(), "status");
    std::vector<std::pair<const Unit*, const Fact*>> facts;
    for (const auto& sb : doc.sidebars)
      for (const auto& f : sb.facts) facts.push_back({nullptr, &f});
    for (const auto& u : doc.units)
      for (const auto& f : u.facts) facts.push_back({&u, &f});
    ASSERT_FALSE(facts.empty());
    for (size_t i = 0; i < facts.size(); ++i) {
      const auto& row = rows[i + 1];
      const Fact& f = *facts[i].second;
      ASSERT_EQ(row.size(), rows[0].size());
      EXPECT_EQ(row[0], "dir/in,put.txt");
      EXPECT_EQ(row[2], "2022");
      EXPECT_EQ(row[3], facts[i].first ? "0" : "");  // sidebars have no unit
      EXPECT_EQ(row[10], f.value ? f.value->str() : "");
      EXPECT_EQ(row[13], f.range ? f.range->first.str() : "");
      EXPECT_EQ(row[16], std::string(f.aspect));
      EXPECT_EQ(row[17], slice(doc.text, f.span));
      EXPECT_EQ(row[18], std::to_string(f.span.start));
      EXPECT_EQ(row.back(), std::string(f.status));
    }
  }
}

TEST(OutputCsv, RecordsEndWithCrlfAndTsvWithLf) {
  Document doc = digest();
  std::string csv, tsv;
  write_facts_rows(csv, doc, {});
  CsvOptions t;
  t.delimiter = '\t';
  t.newline = "\n";
  write_facts_rows(tsv, doc, t);
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
  EXPECT_EQ(tsv.find('\r'), std::string::npos);
  EXPECT_EQ(std::count(tsv.begin(), tsv.end(), '\n'), long(count_facts(doc)));
}

TEST(OutputCsv, OneRowPerUnitAndAnIdColumnInRecordsMode) {
  Document doc = digest();
  doc.id = "\"rec-7\"";
  CsvOptions o;
  o.with_id = true;
  std::string out;
  write_units_header(out, o);
  write_units_rows(out, doc, o);
  auto rows = parse_csv(out, ',');
  ASSERT_EQ(rows.size(), 1 + doc.units.size());
  EXPECT_EQ(rows[0][0], "id");
  EXPECT_EQ(rows[1][0], "rec-7");
  EXPECT_EQ(rows[1][5], "海棠区委");
  EXPECT_EQ(rows[1].back(), std::to_string(doc.units[0].facts.size()));
}

// The writers' shared encoder against append_utf8, on each range of code points and on
// what is none (a lone surrogate, past U+10FFFF: U+FFFD).
TEST(OutBuffer, Utf8LikeAppendUtf8) {
  for (char32_t c : {U'\0', U'A', U'\x7F', U'\x80', U'\x7FF', U'\x800', U'中', U'\xD7FF', char32_t(0xD800),
                     char32_t(0xDFFF), U'\xE000', U'\xFFFD', U'\xFFFF', U'\x10000', U'\x1F600', U'\x10FFFF',
                     char32_t(0x110000), char32_t(0xFFFFFFFF)}) {
    std::string want;
    append_utf8(want, c);
    char buf[8];
    EXPECT_EQ(std::string(buf, put_utf8_at(buf, c)), want) << uint32_t(c);
  }
}

// Whatever goes through the buffer comes out in order, whole, once: short and long
// strings, single bytes, room/commit across the buffer's end, and an empty view with
// no pointer (memcpy from it is undefined: UBSan).
TEST(OutBuffer, WritesInOrder) {
  std::string out, want;
  {
    OutBuffer<64> b(out);
    b.append(std::string_view());
    for (int i = 0; i < 40; ++i) {
      std::string s(size_t(i % 7), char('a' + i % 26));
      b.append(s);
      want += s;
      b.put('|');
      want += '|';
      char* o = b.room(5);
      for (char ch : std::string("12345")) *o++ = ch;
      b.commit(o);
      want += "12345";
      if (i % 10 == 0) {
        std::string long_one(100, 'L');  // over a quarter of the buffer: straight through
        b.append(long_one);
        want += long_one;
      }
    }
    EXPECT_LE(b.pending(), decltype(b)::capacity);
  }
  EXPECT_EQ(out, want);
}

}  // namespace
}  // namespace digestx::test
