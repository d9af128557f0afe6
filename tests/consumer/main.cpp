// consumer FILE: extracts a digest with the digestx library and prints its units and
// its first money fact.
#include <digestx/pipeline.hpp>
#include <fstream>
#include <iostream>
#include <iterator>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  std::ifstream in(argv[1], std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  digestx::Document doc = digestx::extract(bytes, {argv[1]}, *digestx::default_rules());
  std::cout << doc.units.size() << " units, " << digestx::count_facts(doc) << " facts\n";
  for (const digestx::Unit& unit : doc.units)
    for (const digestx::Fact& fact : unit.facts)
      if (fact.kind == "money") {
        std::cout << "money " << fact.value->str() << " " << fact.unit << "\n";
        return 0;
      }
  return 1;
}
