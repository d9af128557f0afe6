// A figure's aspect (what it is, so that figures can be added up honestly): amount,
// per_capita, rate, change, threshold, cumulative, rank, or null. Read from cues in
// the words around the figure (rules/aspects.json), else the kind's default
// (rules/kinds.json). Part of the facts stage: it sees the paragraph's matching view.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "digestx/rules.hpp"
#include "digestx/span.hpp"

namespace digestx {

struct AspectInput {
  std::u32string_view text;  // the matching view of the paragraph
  size_t begin = 0, end = 0; // the fact's text in it, qualifiers included
  // Where the list of figures it closes begins (分别增长5.0%和6.8%: 6.8%'s list begins at
  // 5.0%), so that a cue right before the list is every one's; `begin` when it stands alone.
  size_t list_begin = 0;
  size_t sentence = 0;       // where the sentence holding it begins (the sentences stage's)
  static constexpr size_t kUnknown = size_t(-1);
  size_t clause = kUnknown;  // clause_begin(text, begin), when the caller has it already
  std::string_view kind, qualifier;
  std::string_view unit;     // normalised, UTF-8; empty = none
  std::vector<std::string_view> kinds_before;  // of the figures before it in its clause (12个村…超100万元)
  bool range = false;        // the figure is a range (3至5万元)
};

struct AspectPick {
  std::string_view aspect;  // owned by the rules; empty = null
  std::string_view rule;    // the cue's name, or the kind's default_aspect rule (kind.KIND.default_aspect)
  const AspectRules::Cue* cue = nullptr;  // the cue that fitted, if one did
};

// A figure's aspect (a cue of aspects.json, else its kind's default) and, when it is no
// outcome, its status (target, forecast: a cue of status_cues; empty for an outcome),
// read in one look at the words around it.
struct FigureAspects {
  AspectPick aspect, status;  // status.aspect holds the status's name
};
FigureAspects find_aspect_and_status(const AspectInput& in, const Rules& rules);

// Whether a status cue's status holds in a sentence of `period`: a cue with not_in_plans
// gives none in the year planned (今年目标任务100亿元 is the plan itself, an amount).
bool status_holds(const AspectRules::Cue& cue, Period period);

// Where the clause holding position `pos` begins (after the last clause break).
size_t clause_begin(std::u32string_view text, size_t pos, const AspectRules& rules);

// Whether the figure starting at `begin` of `view` (a matching view) is the one a change
// starts from at another time (aspects.json baseline: 由上年的2740万元增长到3260万元, 由2005年的
// 1180万元…): a level of that time, no outcome of the year (status baseline).
bool baseline_figure(std::u32string_view view, size_t begin, size_t end, const AspectRules& rules);

}  // namespace digestx
