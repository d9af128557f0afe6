#include "digestx/pipeline.hpp"

#include "digestx/facts.hpp"
#include "digestx/joined.hpp"
#include "digestx/layout.hpp"
#include "digestx/periods.hpp"
#include "digestx/sentences.hpp"
#include "digestx/units.hpp"
#include "digestx/view.hpp"

namespace digestx {

namespace {

// Sentences, periods and facts of the paragraphs of one unit or sidebar. Periods run
// on across the paragraphs of a unit; sidebars are not reports and have none.
void fill(std::u32string_view text, std::u32string_view view, const std::vector<ParagraphText>& in, bool with_periods,
          std::optional<int> report_year, bool explain, const Rules& rules, std::vector<Paragraph>& paragraphs,
          std::vector<Fact>& facts) {
  std::vector<std::vector<SentenceText>> sentences;
  std::vector<SentenceText> all;
  for (const auto& p : in) {
    sentences.push_back(split_sentences(view, p, rules.sentences));
    all.insert(all.end(), sentences.back().begin(), sentences.back().end());
  }
  std::vector<PeriodMark> marks = with_periods ? assign_periods(view, all, report_year, rules.periods)
                                               : std::vector<PeriodMark>(all.size());
  size_t k = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    Paragraph para;
    para.pieces = in[i].pieces;
    Joined joined = Joined::of(view, in[i].pieces);
    FactInput fi;
    fi.joined = &joined;
    fi.text = text;
    fi.report_year = report_year;
    fi.explain = explain;
    size_t offset = 0;
    for (const SentenceText& s : sentences[i]) {
      const PeriodMark& m = marks[k++];
      para.sentences.push_back({s.pieces, m.period, m.rule, m.marked});
      // Where the sentence starts in the joined paragraph.
      while (offset < joined.size() && joined.source(offset) != s.pieces.front().start) ++offset;
      fi.sentence_starts.push_back(offset);
      fi.periods.push_back(m.period);
      fi.period_rules.push_back(m.rule);
    }
    std::vector<Fact> found = find_facts(fi, rules);
    facts.insert(facts.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    paragraphs.push_back(std::move(para));
  }
}

}  // namespace

Document extract_text(std::u32string text, SourceInfo source, const Rules& rules, const ExtractOptions& options) {
  Document doc;
  doc.source = std::move(source);
  doc.text = std::move(text);
  std::u32string view = matching_view(doc.text);
  StructureOptions so;
  so.year = options.year;
  // The lines are needed only to find the structure.
  Structure st = find_units(view, layout(doc.text, view, rules.layout), rules, so);
  doc.title = st.title;
  doc.title_breaks = st.title_breaks;
  doc.subtitle = st.subtitle;
  doc.region = st.region;
  doc.title_rule = st.title_rule;
  doc.subtitle_rule = st.subtitle_rule;
  doc.region_rule = st.region_rule;
  doc.year_rule = st.year_rule;
  doc.report_year = st.report_year;
  doc.warnings.insert(doc.warnings.end(), st.warnings.begin(), st.warnings.end());
  for (const SidebarText& sb : st.sidebars) {
    Sidebar out;
    out.label = sb.label;
    out.rule = sb.rule;
    fill(doc.text, view, sb.paragraphs, false, doc.report_year, options.explain, rules, out.paragraphs, out.facts);
    doc.sidebars.push_back(std::move(out));
  }
  for (const UnitText& ut : st.units) {
    Unit u;
    u.has_heading = ut.has_heading;
    u.heading = ut.heading.heading;
    u.organization = ut.heading.organization;
    u.role = ut.heading.role;
    u.name = ut.heading.name;
    u.headline = ut.heading.headline;
    u.rules = ut.heading.rules;
    fill(doc.text, view, ut.paragraphs, true, doc.report_year, options.explain, rules, u.paragraphs, u.facts);
    doc.units.push_back(std::move(u));
  }
  return doc;
}

namespace {

Document from_decoded(Decoded d, size_t bytes, SourceInfo source, const Rules& rules, const ExtractOptions& options) {
  source.encoding = d.encoding;
  source.bom = d.bom;
  source.bytes = bytes;
  Document doc = extract_text(std::move(d.text), std::move(source), rules, options);
  doc.warnings.insert(doc.warnings.begin(), d.warnings.begin(), d.warnings.end());
  return doc;
}

}  // namespace

Document extract(std::string_view bytes, SourceInfo source, const Rules& rules, const ExtractOptions& options) {
  return from_decoded(decode(bytes, options.decode), bytes.size(), std::move(source), rules, options);
}

Document extract_owned(std::string&& bytes, SourceInfo source, const Rules& rules, const ExtractOptions& options) {
  Decoded d = decode(bytes, options.decode);
  size_t size = bytes.size();
  std::string().swap(bytes);
  return from_decoded(std::move(d), size, std::move(source), rules, options);
}

LineAnalysis analyse_line(std::u32string line, const Rules& rules, bool explain) {
  LineAnalysis out;
  out.text = std::move(line);
  std::u32string view = matching_view(out.text);
  out.numerals = find_numerals(view, rules.numbers, out.text);
  Joined joined = Joined::of(view, {{0, uint32_t(view.size())}});
  FactInput fi;
  fi.explain = explain;
  fi.joined = &joined;
  fi.text = out.text;
  fi.numerals = &out.numerals;  // the line is one piece: the same numerals
  out.facts = find_facts(fi, rules);
  return out;
}

size_t count_facts(const Document& doc) {
  size_t n = 0;
  for (const auto& u : doc.units) n += u.facts.size();
  for (const auto& s : doc.sidebars) n += s.facts.size();
  return n;
}

}  // namespace digestx
