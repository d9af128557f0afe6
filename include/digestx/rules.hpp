// Rules: everything that varies between digests, loaded from rules/*.json (embedded
// in the binary at build time; `--rules DIR` overrides them file by file). Every
// rule has a name, which `--explain` reports on what it produced.
#pragma once

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "digestx/char_set.hpp"
#include "digestx/char_table.hpp"
#include "digestx/decimal.hpp"
#include "digestx/lexicon.hpp"
#include "digestx/regex_engine.hpp"
#include "digestx/regex_first.hpp"
#include "digestx/span.hpp"

#include <unicode/utypes.h>
#include <unicode/uversion.h>

namespace digestx {

struct RulesFile {
  std::string name;  // e.g. "periods.json"
  std::string text;
  std::string path = {};  // where it was read from, for messages; empty = built in
};

const std::vector<RulesFile>& embedded_rules_files();
// The fingerprint of embedded_rules_files() ("sha256:…"), computed at build time.
const char* embedded_rules_fingerprint();

// A rules file that cannot be used: names the file and the JSON pointer of the entry.
class RulesError : public std::runtime_error {
 public:
  RulesError(std::string file, std::string pointer, const std::string& message)
      : std::runtime_error(file + (pointer.empty() ? "" : " at " + pointer) + ": " + message),
        file_(std::move(file)),
        pointer_(std::move(pointer)) {}
  const std::string& file() const { return file_; }
  const std::string& pointer() const { return pointer_; }

 private:
  std::string file_, pointer_;
};

// What a run of a rule's regular expression gave; timed_out: it ran out of its steps
// (a pattern that backtracks catastrophically, --rules with "(\\d+)+x" on a long line,
// must not hang the run). What to do then is the caller's (drop the rule for the
// document, warn once).
enum class RegexRun { hit, miss, timed_out };

// search: the first match from the text's start; whole: a match of all the text;
// prefix: a match at its start.
using RegexMode = rx::Anchor;

// A regular expression of the rules (ICU's syntax). The built-in rules compile theirs on
// first use (once, whichever thread asks first): a run on a one-line file evaluates few
// of them. A pattern runs on digestx's own matcher (include/digestx/regex_engine.hpp),
// which takes every built-in pattern and most others; one it does not take runs on ICU's
// engine. Rules read with --rules are checked by ICU at load, so that a bad one is an
// error naming its file and entry (the built-in ones are checked that way by the test
// suite). Copies share the pattern.
class LazyRegex {
 public:
  LazyRegex() = default;
  // `source`: the pattern in UTF-8; `check_now`: compile it with ICU here (a --rules
  // pattern: ICU's syntax is the contract), else compile on first use.
  LazyRegex(std::string source, bool check_now);
  // Runs the pattern on `text` under a limit of steps that grows with the text; `groups`,
  // when given, receives where each group matched (characters of `text`).
  RegexRun run(std::u32string_view text, RegexMode mode, rx::Groups* groups = nullptr) const;
  // U_ZERO_ERROR, or why ICU does not compile the pattern.
  UErrorCode status() const;
  // Capture groups (group 0 aside), as ICU counts them; 0 when it does not compile.
  size_t group_count() const;
  // Whether the pattern runs on digestx's own matcher (tests).
  bool runs_own() const;
  // False when `text` cannot hold a match (it lacks characters the pattern needs, see
  // required_chars): the caller then neither compiles nor runs the pattern.
  bool may_match(std::u32string_view text) const;
  explicit operator bool() const { return state_ != nullptr; }

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// A regular expression with its rule name.
struct NamedRegex {
  std::string name;
  LazyRegex pattern;
};

struct LayoutRules {
  // An HTML page (layout.json "html_page"): its markup left out of the text before the layout
  // (src/markup.cpp). Empty name: pages are read as text.
  struct Markup {
    std::string name;
    std::vector<std::u32string> starts;      // the page's first characters, lower case (<!doctype html)
    std::vector<std::u32string> block_tags;  // a line break where one begins (p, div, br, h1)
    std::vector<std::u32string> cell_tags;   // a bar where one opens (td, th: a table's cells)
    std::vector<std::u32string> row_tags;    // a line break where one opens, none where it closes (tr)
    std::vector<std::u32string> hidden_tags; // their content is no text (script, style, head)
    std::vector<std::pair<std::u32string, char32_t>> entities;  // nbsp → U+00A0
    std::vector<std::pair<std::u32string, std::u32string>> heading_marks;  // h1 → "# ": a markdown heading's marks after the line break
    size_t max_tag_chars = 2000;             // a '<' with no '>' within this many is text
  };
  Markup markup;
  std::string markdown_rule;
  char32_t markdown_char = '#';
  int markdown_max_level = 6;
  struct Bullet {
    std::string name;
    CharSet chars;
    bool needs_space = false;
  };
  std::vector<Bullet> bullets;
  struct Wrapper {
    std::string name;
    std::u32string open, close;
    size_t nested_min_chars = 0;  // around a whole line, another wrapper this long at its start is read (0: never)
  };
  std::vector<Wrapper> wrappers;
  struct Enumerator {
    std::string name;
    std::vector<std::u32string> open, close, after;
    CharSet numerals;
    int max_numerals = 1;
    CharSet not_followed_by;  // 12.6万元 is a decimal, not item 12 of a list
  };
  std::vector<Enumerator> enumerators;
  // Whole lines that belong to the page, not the text (首页 > …, 发布时间:, 责任编辑:).
  std::vector<NamedRegex> furniture;
  std::vector<FirstCharsFilter> furniture_first;  // k-th: what a line the k-th rule covers starts with
  FirstCharsFilter furniture_first_any;           // what a line any of them covers starts with
  // k-th: characters one of which a line the k-th rule covers holds, its prefilter
  // instead of the first characters (滹阳组工　2023-02-16 18:30: the date's -/.); empty: none
  std::vector<std::u32string> furniture_contains;
  CharSet furniture_contains_any;    // all of them
  // Bit c % 64 set for each c of furniture_contains_any: most characters of a line are
  // ruled out by one test (the search of every line in the 25 characters was about
  // 1% of a run).
  uint64_t furniture_contains_bits = 0;
  bool may_be_furniture_char(char32_t c) const { return (furniture_contains_bits >> (c & 63)) & 1; }
  size_t furniture_max_chars = 120;
  CharSet furniture_not_ending;  // a line ending with one of these is text (…。)
  // k-th: the k-th rule's line starts the page's tail (网友评论 over readers' comments):
  // every line after it is furniture of the same rule
  std::vector<bool> furniture_tail;
  // k-th: a paragraph runs on across the k-th rule's line (a PDF's page number, — 2 —,
  // between 二 and 是基层…): it is kept out of the text but ends nothing
  std::vector<bool> furniture_within_paragraph;
  // k-th: the k-th rule takes a line that ends like a sentence too (a caption,
  // 图为南塘镇党委书记郑小燕（右一）在茶园调研。); the others never do
  std::vector<bool> furniture_sentence_end;
  bool furniture_any_sentence_end = false;
  // k-th: the line right above the k-th rule's line, standing alone, at most max_chars
  // long and holding none of not_holding, is the same furniture (a WeChat account's name,
  // 白河发布, over 2025-01-22 18:30 发表于陕西); max_chars 0: none
  struct LineAbove {
    size_t max_chars = 0;
    CharSet not_holding;
  };
  std::vector<LineAbove> furniture_line_above;
  // k-th: the lines right below the k-th rule's line (no blank line between), each at
  // most max_chars long and not ending like a sentence, are its list (点击排行 over
  // 1　全县新增城镇就业岗位3200个); 0: none
  std::vector<size_t> furniture_list_below;
  // k-th: the k-th rule takes a line only before the first line of text (a site's name,
  // 柏溪县人民政府门户网站, over its breadcrumb: below, 县融媒体中心 may be a heading's place)
  std::vector<bool> furniture_page_top;
  // k-th: what a line the k-th rule covers must look like, unless a bullet leads it
  // (▲…), to be a photo's caption: set flush (a paragraph is set in), holding at most
  // max_sentences sentence ends and max_clauses clause marks, at most max_chars long.
  // Else it is a paragraph closed by a credit (…惠及3500余名党员。（记者　王磊　摄）) and
  // stays text. max_chars 0: no such test.
  struct CaptionShape {
    size_t max_chars = 0, max_sentences = 0, max_clauses = 0;
    CharSet sentence_ends, clause_marks;
    // A line set flush right under a text line set in: a caption up to these (0: as above).
    size_t flush_max_chars = 0, flush_max_sentences = 0, flush_max_clauses = 0;
    // A caption taken by its shape alone (no bullet, not set flush under text set in)
    // with figures its unit states nowhere else is warned with this code and message
    // (empty: never): 　　全年开展…活动86场，服务群众1.2万人次。（记者　刘洋　摄） may be the
    // report's own paragraph, its figures then missing.
    std::string warn_code, warning;
  };
  std::vector<CaptionShape> furniture_caption;
  // Furniture at the end or the start of a text line, cut off its words (全年接待游客（下转
  // 第4版）): `ends_with` / `starts_with`, the characters such a line ends / starts with.
  std::vector<NamedRegex> furniture_edge;
  std::vector<std::u32string> furniture_edge_ends, furniture_edge_starts;
  // A PDF's running header: a short line beside a page number line (beside: its rule)
  // that reads as a digest's title (title), is the document's first line of text, or is
  // seen beside another page number line. Empty name: off.
  struct RunningHeader {
    std::string name, beside;
    size_t max_chars = 0;
    CharSet not_holding;
    NamedRegex title;
  };
  RunningHeader running_header;
  // The lines between a jump onward (（下转第4版）, a line of one of `markers`) and the next
  // jump back (（上接第3版）, its marker opening with one of from_words) within max_lines:
  // the page's other copy. Empty name: off.
  struct JumpedLines {
    std::string name;
    std::vector<std::string> markers;
    std::vector<std::u32string> from_words;
    size_t max_lines = 0;
  };
  JumpedLines jumped_lines;
  // A heading glued to the end of a paragraph after a bullet mark (…新建杨梅冷库2座。■官桥镇
  // 党委书记　孙德明): the line is two, split before the mark. The mark right after one of
  // `after`, no sentence end (not_holding) and at most max_chars after it. Empty name: off.
  struct GluedHeading {
    std::string name;
    CharSet marks, after, not_holding;
    size_t max_chars = 0;
    // "brackets": a signature in brackets closing the line (…84名。（石门镇党委书记　周丽）):
    // open[k] pairs with close[k]; the bracket holds one of `holding` (a post's word).
    std::u32string open, close;
    std::vector<std::u32string> holding;
    // "after_brackets": brackets closed right before the mark (or the signature's opening
    // bracket) end a sentence too when they follow a sentence end (…2座。（记者　刘洋　摄）
    // ■官桥镇党委书记…, …3个。（数据截至12月底）■…) or close a credit (▲…加工厂（通讯员　李军　摄）
    // ■…): at most after_brackets_max characters inside, none of them a sentence end or a
    // bracket. 0: off (such a heading was text of the unit above, without a word).
    size_t after_brackets_max = 0;
    std::vector<std::u32string> credit_ends;  // a credit's last words: 摄, 供图
  };
  GluedHeading glued_heading;
  // Whether a paragraph runs on across a furniture line of this rule (within_paragraph,
  // the running header, the jumped lines).
  bool furniture_within(std::string_view rule) const;
  // The caption shape of the furniture rule named `rule` when it asks for the figures of
  // a caption taken by its shape alone to be checked (warn_code), else nullptr.
  const CaptionShape* caption_warned(std::string_view rule) const;
  // Lines complete without a sentence end (a time, a table cell), matched at the line's end.
  std::vector<NamedRegex> complete_patterns;
  std::vector<std::u32string> complete_ends;  // k-th: the characters the k-th pattern's line ends with
  std::string section_heading_rule, next_enumerated_rule, numerals_apart_rule;
  // 300万元— over 500万元, no blank line between: a range the page broke goes on into the
  // next line's digits (complete_line range_dash). Empty rule: off.
  std::string range_dash_rule;
  std::u32string range_dashes;
  std::string next_bulleted_rule;  // a line over a bulleted one (▶综合网格：56个 / ▶群众诉求…): empty = off
  std::string spaced_rows_rule;  // two rows of a table set with white space, one over the other: empty = off
  std::string before_indent_rule;  // empty: an indent ends no paragraph
  size_t section_heading_max_chars = 30;
  // A sentence end inside the line before more words: a run-in heading and its text
  // (（一）医疗资源扩容提质。一年来，全市新增医疗 / 床位860张), not a heading alone.
  CharSet section_heading_not_holding;
  CharSet numerals_apart_chars;
  CharSet numerals_apart_zero;            // a next line opening with it (not 0.5) continues: 15 / 00亩
  CharSet numerals_apart_decimal_points;  // a line ending in one, the next starting with one: never joined
  // A line that is a figure and its label (1.86亿元　党建与学科建设专项投入, a 数说 box):
  // complete, and so is the line above it. Empty name: off.
  struct FigureLabel {
    std::string name;
    size_t max_unit_chars = 4, max_label_chars = 20;
    CharSet not_in_label;
    char32_t head_marker = 0;  // subjects.json head_marker (linked at load): a digit only before it
  } figure_label;
  // A page set at a fixed width (from a PDF) breaks figures too: its full lines join.
  struct FixedWidth {
    std::string name;
    size_t min_lines = 3, min_columns = 30, tolerance_columns = 2, share_percent = 66;
    // Text wrapped at a count of characters, digits counting as many as Chinese ones
    // (0: not looked for): 　　2024年，县纪委监委共受理信访举报41 over 2件次，立案…, 22 each.
    size_t min_chars = 0, tolerance_chars = 0, min_char_lines = 4;
    std::u32string sentence_ends;  // a full line ending in one of these ends a sentence
  } fixed_width;
  std::string paragraph_indent_rule;  // a line set in by white space starts a paragraph
  size_t paragraph_indent_columns = 2;
};

// One typed item of a heading layout's pattern (structure.json heading_layouts).
struct HeadingItem {
  enum class Type { organization, role, name, space, separator, literal, bracket, headline, group, year };
  Type type = Type::literal;
  bool optional = false;
  size_t max = 0;              // space, name: at most this many characters (0: any)
  CharSet marks;               // space: the gap is one of these marks with white space around it (a cell bar |)
  bool markup_break = false;   // space: the gap is where markup split the line (【城关镇】党委书记), white space or none after it
  bool after_posts = false;    // organization: may follow other posts and 、 (县委常委、嘉积镇党委书记)
  bool spaced = false;         // name: may be spaced out by the typesetter (樊　木)
  bool surnamed = false;       // name: led by a surname of two_line_heading's name_line (no post vouches for it)
  bool co_official = false;    // group: a second official's post and name (…陈立新　办事处主任　刘　洋), kept out of the unit's fields
  Lexicon bodies;              // role: a body's word that may open it (城关镇　党委书记　李明)
  bool drop_body = false;      // role: its body is the organisation's, said again, and no part of the role (述职单位：石桥镇党委 over 述职人：王建国（镇党委书记）: 书记)
  std::u32string text;         // literal: this text,
  Lexicon words;               // or any one of these words (述职人, 汇报人); year: what follows the digits (年度, 年)
  bool ending = false;         // literal: the rest of its bracket, ending with one of the words (主持党委全面工作)
  CharSet not_holding;         // literal (ending): marks the rest may not hold (a clause's: ，。：)
  std::u32string open, close;  // bracket: pairs, k-th with k-th
  size_t max_chars = 0;        // bracket: what it holds, at most (0: any)
  bool sentence_is_paragraph = false;  // headline: a sentence there is the unit's first paragraph, not a refusal
  std::vector<HeadingItem> items;      // bracket, group: the items inside
};

// Where a unit's headline may stand besides its heading line: the registered C++
// placements, each named in structure.json.
struct HeadlinePlacement {
  enum class Produce { paragraph_above, wrapped, own_line, line_above };
  std::string name;
  Produce produce = Produce::wrapped;
};

struct HeadingLayout {
  std::string name;
  std::vector<HeadingItem> pattern;
  // produce: "unit" (the only production of a heading line so far): organisation,
  // role, name and headline from the items, then the headline placements in order.
  std::vector<HeadlinePlacement::Produce> headline;
  // "table_row": "lone": the line is a table row with no row right above or below it
  // (| 城北镇党委 | 书记 | 王强 | alone is a heading; the rows of a roster are not).
  bool lone_table_row = false;
  // "signature_only": the line is a heading only as the signature of a section signed at
  // the end (structure.signed_sections: （青山镇党委书记　马骏） under its section); else it
  // stays text, warned of (（县委书记点评） closing a paragraph names no official).
  bool signature_only = false;
  // "over_heading": two lines the layout reads together may be it even when the second is
  // a heading by itself (述职单位：青龙县石桥镇党委 over 述职人：镇党委书记　李红, alone 镇党委's).
  bool over_heading = false;
  // "unit_above": the line is a unit heading only when the unit above names another
  // place (【桃源乡】赵丽：… under 河口镇's report), and a village or a community
  // (sub_places, after a party body of sub_place_bodies) only under one; else it is a
  // sub-label of the unit above (【石门镇】高招：… inside 石门镇's), its text, warned of.
  struct UnitAbove {
    std::string name;  // empty: the layout asks nothing of the unit above
    Lexicon sub_places, sub_place_bodies;
    // "other_place": "warn": the line is never a unit heading (it names no official:
    // 【石门镇】高招：把支部建在产业链上); under a unit of another place it is warned of, under
    // its own place's unit it is that unit's text, with no word.
    bool warn_other_place = false;
  } unit_above;
  // Computed at load: every match holds a role word (its role item is neither optional
  // nor inside an optional group), so a line holding none is not tried on it.
  bool needs_role_word = false;
  // Computed at load, as needs_role_word: role words every match holds at distinct
  // starts (two in a heading of two officials), and lists of words of each of which it
  // holds one (a literal item's words or text, a bracket's opening marks, its closing
  // ones). A line without them is not tried on the layout: 述职人 of a labelled heading,
  // the genre's 述职报告, 同志 were looked for after every organisation of every line.
  // The lists one after another in one string (made at every start), each as its number
  // of pairs, then the pairs: the first two characters of its words (述职, 发言; of a
  // word of one, twice), the least a line holding one of the words holds.
  size_t role_words_needed = 0;
  std::u32string words_needed;
  // Computed at load: a gap of the pattern is where markup split the line (【桃源乡】赵丽：…),
  // so that the layout is not tried on a line that markup did not split, as most are.
  bool needs_markup_break = false;
};

struct StructureRules {
  struct Named {
    std::string name;
    std::u32string text;
  };
  struct SidebarLabel {
    std::string name;
    std::u32string text;
    // The label comments on the report it follows (点评：… after a secretary's report):
    // inside a unit it leads a paragraph of that unit, not a sidebar.
    bool in_unit = false;
    // A box of figure lines (【数说】 over 35名　新发展党员): its lines are at most this
    // long; inside a unit, a longer line with a clause mark after a blank line or set
    // in is the report's prose again. 0: the sidebar holds prose.
    size_t box_line_max_chars = 0;
    // Nor a line opening with one of these: the box's note (注：数据截至2024年12月31日，…).
    std::vector<std::u32string> box_notes;
  };
  std::vector<SidebarLabel> sidebar_labels;
  std::string front_matter_rule;  // the sidebar of unlabelled text before the first unit
  struct Subtitle {
    std::string name;
    std::u32string prefix;
    std::vector<std::u32string> keywords;
  };
  std::vector<Subtitle> subtitles;
  // A report-year rule: the year its regex captures, plus offset (a government work
  // report given at the people's congress of 2025年1月 reviews 2024: offset -1).
  struct YearRule : NamedRegex {
    int offset = 0;
    // Tried on this many first places only (a full report's opening sentence
    // 2023年，在区委的坚强领导下，…, not a plan's 2024年，我将… further down); 0: all.
    size_t first_places = 0;
    // The period frame the rule's match sets ("half_year": 2019年上半年…述职摘登 is
    // written during the year it reviews); empty: the genre's.
    std::string periods;
  };
  std::vector<YearRule> report_year;
  // A digest's report year not over at the page's date (临水市2024年度… dated 2024-01-19):
  // warned; within review_months of that year the report year moves by offset.
  struct YearNotOver {
    std::string name;  // empty: off
    std::vector<std::string> year_rules, furniture;
    LazyRegex date;  // group 1 the year, group 2 the month
    int last_month = 11, review_months = 3, offset = -1;
  } year_not_over;
  std::vector<NamedRegex> region;
  // After these a clause of the front matter starts, where a region rule is tried.
  std::u32string region_clause_marks = U"，,。；;：:！？!?";
  // The report year and region given on the command line (--year, --region) or by the
  // input's path (--path-fields) rather than read in the text.
  std::string year_option_rule, region_option_rule, region_path_rule;
  std::vector<Named> roles;
  Lexicon role_words;  // value: index into roles
  WordStarts role_word_starts;  // of role_words, made at load: the heading layouts' line scan (LineHolds)
  Lexicon held_only_role_words;  // roles read only after 、 (a rank: 书记、一级调研员); value: index into roles
  // Words that make any role word an acting post (代理书记, 代镇长): the role is the whole
  // post as written, and --explain names this rule besides the role word's.
  std::string acting_role_rule;
  Lexicon acting_role_prefixes;
  std::string organization_rule;
  Lexicon organization_suffixes;
  size_t organization_max_chars = 30;
  CharSet organization_forbidden;
  // Besides Chinese characters and ASCII letters, what an organisation may begin with
  // (“两新”工委); an ornament never: >>南坪乡党委 read as the organisation. Empty: anything.
  CharSet organization_start_chars;
  // Digits inside a body's name end it before these (12个乡镇党委: a count, no body).
  CharSet organization_digits_not_before;
  // Bare party bodies that name no body on their own: 党委 in 城关镇　党委书记 is no
  // organisation (the place before it is no person's name).
  Lexicon organization_not_whole;
  // Words that open a group of bodies, not one (全县乡镇党委书记, 各乡镇党委书记 alone on a line).
  Lexicon organization_not_starting;
  // Between two posts held together (县委常委、嘉积镇党委书记): the organisation is the
  // one after the last of them.
  CharSet organization_title_separators;
  // What a post held besides ends in, before a separator (县委常委、白石镇党委书记), besides
  // the role words; empty: any words before a separator are a post held besides.
  Lexicon organization_held_posts;
  // A post held together after 、 may name its own body first, in at most this many
  // characters (纪委书记、县监委主任); 0: only a bare role word (书记、局长).
  size_t organization_held_post_body_chars = 0;
  std::string person_name_rule;
  size_t name_min = 2, name_max = 4, name_max_spaces = 2;
  size_t name_max_dotted = 4;  // a name with an extra char inside (阿依古丽·买买提) may run this long
  CharSet name_extra_chars;
  Lexicon name_not_words;  // a "name" holding one of these is no name (述职摘登)
  // A "name" of three or more characters ending in one of these is a place or a body
  // (城关镇, 县教育局 in 县教育局　党组书记), no person's name.
  Lexicon name_not_endings;
  std::vector<Named> separators;
  Lexicon separator_words;  // value: index into separators
  // Heading layouts: each a named pattern of typed items (heading_layouts of
  // structure.json), tried in order on every line; the first that covers the line wins.
  std::vector<HeadingLayout> layouts;
  // The most role words a layout needs (HeadingLayout::role_words_needed): a line's are
  // counted up to this many, once for all layouts.
  size_t layout_role_words_most = 0;
  std::vector<HeadlinePlacement> placements;  // where a headline may stand, by production
  // What may lead a heading line and says where its headline is (——海棠区委书记鲁正兰,
  // headline above it).
  struct Lead {
    std::string name;
    CharSet chars;
    HeadlinePlacement::Produce headline = HeadlinePlacement::Produce::paragraph_above;
    Lexicon words;  // a byline's word after the dashes, no part of the heading (——记…)
  };
  std::vector<Lead> leads;
  // Where the title is, tried in order until one places it.
  struct Title {
    std::string name;
    enum class Produce { markdown_h1, above_subtitle, first_line, genre_line, report_heading } produce = Produce::markdown_h1;
  };
  std::vector<Title> titles;
  // The name of the placement that produces `p` (empty when none is declared).
  const std::string& placement_name(HeadlinePlacement::Produce p) const;
  // Heading-like lines that no rule parses get a warning (never a silent merge).
  std::string unknown_heading_rule;
  size_t unknown_heading_max_chars = 40;
  // A plain line standing alone, shaped like a post and a name after a gap (县气象台台长
  // 李四: a post no rule knows): warned of as a suspected heading. Empty rule: not tried.
  struct PlainHeading {
    std::string rule;
    CharSet post_endings;  // the last character of a post (长 记 任 …)
    size_t min_name_chars = 2, max_name_chars = 3;
    // Marks that may stand between the post and the name besides white space, and
    // around the line: a table row (| 城关镇 | 党委书记 | 李明 |), a colon (城关镇党委书记：强基固本).
    CharSet gap_marks;
  } plain_heading;
  // A line set with the mark of the document's unit headings (■…) that names a post but
  // that no heading rule takes: warned of as a suspected heading. Empty: not tried.
  std::string marked_line_rule;
  Lexicon marked_line_place_endings;      // a marked line that is a place alone ends so (■官桥镇)
  Lexicon marked_line_not_place_endings;  // …but not so: ■特色小镇, ■美丽乡村 head sub-sections
  // A heading set over two short lines (县住建局 / 局长 王五): read as one when neither
  // line is a heading alone and both together are.
  std::string two_line_heading_rule;
  size_t two_line_heading_max_chars = 24;
  // A name alone on the line under a post with no name (城关镇党委书记 over 李明) starts
  // with one of these surnames, else the line is the headline (聚合力). Empty: any.
  std::string name_line_rule;
  Lexicon name_line_surnames;
  // A report's byline set again under its end as a signature, with at most a date line
  // after it (城南镇党委书记 over 2024年1月15日): the report's, never a unit of its own.
  // The regex reads the date line; no name: no signature rule.
  NamedRegex signature;
  // What kind of document: the first genre whose conditions hold; none = a digest.
  struct Genre {
    std::string name;
    std::string genre;  // e.g. "full_report"; also the period frame of periods.json
    LazyRegex title;
    size_t max_units = 1;
    bool no_subtitle = true;
    // The report year read from the body (its section headings 一、2023年工作回顾,
    // 二、2024年工作打算) when the front matter and --year state none.
    std::vector<YearRule> body_year;
  };
  std::vector<Genre> genres;
  size_t headline_max_chars = 48, headline_max_lines = 3;
  // A line with more clause commas than this is a sentence the page broke, no headline
  // (2025年，新登记经营主体6820户，同比增长9.4%，总量突破 over a blank line).
  size_t headline_max_commas = 1;
  std::string headline_commas_rule;
  // A line that opens the way a sentence does (2025年，… 一年来，…) is no headline.
  NamedRegex headline_sentence_opening;
  CharSet sentence_end;
  std::u32string soft_stops;  // sentences.json's, linked at load: a line ending 5个. ends a sentence
  std::u32string soft_stops_unless;  // ... unless it holds one of these (。)
  CharSet title_inner_marks;  // a page's title may hold these before its end: 年终述职丨听！白河县…这样说
  CharSet headline_final_marks;  // a headline with no digit may end in one: 让乡村美起来！
  CharSet dateline_chars;  // a line of these alone is a date, no headline: （2023年12月28日）
  CharSet address_end;     // a line ending in one of these addresses or introduces: 各位代表：
  std::string headline_quotes_rule;  // “以高质量党建引领‘双一流’建设”: a headline wholly in one quotation loses its quotes
  std::string headline_label_rule;  // a headline's field label that is not part of it (述职主题：…)
  // A heading repeated after a page break with a mark of continuation (…局长　何敏（续）)
  // goes on with the unit above when it names the same organisation and official.
  // A sidebar interrupting a unit ends at the next item of the unit's outline (一、… 附：…
  // 二、…): structure.json outline_resumes. Empty rule: off.
  std::string outline_resumes_rule;
  CharSet outline_numerals, outline_marks_after, outline_marks_around;
  std::string continued_heading_rule;       // empty: off
  // A heading that names the organisation and the official of the unit above, with no
  // mark of continuation, inside that official's report (述职人：林海燕（白沙乡党委书记） under
  // 白沙乡党委书记　林海燕): a sub-label, its text goes on with the unit. Empty: off.
  std::string same_official_rule;
  std::vector<std::u32string> same_official_labels;  // the field labels such a heading holds (述职人)
  // Sections signed at the end (structure.json signed_sections): empty rule: off.
  std::string signed_sections_rule;
  size_t signed_sections_lookahead = 0;  // lines looked at for the next signature
  // Lines of page furniture passed over between a section's text and its signature (a
  // photo's caption): at most this many.
  size_t signed_sections_furniture_between = 0;
  std::vector<std::u32string> continued_marks;  // （续）, （接上）: how the heading line ends
  // A table of contents before the units (structure.json contents): a run of at least
  // contents_min_entries heading lines with nothing between them, the first named again
  // by the first heading after the run; a label line above it (本期导读) is one of
  // contents_labels. Empty rule: off.
  // A column's tag in brackets before the title (【述职摘登】澧江市2024年度…摘登): no part of
  // it, left out as furniture (the region was 述职摘登澧江市). Empty name: off.
  struct TitleColumnTag {
    std::string name;
    size_t max_chars = 0;
    std::vector<std::string> wrappers;  // the layout's wrapper rules a tag is set in
    CharSet not_holding;                 // a year's or a place's characters: the title's own words
  } title_column_tag;
  std::string contents_rule;
  size_t contents_min_entries = 2;
  Lexicon contents_labels;
  Lexicon headline_labels;
  CharSet headline_lead_marks;  // and the dashes that lead it in (——以“党建+”激活…)
};

struct SentenceRules {
  // What a character is to the splitter, a byte of these bits per BMP character
  // (filled at load; see CharTable).
  enum : uint8_t { kTerminator = 1, kEllipsis = 2, kCloser = 4, kContinues = 8, kSoftStop = 16 };
  CharTable<uint8_t> classes;
  uint8_t class_of(char32_t c) const { return classes[c]; }
  std::string rule;
  std::u32string terminators, ellipsis, closers;
  std::u32string ellipsis_continues;  // after …… these mean the sentence goes on (……等)
  std::u32string soft_stops;          // ends a sentence between words only (5个.今年; not 1.2亿元)
  std::u32string soft_stop_not_after;  // nor after these: a list's numeral (一.新建…)
  std::u32string soft_stops_unless;    // a paragraph holding one of these (。) has no soft stops,
  Lexicon soft_stop_openers;           // except before one of these or a year (5个.2024年，…)
  // A point after one of these is a decimal's (增长.5%); shared with NumberRules.
  std::shared_ptr<const Lexicon> decimal_after_words = std::make_shared<Lexicon>();
  // Whether a paragraph (or stretch) `s` is one whose soft stops end sentences.
  bool soft_stops_live(std::u32string_view s) const {
    return !soft_stops.empty() && s.find_first_of(soft_stops_unless) == std::u32string_view::npos;
  }
  // Whether the soft stop at s[i] ends a sentence: after no ASCII letter, digit or white
  // space (5个. 12.5%. 办好”.) nor soft_stop_not_after, before no ASCII letter.
  bool soft_stop_ends(std::u32string_view s, size_t i) const;
  // Whether the soft stop at s[i], after a word, stands before a year or one of
  // soft_stop_openers (5个.2024年，全乡将…): a sentence's end even in a paragraph of 。.
  bool soft_stop_opens(std::u32string_view s, size_t i) const;
};

struct PeriodRules {
  struct Marker {
    std::string name;
    std::u32string text;        // empty for year markers
    std::optional<int> year_offset;
    Period period = Period::none;
    // In a full report (written during the year it reviews): its period there, and
    // whether it dates its own sentence only (去年10月份我从X镇调至Y镇).
    Period full_report_period = Period::none;
    bool full_report_sentence_only = false;
    bool full_report_given = false;  // in_full_report stated: it alone says how a full report reads it
    bool sentence_only = false;  // in any frame unless in_full_report says (前年: none)
    // In a half-year digest (period.half_year): its period there when stated, else the
    // full report's reading (both are written during the year they review).
    Period half_year_period = Period::none;
    bool half_year_sentence_only = false;
    bool half_year_given = false;
    bool half_year_only = false;  // a marker in a half-year digest alone (上半年, 下半年)
    CharSet not_after_chars;  // a character before it that makes it part of a word (目 of 目前年产值)
    // In a digest's sentence holding a plan word (dated_event_plan_words), its period
    // there (本年度，全乡计划新建…: the year planned; 本年度，共化解… the year reviewed).
    std::optional<Period> plan_period;
  };
  std::vector<Marker> markers;
  Lexicon marker_words;  // value: index into markers
  size_t max_offset = 16;
  // A marker opening the second clause, after a lead clause with no figure in it
  // (龙潭村把红色资源和乡村旅游结合起来，去年接待游客8.6万人次): up to this offset.
  std::string lead_clause_rule;
  size_t lead_clause_max_offset = 0;  // 0: off
  CharSet lead_clause_breaks, lead_clause_not_in;
  Lexicon not_after, not_before;
  std::u32string year_suffix;
  Lexicon year_not_before;
  // exclusions.json's speech_marks, linked at load: a quote whose words end in one is
  // speech (“去年，…93%。”王强说), its markers read.
  std::u32string speech_marks;
  // A year and 度 opening the sentence before a clause break (2023年度，…): the year alone.
  std::string year_degree_rule;  // empty: off
  std::u32string year_degree_suffix;
  CharSet year_degree_then;
  // A full report reviews its year from its first sentence: the period before any
  // marker (一、履职尽责情况 / 全年完成交通固定资产投资8.6亿元: the year under review).
  std::string full_report_start_rule;
  Period full_report_start = Period::none;
  // In a full report, a year with a month after it dates one event, its own sentence
  // only: （2025年1月10日） under the title, 2021年3月，我调任… (not a period of the rest).
  std::string dated_event_rule;
  CharSet dated_event_month_chars;  // what may stand between 年 and 月: 1-10, 十二
  size_t dated_event_month_chars_max = 6;   // and how many of them at most (1-10 is 4)
  std::u32string dated_event_month;        // 月
  // A digest's sentence dated by a this_year marker and a month (今年1月，街道获评…) is an
  // event of its own, unless it holds one of these words of a plan (今年3月起，将开展…).
  Lexicon dated_event_plan_words;
  // A year neither the report year nor the one after dates its sentence (or clause) as
  // no period: 2022年，全镇… in a 2023 digest was last_year.
  std::string other_year_rule;  // empty: off (such a year marks nothing)
  Lexicon other_year_openers;   // what may stand before it at the sentence's start: 到, 截至
  Lexicon other_year_not_before;  // what after its 年 makes it no date of the sentence: 建成的, 成立的
  int other_year_max_years = 50;  // how far from the report year a year may lie (1000年以上 is none)
  // A sentence dated on its own (another year, 明年 in a digest) that introduces a list
  // (2025年，东坪镇将实现三个目标：) lends its period to the items after it, each a sentence
  // of its own (二是建成美丽乡村示范村5个。 was the plan's of the sentences before).
  std::string introduced_list_rule;      // empty: off
  CharSet introduced_list_marks;  // what ends an introduction: ：
  Lexicon introduced_list_openers;       // words opening an item: 一是, 其二 (and layout.json's enumerators)
  // A line opening with a marker and a clause break starts a paragraph though the one
  // before ends no sentence (a list item or a table row without 。, then 今年，…).
  std::string paragraph_opening_rule;     // empty: off
  std::string clause_marker_rule;         // empty: off (one period per sentence)
  CharSet clause_marker_breaks;           // what ends the clause before: ，；
  // A table cell under a column header (or beside a row label) opening with a year or a
  // marker word takes that header's period: | 指标 | 2022年 | 2023年 |.
  std::string table_cell_rule;            // empty: off (a cell has its sentence's period)
  Lexicon table_cell_year_words;          // what may follow the year's digits: 年, 年度
  CharSet table_cell_span_marks;   // a span of years after them (2021—2023年): no one year
  // A digest of half-year reports (兰溪区2019年上半年…述职摘登): in-year readings, its plan
  // of the same year (plan_year_offset 0); the report year's 年 before one of the plan
  // words (2019年下半年，将…) names the plan.
  std::string half_year_rule;  // empty: off
  int half_year_plan_year_offset = 0;
  Lexicon half_year_plan_words;
  // A full report dated after the year it reviews reads its period words as a digest's.
  std::string full_report_given_after_rule;  // empty: off
  size_t full_report_given_after_lines = 0;  // how many lines of text, from the start and from the end, may hold the date
  std::vector<std::u32string> full_report_given_after_unless;  // words of a text written during its year: 今年以来, 明年
  CharSet paragraph_opening_then;  // what follows the marker: ，,
  CharSet paragraph_opening_not_after;  // the text before ends in one: a clause goes on
  Lexicon paragraph_opening_not_after_words;   // or in one of these (截至, 到): they take what follows
};

// exclusions.json set_phrases: per rule, no phrase after one of its not_after_chars
// (近千万元村集体资产: 近 bounds a figure) nor before one of its not_before words (千万元村
// of 千万元村集体资产: 村集体 is the noun). One check for the numerals and the facts.
struct SetPhraseBounds {
  std::vector<std::u32string> not_after;
  std::vector<std::shared_ptr<const Lexicon>> not_before;
  // Whether the phrase of `rule` at [start, start + len) of s is none here.
  bool voided(std::u32string_view s, size_t start, size_t len, size_t rule) const {
    if (rule >= not_after.size()) return false;
    if (start > 0 && not_after[rule].find(s[start - 1]) != std::u32string::npos) return true;
    return bool(not_before[rule]->longest_at(s, start + len));
  }
};

struct NumberRules {
  enum class CharType : uint8_t { none, digit, small_unit, big_unit, tens, point };
  // A character of type none has no rule.
  struct CharInfo {
    CharType type = CharType::none;
    int value = 0;  // digit value, power of ten for units, value for tens
    int rule = 0;   // index into rule_names
  };
  CharTable<CharInfo> chars;  // the BMP: numerals are all in it
  std::u32string alphabet;  // the characters of chars whose type is not none
  std::vector<std::string> rule_names;
  CharSet decimal_digit_chars;  // Chinese digits allowed after 点
  std::string arabic_rule;
  CharSet arabic_points, thousands_separators;
  CharSet fullwidth_separators;  // separators only between full-width digits: ４，５６５
  CharSet space_separators;      // white space between groups of three: 5 000万元, 1 200名
  size_t arabic_max_digits = 36;
  // 增长12. 5%, 投资1 . 5亿元, 12 .5%: a point with white space around it, inside one
  // number of running text (the integer glued to the word before it), is a decimal point.
  std::string spaced_point_rule;
  CharSet spaced_points;
  // Figures whose digits copying damaged, left out whole with a warning and their span,
  // never read in part (新增就业2,3000名 was 3000名, without a word). `chars`: the
  // characters the damage is made of; `chars_before`: those it may start with;
  // `not_after`: characters before the figure that make it no damage ($20，300美圆).
  // `code`: the warning's code (figure_damaged; figure_ambiguous for a figure whose sign
  // cannot be told); `words`: the words before the figure that make it ambiguous.
  struct DamageRule {
    std::string name, warning, code = "figure_damaged";
    CharSet chars, chars_before, not_after;
    Lexicon words, after_words;
  };
  DamageRule damaged_grouping, damaged_inner_space, damaged_letters, damaged_stop, damaged_dotted_chain,
      damaged_list_comma;
  // 分别完成投资1,200,850,960万元: commas grouping thousands after a word of respectively
  // (`words`, in the clause: `not_after` ends it) may part a list; left out (figure_ambiguous).
  DamageRule respectively_commas;
  // Figures read whole but with a sign no reader can trust, left out with a warning:
  // a tolerance (误差控制在±5%以内 is no 5%) and a minus sign after a word of decrease
  // (同比下降-1.2%: fell 1.2%, or fell by -1.2%, a rise?).
  DamageRule tolerance, negative_after_decrease;
  DamageRule from_bottom;  // 排名倒数第二: a rank counted from the last, which a rank's value cannot say
  // 师生比1:12: a ratio, left out with a warning (figure_unrepresentable); `chars` its
  // colons, `words` the words of a ratio before it in its clause (`not_after` ends the
  // clause), `after_words` right after it (按1:1比例配套).
  DamageRule ratio;
  // The damage rule of that name, or nullptr.
  const DamageRule* damage_rule(std::string_view name) const {
    for (const DamageRule* d : {&damaged_grouping, &damaged_inner_space, &damaged_letters, &damaged_stop,
                                 &damaged_dotted_chain, &damaged_list_comma, &respectively_commas, &tolerance,
                                 &negative_after_decrease, &from_bottom,
                                 &ratio})
      if (!d->name.empty() && d->name == name) return d;
    return nullptr;
  }
  // Why a figure was left out, from the name of the rule that refused it (empty: its
  // value cannot be represented): the warning's code and the rule's own message, with
  // the rule named. One answer for the document's warnings and `digestx numbers`.
  struct LeftOutReason {
    std::string code, message;
    // The figure is kept, only its subject withheld (subject_unpaired): never counted
    // among figures left out.
    bool kept = false;
    // What a count of the warnings past the first hundred counts ("40 more figures left out").
    std::string counted = "figures left out";
  };
  LeftOutReason left_out_reason(std::string_view rule_name) const;
  std::string negative_rule;
  Lexicon negative_words;
  Lexicon negative_not;  // words that end in a sign's character: 减负, 担负 (为企业减负11.8亿元)
  std::vector<bool> may_start = std::vector<bool>(0x10000, false);  // BMP characters a numeral may start with
  // BMP characters after a run of digits where damage, a ratio or a spaced point may
  // start (2,3000名, 76 4%, 1O0万元, 12。5%, 1:12, 12. 5%), white space aside (is_space):
  // points, separators, the damage rules' characters. Most figures end at none (2022年,
  // 3500余名, 100万元): TokenReader::damage_at stops at one bit, not 390 instructions.
  std::vector<bool> damage_may_follow = std::vector<bool>(0x10000, false);
  struct Approx {
    std::string name, qualifier;
  };
  std::vector<Approx> approx;
  Lexicon approx_inside;  // value: index into approx
  // 二〇二二: digits read one by one; 两三, 五六百, 十几: a numeral that is a range.
  std::string digit_string_rule, approximate_range_rule;
  // 几: an unknown digit, 十几 = [11, 19], 几十 = [10, 90].
  std::string ji_rule;
  CharSet ji_chars;
  // 亿元以上项目: a big unit alone before a unit word and one of these bounds is 1 of it
  // (100000000 元), not after the words of not_after (数亿元以上 is no 1亿).
  std::string bare_big_rule;
  Lexicon bare_big_bounds, bare_big_not_after;
  Lexicon bare_big_but_after;  // words that end in a not_after character but are no vague count: 建成万亩级
  Lexicon bare_big_bounds_before;  // 培育税收超亿元楼宇: a bound word before the bare big unit
  Lexicon bare_big_not_bounds_before;  // words ending in a bound word, no bound: 附近, 签约 (qualifiers.json not_before)
  // 两: a digit before a unit or on its own, never the last digit of a longer numeral
  // (两万两 is 20000 and the weight unit 两).
  std::string leading_only_rule;
  CharSet leading_only;
  // Financial characters that are ordinary words on their own: 队伍, 大陆, 收拾, 放肆.
  CharSet never_alone;
  // 半 before a unit: 半百 = 50.
  std::string half_rule;
  CharSet half_chars;
  // A dozen after a numeral: 十打 = 120; not where the word goes on as another (打造).
  std::string dozen_rule;
  Lexicon dozen_words;  // value: the multiplier
  Lexicon dozen_not;
  // 2e5, 2.7890e-1, 2^5.
  std::string exponent_rule;
  CharSet exponent_chars, power_chars;
  int max_exponent = 30;
  // 40k, -2.5 M.
  std::string multiplier_rule;
  std::vector<std::pair<char32_t, int>> latin_multipliers;  // character, power of ten
  // 三分之一, 3/5, 三百五又三分之一.
  std::string fraction_rule, mixed_rule;
  std::u32string fraction_infix, fraction_slash;
  Lexicon mixed_joiners;
  // Two digits side by side read as one number before these words: 七五折 = 75.
  std::string two_digit_rule;
  Lexicon two_digit_before;
  // A one-character numeral (一, 四, 十) counts only before these words, a unit, a
  // range connector, a qualifier, a non-Chinese character or the end (一只, 十斤, 四、;
  // not 一切, 一看, 四川). Filled from numbers.json and, at compile time, from the
  // units, connectors and qualifiers of the other files.
  std::string single_rule;
  Lexicon single_followers;
  // Words in which numeral characters are no numerals: numbers.json's own and the set
  // phrases of exclusions.json (with its exceptions); not after an ordinal prefix
  // (第一批 is an ordinal).
  std::string not_numeral_rule;
  Lexicon not_numerals, not_numeral_exceptions;  // value: 0, or kSetPhrase + the rule for exclusions.json's
  // sentences.json's soft stops, linked at load: a point after a word opens no decimal in
  // a stretch whose soft stops end sentences (5个.12个村), but does in one holding 。
  // (增长.5%).
  std::u32string soft_stops, soft_stops_unless;
  std::shared_ptr<const Lexicon> decimal_after_words;  // sentences.json's, linked at load: 增长.5% is 0.5%
  // exclusions.json's set phrases' bounds, linked at load (not_numerals' value minus kSetPhrase: the rule).
  SetPhraseBounds set_phrase_bounds;
  static constexpr int kSetPhrase = 1;
  Lexicon ordinal_prefixes;  // from quantities.json: a lone digit after 第 is a numeral
  Lexicon unit_words;        // from quantities.json: a set phrase that is a numeral and a unit
                             // (三家, 一批) is left to the facts stage (三家村, 三家企业)

  const CharInfo* info(char32_t c) const {
    const CharInfo& i = chars[c];
    return i.type == CharType::none ? nullptr : &i;
  }
  // A unit character (十百千 or 万亿), its power of ten in `value`; nullptr for any other.
  const CharInfo* unit_info(char32_t c) const {
    const CharInfo* i = info(c);
    return i && (i->type == CharType::small_unit || i->type == CharType::big_unit) ? i : nullptr;
  }
};

struct QuantityRules {
  struct Unit {
    std::string name;
    std::string kind;
    std::string unit;  // normalised unit; empty = null
    bool as_written = false;
    std::optional<Decimal> multiply_by, divide_by, max_value;
    std::optional<Decimal> multiply_if_below;  // multiply_by only below this: 7折 = 70%, 75折 = 75%
    bool decimal_after = false;  // a digit or 半 right after is the next place: 七成六, 两米半
    std::string decimal_after_rule;  // its name for --explain: NAME.decimal_after
    std::string max_value_rule;      // the refusal of a larger figure (十二成): NAME.max_value
    std::optional<Decimal> value;  // fixed words: 打对折 = 50
    // A measure word split by 多 or 半 (两个多月, 1个半小时): the qualifier the word
    // gives the figure, and what it adds to it (0.5).
    std::string qualifier;
    std::optional<Decimal> add;
    // A word that is a unit only in context (quantities.json `cued`): 分 is a score
    // (综合考核得分96.5分) right after Arabic digits and with a cue word before it in its
    // sentence; not a time (9时30分, 3分28秒) nor a price in fen (电价每千瓦时降低2分).
    struct Cue {
      bool arabic_only = false;
      CharSet not_after_chars;   // right before the figure: 9时30分
      CharSet not_before_chars;  // right after the word: 3分28秒
      CharSet sentence_breaks;   // where the sentence the cue is looked for in starts
      CharSet clause_breaks;     // where the figure's own clause starts (the cue is looked for in it)
      Lexicon words;                    // one of them in that clause, before the figure
      Lexicon han_after;                // a Han character right after the word must start one of these (分以上; not 分钱, 分场)
      bool after_scored_clause = false; // or the clause before ends in a cued figure whose clause holds a word
      size_t max_chars = 400;           // the look-back for the clause, at most
    };
    std::shared_ptr<const Cue> cued;
  };
  std::vector<Unit> units;
  Lexicon unit_words;  // value: index into units
  Lexicon cued_unit_words;  // the words of units with a cue, looked up when no other unit stands there
  std::vector<Unit> prefixes;
  Lexicon prefix_words;  // value: index into prefixes
  // 百分之五, 千分之五 (numerals with a per_power): kind and unit, and the power of ten
  // the value is given in (2: percent, so 千分之五 = 0.5).
  std::optional<Unit> parts_per;
  int parts_per_power = 2;
  // Sub-units of money after the main unit: 50元6角三分, 两美元又三美分.
  struct MoneyPart {
    std::string name;
    Decimal value;                     // in main units: 角 = 0.1
    std::vector<std::u32string> after; // main unit words it follows
  };
  std::vector<MoneyPart> money_parts;
  Lexicon money_part_words;  // value: index into money_parts
  Lexicon money_part_joiners;
  // Words that are a figure on their own: 打对折 = 50%.
  std::vector<Unit> fixed;
  Lexicon fixed_words;  // value: index into fixed
  // 20和30之间: a connector that makes a range only with a closer after the second figure.
  std::string between_rule;
  Lexicon between_connectors, between_closers;
  std::string not_unit_rule;
  Lexicon not_units;
  std::string not_unit_overlap_rule;
  Lexicon not_unit_overlaps;  // a noun after the unit that runs past the blocked word lifts the block (5个人民法庭)
  // A digit after a unit that is no tenth of it (decimal_after): it numbers the next
  // item of a list (十二公里三是…).
  Lexicon decimal_after_not_before;
  std::string ordinal_rule;
  Lexicon ordinal_prefixes;
  // 第1、2、3名: every place of a list led by 第 is a place; the last one's exclusion
  // (第三、四季度) is the whole list's.
  std::string ordinal_list_rule;
  std::string fraction_rule;
  Lexicon fraction_infix;
  std::string range_rule;
  Lexicon range_connectors;
  // 3至5万元: the multiplier written once for both ends of a range.
  std::string shared_multiplier_rule;
  // 分别增长3.5、8.2和6.1%: the unit (and multiplier) of a list's last figure is every
  // bare figure's before it, for units of these kinds; Arabic figures only.
  std::string list_unit_rule;
  std::vector<std::string> list_unit_kinds;
  size_t list_unit_max_figures = 0;
  Lexicon list_unit_not_units;  // measure words that number things (12、13、14组)
  int list_unit_thousands_lead_digits = 2;  // 1、200万元: a thousands separator typed as 、
  int list_unit_max_ratio = 100;  // 5000、2万元: figures this far apart share no unit
  // 28微克/立方米, 5万吨/日, 1200元/人: a unit per another, read with its unit (the
  // denominator after one of the separators); the figure is a level, never summed.
  std::string per_unit_rule;
  CharSet per_unit_separators;
  Lexicon per_unit_denominators;
  std::string date_rule;
  Lexicon year_words, month_words, day_words, after_month;
  int year_min = 1900, year_max = 2100;
};

struct QualifierRules {
  struct Entry {
    std::string name, qualifier;
    // Only before a numeral that begins with one of these (上百人, 上千人次: 上 before a
    // bare 百/千/万/亿; never 上一年, 线上12场); empty: before any.
    CharSet numeral_starts;
    Lexicon units;  // after_unit words with "units": the figure's unit must end with one of them
  };
  std::vector<Entry> entries;
  Lexicon before, after_numeral, after_unit;  // value: index into entries
  // after_unit entries limited to some units (24小时内, not 3个村内); kept out of
  // after_unit, whose words also make a one-character numeral a numeral.
  Lexicon after_some_units;  // value: index into entries
  Lexicon not_before;  // words that end where a "before" qualifier ends and cancel it (最近)
  Lexicon not_after_unit;  // words that begin with an after_unit word and are words of their own (多功能)
  Lexicon glue;        // between a "before" qualifier and the figure: 至少有10, 超过了80
  // Around the figure: 比三十大 (more_than), 比 170 低 (less_than).
  struct Around {
    std::string name, qualifier;
    Lexicon before, after;
  };
  std::vector<Around> around;
  // Before a share, reaching over what it is a share of: 约占总数的15.6% (about), 约占全镇
  //人口的三成. The word, then at most max_chars characters with none of breaks, then
  // one of through right before the figure.
  struct Reach {
    std::string name, qualifier;
    Lexicon words, through;
    size_t max_chars = 0;
    CharSet breaks;
  };
  std::vector<Reach> reach;
};

struct ExclusionRules {
  struct Quote {
    std::string name;
    char32_t open = 0, close = 0;
  };
  std::vector<Quote> quotes;
  std::vector<bool> quote_chars = std::vector<bool>(0x10000, false);  // BMP characters that open or close a quote
  size_t max_quote_chars = 80;
  std::u32string speech_marks;  // a quote holding one of these is speech: its figures are read
  std::vector<std::string> set_phrase_rules;
  // Per rule: its numeral is part of a name the noun phrase read back from a later
  // figure goes on over (开通24小时自助服务区3个 -> 24小时自助服务区).
  std::vector<bool> set_phrase_in_a_name;
  // A set phrase that starts right after its numeral names nothing after a verb of
  // holding (counted_after): 召开3次全会 counts three plenaries, 十四届三次全会 names one.
  // Each rule's words; an empty lexicon for a rule without them.
  std::vector<std::shared_ptr<const Lexicon>> set_phrase_counted_after;
  // Not counted when one of these follows the phrase: 召开三次全会精神宣讲会 names the session.
  std::vector<std::shared_ptr<const Lexicon>> set_phrase_named_before;
  SetPhraseBounds set_phrase_bounds;
  Lexicon set_phrases;  // value: index into set_phrase_rules
  bool refuses_inside_a_name(std::string_view rule) const {
    for (size_t k = 0; k < set_phrase_rules.size(); ++k)
      if (set_phrase_in_a_name[k] && set_phrase_rules[k] == rule) return true;
    return false;
  }
  Lexicon set_phrase_exceptions;
  // 第十二届…运动会, 十四届人大一次会议: session numbers inside a name.
  struct InstitutionName {
    std::string name;
    Lexicon units, bare_units, words;
    size_t max_chars = 16;
    bool year_only = false;  // the numeral is a year's four digits (2024届毕业生), no count
    // No unit: the name runs on from an ordinal's numeral itself (第一人民医院, 第二中学).
    bool ordinal_only = false;
  };
  std::vector<InstitutionName> institution_names;
  std::string title_ordinal_rule;
  Lexicon title_ordinals;
  std::string unit_prefix_rule;  // 节约用电千瓦时: 千 begins the unit word, no figure
  std::string place_rule;  // 八所镇, 三家村: a single Chinese digit + such a unit + a place suffix
  Lexicon place_units, place_suffixes;
  std::string indefinite_rule;  // 一支(队伍), 一批: an article, not a count
  Lexicon indefinite_numerals, indefinite_units;
  CharSet indefinite_counted_before;  // 变电站一座。: after its noun, ending the clause, it is a count
  std::string every_rule;                    // 每一栋楼、每一户居民: "every", never a count
  CharSet every_after;
  std::string url_rule;  // numerals inside web addresses are no quantities
  std::string unit_label_rule;  // 金额单位：千元: what a table's bare figures count in, no figure
  // A campaign named by a bare 百, 千 or 万 and a measure word, unquoted: 开展百名书记讲党课活动,
  // 实施千名党员进万家行动 (exclusions.json campaign_names): no count of 100 or 1000.
  struct CampaignNames {
    std::string name;
    CharSet numerals, not_after_chars, breaks;
    Lexicon units, words;
    size_t max_chars = 0;
    bool paired = false;         // a second bare 百/千/万 in the window closes it too: 千名干部进万家
    Lexicon not_paired_before;   // …but not one before these: 增收万元
    Lexicon after_verbs;   // one of them right before the numeral (开展百名…, 实施千名…)
    Lexicon not_between;   // none of them between the measure word and the closing word (参加, 走访)
  };
  CampaignNames campaign;
  Lexicon unit_label_words;     // 单位 (before a colon)
  CharSet unit_label_magnitudes;  // 十百千万亿: what the numeral after it is made of
  Lexicon url_starts;
  // The largest first character of url_starts (ASCII: http://, www.), set by the loader:
  // a character past it starts none, and is passed without a lookup (0: every character
  // is looked up).
  char32_t url_first_max = 0;
  std::string version_rule;
  CharSet version_before_chars;
  // The largest of version_before_chars: set by the loader (0: found per paragraph).
  char32_t version_before_max = 0;
  Lexicon version_after_words;
  Lexicon version_not_after;  // indicator abbreviations before a figure: GDP412.6亿元 is no version
  bool version_latin_glued = true;
};

struct SubjectRules {
  static constexpr size_t kMaxPhraseChars = 100;  // the most max_after and max_before may be
  size_t max_after = 10, max_before = 10;
  size_t max_before_reach = 0;  // a phrase cut inside a word at max_before may reach this far
  size_t max_after_quote = 1;  // 村“两委”干部, “红色物业”覆盖率: the head a quoted name before it modifies
  CharSet boundary_chars;
  std::vector<bool> is_boundary = std::vector<bool>(0x10000, false);  // the BMP ones of boundary_chars, for lookups
  Lexicon hard_stops;           // end a noun phrase on either side, always
  CharSet single_char_stops_before;  // the one-character hard stops that also end a phrase
                                            // before the figure (others start words: 就业, 在职)
  Lexicon stops_after;          // end a noun phrase after the figure once it has begun
  Lexicon verbs_after_noun;     // nouns elsewhere, verbs once a noun stands before them (干部驻村)
  Lexicon stops_before;         // end a noun phrase before the figure once it has begun
  Lexicon verbs_before_figure;  // right before the figure: its object follows, no subject before
  Lexicon copulas;              // right before the figure and skipped: 达到, 提高, 为 …
  Lexicon nouns;                // words that look like stops but are nouns: 在职, 对口, 各级, 人均
  Lexicon grade_words;          // 级 of 5万吨级泊位: it goes with the figure, not the noun
  std::string grade_rule;
  // 教师培训覆盖率: an activity (培训, a verb elsewhere) right before the rate of it is
  // part of the noun; its rule is named when the subject holds one.
  Lexicon rated_activities, rated_heads;
  std::string rated_activity_rule;
  CharSet noun_suffixes; // a verb right before one of these is part of a noun: 办结率, 慰问金
  char32_t head_marker = U'的';
  Lexicon nouns_after;             // nouns only after the figure (36名发展党员; 发展党员6名 is a verb)
  std::string phrase_start_rule;   // 人均, 按期: the subject begins at them; 型: never its first character
  Lexicon phrase_starts;
  Lexicon phrase_start_verb_modifiers;  // of phrase_starts, those that with nothing after them modify the verb (平均达到)
  CharSet never_first;
  std::string coordinated_rule;    // 3个市级和8个区级示范村: modifiers share the last head
  CharSet coordinators;
  Lexicon coordinated_examples;
  Lexicon shared_modifiers;                 // 中央和省级衔接资金: modifiers before a noun that share it
  CharSet shared_modifier_endings;   // 市级和县级…: a modifier ending in 级
  size_t coordinated_max_modifier = 4;  // 市级, 国家级: a modifier is short    // 白超队等3个市级和镇海等8个区级…: examples before the next count
  size_t coordinated_max_noun = 6;      // 中小学和幼儿园12所: nouns before a count share it
  size_t coordinated_max_listed = 0;    // 红枣、核桃线上销售额: short nouns in a 、 list before a sum share its head (0: off)
  std::string coordinated_bodies_rule;  // 16名非公有制企业和社会组织党组织书记: bodies share the head
  Lexicon coordinated_bodies;           // 社会组织, 高校 (and count_owners)
  // subjects.json "edges": words at the edges of a phrase that belong to the clause.
  struct Edges {
    std::string leading_rule;  // 有党员36名: 有 is no part of 党员
    Lexicon leading_verbs, not_leading_verbs;
    std::string trailing_rule;  // 吸纳群众就业620人: verbs_after_noun end the phrase before the figure
    std::string work_rule;      // 完成5G基站建设46座: the count counts 5G基站
    Lexicon works;
    CharSet event_units;  // 开展环境整治12次: a count of events keeps the work
    std::string attribute_rule;  // 2个社区党群服务中心面积不足200平方米
    Lexicon attributes;
    std::string purpose_rule;  // 投入3.6亿元实施农村饮水安全巩固提升工程
    Lexicon purpose_verbs, spend_verbs;  // 实施, 用于 after the sum; 投入, 争取 before it
    size_t purpose_max = 16;
    Lexicon modifier_verbs, modifier_heads;  // 认领服务项目: 服务 names the kind of 项目
    std::string divisor_rule;  // 扶持项目35个，每个项目补助资金20至50万元: 补助资金
    Lexicon divisor_words;     // 每个, 每家: the noun after them names again one counted before
    std::string comparand_rule;  // 增速高于城镇居民2.1个百分点: 增速, not 增速高于城镇居民
    Lexicon comparatives;        // 高于, 低于: what follows them in the phrase is the comparand
    std::string bound_share_rule;  // 60岁以上的村医占比超过四成: the bound bounds 村医, not 占比
    Lexicon bound_shares;          // 占比, 比例: the share the next figure measures
    std::string after_verb_rule;   // 培训后就业率: the verb before 后 is part of the noun
    Lexicon after_verb_words, not_after_verb_words;  // 后; 后备, 后勤 begin nouns
    std::string recipient_rule;    // 为群众代办事项3200件: 代办事项; 对每个脱贫县补助50万元: 补助
    Lexicon recipient_prepositions, recipient_verbs;  // 为, 对; 补助, 奖补 (besides stops_before)
    std::string slogan_rule;       // 政务服务事项“秒批秒办”达到120项: the noun before the slogan
    std::string bound_body_rule;   // 实现百吨以上渔船党组织全覆盖: the bound's noun is 渔船
    Lexicon bound_bodies;          // 党组织, 党支部: bodies set up in the bounded things
  } edges;
  // 分别 lists: 退役军人中分别有87人 ends its last noun before 中; 东山镇一产、二产 cuts 东山镇.
  Lexicon respectively_localizers, respectively_owner_suffixes;
  // 城乡低保标准分别提高到860元和720元: one word that names as many owners as it has
  // characters (城乡: town and country); each figure measures the noun after it.
  Lexicon respectively_paired_owners;
  // 茶叶、中药材种植面积分别为…: words that begin the head the nouns of a list share (种植).
  Lexicon respectively_heads;
  // 第一、二、三产业增加值分别增长…: a list of places led by an ordinal prefix (第) before the
  // head of the last noun; each place takes that head (第一产业增加值, 二产业增加值).
  std::string respectively_ordinal_rule;
  Lexicon respectively_ordinal_prefixes;
  CharSet respectively_ordinal_numerals;
  std::string share_rule;  // 入股农户占全村农户的三分之二: the share's subject is before 占
  Lexicon share_words;
  // 桃坪乡集体经济收入5万元以下 in 桃坪乡党委's report: the unit's own place (and a body of
  // it: 溪口市纪委监委立案218件) is no part of the subject.
  struct UnitPlaces {
    std::string rule;
    Lexicon endings;  // where a place ends in an organisation's name (县, 街道)
    Lexicon bodies;   // a body of the place that may follow it (检察院, 纪委监委)
    size_t min_chars = 2;  // a place has a name before its ending (not the 市 of 市委组织部)
    // 医院门急诊量156.3万人次 in 渠阳市第一人民医院党委's report: the words a body calls
    // itself by (医院, 全院) when its name holds one of `bodies` (医院, 卫生院).
    struct OwnKind {
      Lexicon bodies, words;
    };
    std::vector<OwnKind> own_kinds;
  } unit_places;
  // 每天为120名左右老人供餐: a verb right after the counted noun ends it (老人); also stops_after.
  // 县乡村三级矛盾纠纷调解组织: the levels a noun spans (places, then 三级) are no part of it.
  std::string level_span_rule;
  Lexicon level_spans;       // 两级, 三级
  CharSet levels;     // the places that may stand before them (县乡村)
  std::string count_verb_rule;
  Lexicon count_verbs;
  // 社区医生为近500人提供免费体检: a count right after 为 (for) and before a verb counts the
  // people served; the noun before 为 is who serves them, never the subject.
  std::string beneficiary_rule;
  Lexicon beneficiary_prepositions;
  // 组织100来人参加培训: a count after a verb that sets people to work (组织, 带动) and before
  // their verb counts people no noun names; 组织 is never the subject.
  std::string pivot_rule;
  Lexicon pivot_verbs;
  std::string object_verb_rule;     // 发出司法建议39份: the subject begins after the verb (司法建议)
  Lexicon object_verbs;             // such verbs; also stops_before
  std::string past_threshold_rule;  // 2.3万名60岁以上老年人: the count's noun is past the age bound
  Lexicon threshold_words;          // the bound's words after its figure (以上, 以下)
  std::string bound_forward_rule;   // 发展35岁以下党员: a bound right before its noun bounds that noun (not 年内发展)
  Lexicon threshold_levels;         // 11家二级以上公立医院: a level standing for the figure (二级, 县级)
  std::string count_owner_rule;    // 12个村集体经济收入超过20万元: the count counts 村
  Lexicon count_owners;
  // 12个县区优良天数比例达到90%: a rate the next figure measures, and no owner known: null.
  std::string count_owner_unnamed_rule;
  // 完成320家重点企业排污许可证核查: a count whose measure word counts an owner before the
  // object of a work counts the owner (重点企业); 所 counts schools and nothing else.
  struct OwnersOfWork {
    struct Group {
      CharSet measure_words;  // 家
      Lexicon words;                 // 企业, 合作社
      bool only_these = false;       // the measure word counts nothing else: no work needed
    };
    std::string rule;
    std::vector<Group> groups;
  } owners_of_work;
  CharSet list_separators;  // between the nouns of a list and between its figures (一产、二产)
  // Where the subject was found: after the figure (101个网格), after it and 的, before it
  // (党员突击队54支), inherited from the figure before (由5个增加到12个).
  std::string after_rule, after_de_rule, before_rule, inherited_rule;
  // 1.86亿元　党建与学科建设专项投入: a figure opening its sentence, white space, then a
  // label running to the sentence's end names what it measures (empty: off)
  std::string figure_label_rule;
  size_t figure_label_max = 20;
  // ▶综合网格：56个, 党员人数：1260名: a label, a colon, then the figure to the sentence's
  // end: the label names what it measures (empty: off; at most figure_label_max).
  std::string colon_label_rule;
  // 新成立小区党支部（18个）: a figure alone in brackets measures the noun before the
  // opening bracket (empty rule: off); open[k] pairs with close[k].
  struct BracketedFigure {
    std::string rule;
    std::u32string open, close;
  } bracketed_figure;
  std::string lone_deed_rule;  // 签约约3000人: a phrase that is only what the counted do is none (empty: off)
  std::string after_clause_rule;  // 问责8名履职不力的干警: the head after the clause's 的 (empty: off)
  size_t after_clause_max = 6;    // a longer clause has a verb of its own (…全面落实…的院长负责制)
  Lexicon after_clause_verbs;     // 12名违反规定的党员: verbs that make the words before 的 a clause
  Lexicon after_clause_not_after; // 由38名党员组成的志愿服务队: before the figure, its noun is the members'
  std::string share_whole_rule;   // 研发投入占营业收入比重: the owner before 占 belongs to the phrase
  std::string verb_pair_rule;     // 安全隐患排查整治46次: two verbs in a row name one piece of work
  Lexicon verb_pair_ends;         // the second verb of such a pair (整治, 化解), not 提供服务
  // A rate's subject passes on only to figures of these kinds (失业率下降0.5个百分点 passes
  // 失业率 on to 3个百分点 after it, never to 比上年增加2000万元).
  struct InheritedRates {
    std::string rule;      // names the refusal in the tables; empty: any figure inherits
    Lexicon endings;       // 率, 比重, 占比, 比例
    Lexicon not_endings;   // words ending so that are no rate (劳动生产率: money per worker)
    std::vector<std::string> kinds;  // percent, percentage_point, …
  } inherited_rates;
  // A figure that opens a clause after a comma, words of its own after it, inherits no
  // subject (800余人达成就业意向): a clause ends right after an inheriting figure at one of
  // clause_ends, or goes on with one of continuations (以上, 左右: the figure's own words).
  struct InheritedClauseSubject {
    std::string rule;  // empty: off
    CharSet clause_ends;
    Lexicon continuations;
  } inherited_clause_subject;
  std::vector<std::pair<char32_t, char32_t>> quote_pairs;
  // A figure alone in a pipe table's cell (| 实际利用外资 | 5.6亿美元 | 12.5% |): its
  // column's header names what it measures (| 党员数 |), or, where the header is only a
  // year or a word such as 数值 (its generic_columns, digits aside), the row's label.
  struct TableCells {
    std::string row_rule, column_rule;
    Lexicon generic_columns;
  } table_cells;
};

// The one registry of fact kinds and aspects (kinds.json): what each kind is and
// how it behaves, declared once; the other rules files, the schema's enums, the review
// page and the tests take kinds and aspects from here.
struct KindInfo {
  std::string name, label, colour, background;
  bool quantity = true;       // false: a number that is no quantity (date, name): value null, no subject
  bool subject_after = false; // the counted noun is looked for after the figure first (101个网格)
  bool summable = false;      // figures of the kind may be added up at all
  bool totalled = false;      // the review page and the tables total it (money)
  int default_aspect = -1;    // index into aspects; -1 = null
  std::string default_aspect_rule;  // its name for --explain: kind.NAME.default_aspect
};

struct AspectInfo {
  std::string name, label;
  bool summable = false;  // totals may add it (amount)
};

// What a figure stands for when it is no outcome (kinds.json statuses): target, forecast.
struct StatusInfo {
  std::string name, label;
};

struct KindRegistry {
  std::vector<KindInfo> kinds;
  std::vector<AspectInfo> aspects;
  std::vector<StatusInfo> statuses;
  // nullptr for a kind the registry does not declare.
  const KindInfo* kind(std::string_view name) const {
    for (const KindInfo& k : kinds)
      if (k.name == name) return &k;
    return nullptr;
  }
  int aspect_index(std::string_view name) const {
    for (size_t i = 0; i < aspects.size(); ++i)
      if (aspects[i].name == name) return int(i);
    return -1;
  }
  int status_index(std::string_view name) const {
    for (size_t i = 0; i < statuses.size(); ++i)
      if (statuses[i].name == name) return int(i);
    return -1;
  }
  // A quantity: a kind of the registry whose figures have a value.
  bool is_quantity(std::string_view name) const {
    const KindInfo* k = kind(name);
    return k && k->quantity;
  }
};

// Cues of a figure's aspect (aspects.json): the first cue that fits gives it.
struct AspectRules {
  enum class Where { clause, sentence, near, unit, follows, after_count, column, per_unit };
  struct Cue {
    std::string name;
    int aspect = -1;                // index into the registry's aspects (a cue of `cues`)
    int status = -1;                // index into the registry's statuses (a cue of `status_cues`)
    std::vector<std::string> kinds; // the kinds it applies to
    // The same as flags by the registry's index of each kind, for lookups: comparing
    // the names was half of finding a figure's aspect (every cue asks, for every figure).
    std::vector<bool> for_kind;
    Where where = Where::clause;
    Lexicon words;                  // clause, sentence, near, column (a table column's header: 增长)
    size_t max_gap = 0;             // near: characters between the cue and the figure,
    CharSet gap_chars;       // all of these (增长了一倍)
    Lexicon not_after_cue, not_before_cue;
    std::vector<std::string> units;       // unit: the fact's normalised unit; any other: only figures of these units
    std::vector<std::string> qualifiers;  // any: only figures with one of these (empty: any)
    Lexicon not_in_text;                  // any: not when the figure's text holds one of these (3200余人的: 余 is no bound)
    Lexicon not_in_clause;                // any: not when one of these is in the clause before the figure (全镇…收入突破500万元: a total)
    Lexicon parts_of_whole;               // clause: a clause opening with one of these (其中) lists parts of the figure
                                          // in the clause before it, and that clause's cue is theirs too
    Lexicon followed_by;                  // follows: words right after the figure
    bool followed_by_han = false;         // follows: any Chinese character right after it
    Lexicon text_ends;                    // follows: the figure's text ends with one of these
    std::vector<std::string> after_kinds; // after_count: a figure of one of these kinds before it in its clause
    bool ranges_only = false;             // any: only figures that are a range (3至5万元的小额诉讼案件)
    bool alone_in_clause = false;         // any: only a figure with no quantity before it in its clause
    bool not_in_plans = false;            // a status cue: none in a sentence of the year planned (this_year)
    Lexicon preceded_by;                  // follows: and a word right before the figure (在3至5万元的)
    // Its bit in first_bits for `words` (where clause or sentence) and not_in_clause;
    // 0 for a list it does not read over a stretch. Set by the loader only
    // (index_first_chars): a cue made otherwise with such a list and a bit of 0 would
    // never find its words.
    uint32_t words_bit = 0, not_in_clause_bit = 0;
    // Filters that refuse most cues of a figure's kind at once (set by the loader,
    // index_cue_filters; 0: none, every cue read in full). unit_bits and
    // qualifier_bits: the name_bit of each of units and qualifiers (a figure's unit
    // matched against each name in turn was a tenth of finding aspects). near_bits: a
    // near cue's char_bit of the characters its words end with and of gap_chars: the
    // character right before the figure (its list) must be one of them, or no word ends
    // within max_gap (most near cues of a figure were read in full for nothing).
    uint64_t unit_bits = 0, qualifier_bits = 0, near_bits = 0;
  };
  // The bit of a name (a unit, a qualifier) in Cue::unit_bits and qualifier_bits.
  static uint64_t name_bit(std::string_view name) {
    size_t h = name.size() * 31;
    if (!name.empty()) h += size_t(uint8_t(name.front())) + size_t(uint8_t(name.back())) * 7;
    return uint64_t(1) << (h & 63);
  }
  // The bit of a character in Cue::near_bits.
  static uint64_t char_bit(char32_t c) { return uint64_t(1) << (lexicon_layout::char_hash(c) >> 58); }
  std::vector<Cue> cues;
  // A figure that is no outcome (预计全年可完成63亿元: forecast), read as `cues` are: the first
  // that fits gives its status, none leaves it an outcome.
  std::vector<Cue> status_cues;
  // For each kind (the registry's index), the indices into cues (status_cues) of those
  // that apply to it, in order, but the column cues (read by the table step): a figure
  // tries only these (each trying all 53 cues of aspects.json was a fifth of finding
  // aspects). Filled by the loader; empty: every cue is tried.
  std::vector<std::vector<uint16_t>> cues_by_kind, status_cues_by_kind;
  // A figure a change starts from at another time (由上年的2740万元增长到…): aspects.json
  // baseline, the status it gives. Empty rule: off.
  std::string baseline_rule;
  int baseline_status = -1;  // index into KindRegistry::statuses
  Lexicon baseline_openers, baseline_times;
  Lexicon baseline_reached_by;  // 从120万元增加到150万元: after the figure, the level it goes on to
  size_t baseline_reached_max_gap = 0;  // Chinese characters between: 从2个村扩大到8个村
  std::u32string baseline_year_suffixes, baseline_joiner;
  CharSet clause_breaks;
  // The low six bits of each of clause_breaks, as a filter (clause_begin): set by the
  // loader; 0: made from clause_breaks on each call (34,000 calls per 2 MB of text).
  uint64_t clause_break_bits = 0;
  // The word lists read over the stretch before a figure (a clause or sentence cue's
  // words, not_in_clause), by the characters their words start with: the bit of each
  // list whose words start with c is set in first_bits[slot of c] (a bit may stand for
  // several lists). One pass over a clause then rules most lists out: each list looking
  // for its words at every character of the clause, for every figure, was most of
  // finding aspects. Filled by the loader; empty: nothing ruled out.
  static constexpr unsigned kFirstBitsShift = 64 - 10;  // 1,024 slots
  std::vector<uint32_t> first_bits;
  uint32_t lists_starting_with(char32_t c) const {
    return first_bits.empty() ? ~uint32_t(0) : first_bits[size_t(lexicon_layout::char_hash(c) >> kFirstBitsShift)];
  }
};

// facts.json: recognise, then compose. The recognisers of the facts stage emit typed
// spans around each numeral (the numeral itself, 第, 人民币, 余, a unit word, a range
// tail, 年/月/日 …); a pattern is a sequence of such items, and the first pattern that
// matches at a numeral hands what it matched to its production, one of a closed set
// registered in C++ (src/fact_patterns.cpp). Duckling's rules, Recognizers-Text's split
// of extraction from resolution.
struct FactPatternRules {
  // The typed spans a pattern can ask for.
  enum class Item : uint8_t {
    numeral,                 // a numeral (the first one is the anchor: the figure itself)
    ordinal_prefix,          // 第, before the anchor
    ordinal_list_prefix,     // the 第 of a list the anchor is in, after its first figure (第1、2、3名)
    currency_prefix,         // 人民币, ￥, $, before the anchor
    qualifier_after_numeral, // 余, 多 between the figure and its unit (3500余名)
    unit,                    // a unit or measure word (quantities.json units)
    range,                   // a range tail: 至/到/-/和…之间 and the high end with its unit
    range_connector,         // 至, 到, - alone (date spans: 2023—2025年)
    year_word,               // 年
    month_word,              // 月
    day_word,                // 日, 号
    after_month,             // 初, 中旬, 底, 份
    money_part,              // 6角, 三分 after a main unit of money
    list_unit,               // the unit of the list's last figure, after bare figures (3.5、8.2和6.1%)
    words,                   // one of the pattern's own words (a literal)
  };
  // Conditions on an item: numerals (year, month, later_month, day, parts_per,
  // fraction), units (money, count), day words (not_unit: 5日元 is money).
  enum class Check : uint8_t { any, year, month, later_month, day, parts_per, fraction, money, count, not_unit };
  // The closed set of productions.
  enum class Production : uint8_t { date, parts_per, ordinal, prefix_unit, fraction, scale_by_unit, money_sub_units, bare };
  struct PatternItem {
    Item item = Item::numeral;
    Check check = Check::any;
    bool optional = false;
    // Only where a pattern has them (a Lexicon holds 16 KiB of tables).
    std::optional<Lexicon> words;   // Item::words: the literal; Item::unit: the unit words allowed (none: any)
    std::optional<Lexicon> unless;  // Item::words before the figure: longer words ending there that are not it (目前 for 前)
  };
  struct Pattern {
    std::string name;
    std::vector<PatternItem> items;
    size_t anchor = 0;  // index of the first numeral item
    Production produce = Production::bare;
    bool spaces = true;        // spaces may stand between the items (dates: no)
    std::string qualifier;     // given to the fact when nothing else qualifies it (前三名: at_most)
  };
  std::vector<Pattern> patterns;
  // Which of the first 64 patterns may match at a figure, told by one character next to
  // it: a pattern whose item right before the figure is required matches only where the
  // figure follows one of the last characters of that item's words (第, 币 of 人民币, 前, 近);
  // a date whose item right after the figure is required, only where the figure is
  // followed by one of their first characters (年, 月, 至). Worked out from the patterns
  // and their word lists once the rules are loaded (link_fact_patterns): each figure
  // tried every pattern in turn, ten of them for nothing on most figures (140
  // instructions each). The patterns a figure may match are still tried in file order.
  struct PatternGates {
    // Where the character stands: right before the figure, or before it past up to
    // FactText::kMaxGap spaces (words looked up with spaces allowed); right after it,
    // or after it past such spaces.
    enum Side : uint8_t { before, before_spaced, after, after_spaced, kSides };
    uint64_t ungated = 0;  // bit k: pattern k may match whatever stands next to the figure
    // By side, sorted by character: the patterns (bit k: pattern k) that the character
    // there lets through.
    std::vector<std::pair<char32_t, uint64_t>> by_char[kSides];
    // By side, a hashed bit filter of those characters: most characters next to a figure
    // are none of them, and are let go without a search.
    uint64_t filter[kSides][4] = {};
    static size_t filter_bit(char32_t c) { return size_t((uint64_t(c) * 0x9E3779B97F4A7C15ull) >> 56); }
    uint64_t let_through(Side side, char32_t c) const {
      size_t bit = filter_bit(c);
      if (!((filter[side][bit >> 6] >> (bit & 63)) & 1)) return 0;
      const auto& table = by_char[side];
      auto it = std::lower_bound(table.begin(), table.end(), c, [](const auto& e, char32_t x) { return e.first < x; });
      return it != table.end() && it->first == c ? it->second : 0;
    }
  };
  PatternGates gates;

  // Rules over the facts of a paragraph once every numeral is composed, applied in
  // file order, each over the whole paragraph. Their items: a fact whose qualifier is
  // one of `qualifiers`, a word of `words`, a fixed word (quantities.json fixed: 打对折),
  // the list of nouns before a word and the list of facts after it (一产、二产、三产增加值
  // 分别为8.08亿元、2.08亿元、6.68亿元), and any run of subjects.json copulas between a word
  // and its figures (城市、农村低保标准分别提高到每人每月780元、620元: 提高到每人每月).
  // Each production takes one shape of items.
  enum class CombineItem : uint8_t { fact, words, fixed_word, noun_list, fact_list, copulas };
  enum class Combination : uint8_t { fixed_figure, bounds, respectively, parts, sum, unpaired };
  struct CombineItemRule {
    CombineItem item = CombineItem::fact;
    bool optional = false;
    std::vector<std::string> qualifiers;  // fact: the qualifiers it may have (none: any)
    std::optional<Lexicon> words;         // words
  };
  // parts only: the clauses after a break that go on a list of parts when they are
  // parallel to its first (其中光伏电站收益18万元，农机服务收入12.4万元: a noun and a figure
  // of the whole's unit), not when they hold a verb the first part's clause does not
  // (其中市级补助18万元，撬动社会资本200万元: a new statement).
  struct ParallelClauses {
    std::string name;
    CharSet breaks;              // the breaks such a clause goes on over
    CharSet breaks_after_colon;  // the same after 其中：
    Lexicon verbs;                      // words that open a new statement (撬动, 达到, 比)
    size_t max_lead_chars = 0;          // a clause's words before its figure, at most: a noun's
    std::vector<std::string> kinds;     // the kinds of figure such a clause may hold (money)
    std::vector<std::string> not_qualifiers;  // bounds (单项合同额500万元以上): no part
  };
  struct CombineRule {
    std::string name;
    std::vector<CombineItemRule> items;
    Combination produce = Combination::bounds;
    std::optional<ParallelClauses> parallel;
    std::string warning;  // unpaired only: the message of the warning on a subject left out
  };
  std::vector<CombineRule> combinations;
  // The qualifier a numeral carries inside (十余万: more_than) given to its fact.
  std::string inside_qualifier_rule;
  // A figure alone in a table's cell that states again a figure of its unit's prose
  // (完成固定资产投资3.2亿元 … | 固定资产投资 | 3.2亿元 |): a part of it (Fact::part_of),
  // so that no total adds one sum twice. Empty name: not looked for.
  struct RestatedInTable {
    std::string name;
    std::vector<std::string> kinds;  // of figures a total adds (money)
    size_t min_chars = 3;  // the shorter of the row's label and the prose's subject, lying in the longer
    // A short line opening with a bullet (layout.json bullets) restates the prose as a
    // table's cell does: ●投入资金300万元 under 去年，全乡投入资金300万元. Empty: off.
    std::string bullet_name;
    size_t bullet_max_chars = 40;
  };
  RestatedInTable restated_in_table;

  // Refusals the code decides, named here so that --explain can say why a numeral was
  // not taken: a bare figure without qualifier or range, a code (0898), a year read
  // as a duration, a value that cannot be represented.
  std::string refuse_bare, refuse_code, refuse_year_duration, refuse_unrepresentable;
};

// Shared, never copied: a Document keeps the Rules its names point into alive
// (shared_from_this), so extract(b, s, *load_rules_dir(d)) cannot dangle.
struct Rules : std::enable_shared_from_this<Rules> {
  KindRegistry kinds;
  AspectRules aspects;
  LayoutRules layout;
  StructureRules structure;
  SentenceRules sentences;
  PeriodRules periods;
  NumberRules numbers;
  QuantityRules quantities;
  QualifierRules qualifiers;
  ExclusionRules exclusions;
  SubjectRules subjects;
  FactPatternRules facts;
  // "sha256:" and the SHA-256 of the effective rules files concatenated in the order
  // of their names: which rules made a document (`cat rules/*.json | sha256sum`).
  std::string fingerprint;
};

// The rules compiled into the binary, made once and kept until the process ends.
std::shared_ptr<const Rules> default_rules();
// The built-in rules compiled anew at each call (default_rules keeps the first).
std::shared_ptr<const Rules> compile_default_rules();
// Where default_rules first looks for the built-in rules: the command line's snapshot
// of them, made at build time (src/cli/rules_snapshot.cpp), which gives null when it
// cannot be used; then default_rules compiles them. Set before the first default_rules.
using BuiltInRulesSource = std::shared_ptr<const Rules> (*)();
void set_built_in_rules_source(BuiltInRulesSource source);
// The largest rules file read (the built-in ones are a few KiB; 80,000 set phrases
// are about 2 MiB).
constexpr size_t kMaxRulesFileBytes = size_t(32) << 20;
// Built-in rules with the files of `dir` in place of those of the same name; a file
// that is not one of the rules files, or not a regular file of at most
// kMaxRulesFileBytes (a FIFO, /dev/zero through a symlink), is an error. Throws RulesError.
std::shared_ptr<const Rules> load_rules_dir(const std::string& dir);
// Compiles a full set of files (every name of embedded_rules_files()). Throws RulesError.
std::shared_ptr<const Rules> compile_rules(const std::vector<RulesFile>& files);
// The fingerprint of a set of rules files, as Rules::fingerprint holds it.
std::string rules_fingerprint(const std::vector<RulesFile>& files);

}  // namespace digestx
