// `digestx --summary`: what a document (or a batch) holds, for a person at a
// terminal: units, facts by kind and by aspect, money by period.
#pragma once

#include <map>
#include <string>

#include "digestx/decimal.hpp"
#include "digestx/document.hpp"

namespace digestx::cli {

// The fact's aspect, or "" where it is not known.
std::string aspect_of(const Fact& f);

struct Stats {
  size_t documents = 0, units = 0, facts = 0;
  std::map<std::string, size_t> by_kind, by_aspect;
  std::map<std::string, size_t> by_status;  // the figures that are no outcome: target, forecast
  struct Money {
    Decimal yuan;
    size_t facts = 0;
    bool overflow = false;
  };
  std::map<std::string, Money> money;  // by "period year", e.g. "last_year 2022"
};

Stats stats_of(const Document& doc);
void add(Stats& total, const Stats& one);
// A few lines headed by `title` (a path, or "all N documents").
std::string format_stats(const Stats& s, const std::string& title);

}  // namespace digestx::cli
