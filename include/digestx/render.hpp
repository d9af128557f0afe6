// Output stage, for people: documents as one self-contained HTML review page (inline
// CSS and a little vanilla JS from render/, no network). Every piece of input text is
// escaped; the page carries a Content-Security-Policy that allows no fetch at all.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "digestx/document.hpp"

namespace digestx {

// One input of a review page: its document, or why it could not be read.
struct RenderInput {
  const Document* doc = nullptr;  // null: the input failed
  SourceInfo source;              // of the failed input
  std::string error_code, error_message;
};

// Money of one period, in yuan: facts of a totalled kind (money, rules/kinds.json) with
// unit 元 and a summable aspect (amount). Other currencies and the other aspects (人均
// 23977元, 10万元以下的村, 增加300万元, 累计…) are counted apart, never added to yuan.
struct MoneyTotal {
  Decimal yuan;
  size_t facts = 0;
  size_t other_aspects = 0;   // money facts of an aspect that is not summed (per_capita, threshold…)
  size_t parts = 0;           // amounts inside a whole beside them (其中…), counted once, in the whole
  size_t no_outcomes = 0;     // figures with a status: targets, forecasts, baselines, balances (年度目标任务62亿元, 预计全年可完成63亿元)
  bool approximate = false;   // a summand has a qualifier (余, 近, 约…) or is a range's low end
  bool overflow = false;      // the sum does not fit; yuan is meaningless then
  size_t other_currency = 0;  // money facts in 美元, 港元… left out of `yuan`
};

// What the summary table shows for one unit.
struct FactSummary {
  size_t facts = 0;
  std::map<std::string, size_t> by_kind;
  MoneyTotal last_year, this_year;
};

FactSummary summarise(const std::vector<Fact>& facts);

// The whole page, one section per input, in input order; with a panel (documents of
// several years), its view comes first.
struct Panel;
std::string render_page(const std::vector<RenderInput>& inputs, const Panel* panel = nullptr);
// The panel view alone (`digestx panel --render`: the documents are not kept).
std::string render_panel_page(const Panel& panel);
std::string render_page(const Document& doc);

// A page above this many bytes takes a browser minutes to open (10,000 units made a
// 42 MB page that Chromium took 50 s over; 50 MB of input, 471 MB): `digestx render`
// splits it into parts (--output-dir) or refuses it (one page), see docs/render.md.
constexpr size_t kDefaultMaxPageBytes = size_t(16) << 20;

// One document's review page, or when that is larger than max_bytes, parts of it that
// hold whole units and sidebars in source order, each of about 80% of max_bytes at
// most (a unit larger than that has a part of its own). Each part links the others by
// file_name(k), the name its caller writes part k (from 0) under.
std::vector<std::string> render_pages(const Document& doc, size_t max_bytes,
                                      const std::function<std::string(size_t)>& file_name);

// Escaping for text and for double-quoted attribute values: & < > " ' become
// entities; characters that HTML forbids or that could disguise the text (C0/C1
// controls, lone surrogates, noncharacters, bidi overrides) become visible stand-ins.
// `before`: the character the text follows in its source, when it is a piece of it (a
// scheme's colon is escaped after a letter: https: and file: are no references).
void append_html(std::string& out, std::u32string_view text, char32_t before = 0);
void append_html(std::string& out, std::string_view utf8);

// Display form of an exact decimal: thousands separators in the integer part.
std::string grouped(const Decimal& d);

}  // namespace digestx
