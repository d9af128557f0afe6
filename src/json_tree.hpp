// A parsed JSON document as one flat array of nodes over one pool of bytes: what the
// rules loader reads. The built-in rules are flattened at build time
// (src/gen/rules_compact_gen.cpp writes the arrays as constant data), so a run starts
// without parsing them: nlohmann's parser and the tree of maps it builds, then frees,
// were 6.4 M of the 25 M instructions of a run on a one-line file. Rules read with
// --rules are parsed by nlohmann at run time and flattened by the same function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace digestx {

struct JsonTreeNode {
  enum Type : uint8_t { null, boolean, integer, number, string, array, object };
  uint8_t type = null;
  uint32_t parent = 0;           // index of the parent (the root: itself)
  uint32_t key_at = 0, key_len = 0;  // an object's member: its key in the pool
  uint32_t first = 0, count = 0;     // array, object: the children, nodes [first, first + count)
  uint32_t text_at = 0, text_len = 0;  // string: its bytes; integer, number: as nlohmann writes it
  int64_t value = 0;                 // integer: the value; boolean: 0 or 1
};

// The nodes (the root first) and the pool their strings point into.
struct JsonTreeView {
  const JsonTreeNode* nodes = nullptr;
  size_t node_count = 0;
  const char* pool = nullptr;
  size_t pool_size = 0;
  // The built-in rules' trees (src/gen/rules_compact_gen.cpp) also hold each string
  // node's matching view (decoded and folded, as the rules loader reads words): the
  // k-th node's at folded[k] = {at, length} in folded_pool. Null in a tree flattened
  // at run time (--rules), whose strings the loader decodes and folds itself.
  const uint32_t (*folded)[2] = nullptr;
  const char32_t* folded_pool = nullptr;
};

struct JsonTree {
  std::vector<JsonTreeNode> nodes;
  std::string pool;
  JsonTreeView view() const { return {nodes.data(), nodes.size(), pool.data(), pool.size(), nullptr, nullptr}; }
};

namespace json_tree_detail {

inline uint32_t pooled(std::string& pool, std::string_view s) {
  uint32_t at = uint32_t(pool.size());
  pool.append(s);
  return at;
}

// Fills node `at` from `j` and files its children, in one block at the end in
// nlohmann's order (an object's keys sorted), on `todo` to be filled in turn: no
// recursion, so that a hostile --rules file nested 100,000 deep cannot overflow the
// stack (nlohmann parses it without recursing too).
inline void fill(JsonTree& t, uint32_t at, const nlohmann::json& j,
                 std::vector<std::pair<uint32_t, const nlohmann::json*>>& todo) {
  using nlohmann::json;
  JsonTreeNode n = t.nodes[at];
  switch (j.type()) {
    case json::value_t::null: n.type = JsonTreeNode::null; break;
    case json::value_t::boolean: n.type = JsonTreeNode::boolean, n.value = j.get<bool>() ? 1 : 0; break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: n.type = JsonTreeNode::integer, n.value = j.get<long long>(); break;
    case json::value_t::number_float: n.type = JsonTreeNode::number; break;
    case json::value_t::string: n.type = JsonTreeNode::string; break;
    case json::value_t::array: n.type = JsonTreeNode::array; break;
    case json::value_t::object: n.type = JsonTreeNode::object; break;
    default: n.type = JsonTreeNode::null; break;  // binary values and discarded ones: not in a rules file
  }
  if (n.type == JsonTreeNode::integer || n.type == JsonTreeNode::number) {
    std::string dumped = j.dump();
    n.text_at = pooled(t.pool, dumped), n.text_len = uint32_t(dumped.size());
  } else if (n.type == JsonTreeNode::string) {
    const std::string& s = j.get_ref<const std::string&>();
    n.text_at = pooled(t.pool, s), n.text_len = uint32_t(s.size());
  }
  if (n.type == JsonTreeNode::array || n.type == JsonTreeNode::object) {
    n.first = uint32_t(t.nodes.size()), n.count = uint32_t(j.size());
    t.nodes.resize(t.nodes.size() + j.size());
    uint32_t k = n.first;
    for (auto it = j.begin(); it != j.end(); ++it, ++k) {
      t.nodes[k].parent = at;
      if (n.type == JsonTreeNode::object)
        t.nodes[k].key_at = pooled(t.pool, it.key()), t.nodes[k].key_len = uint32_t(it.key().size());
      todo.emplace_back(k, &*it);
    }
  }
  t.nodes[at] = n;
}

}  // namespace json_tree_detail

inline JsonTree flatten_json(const nlohmann::json& doc) {
  JsonTree t;
  t.nodes.resize(1);
  std::vector<std::pair<uint32_t, const nlohmann::json*>> todo = {{0, &doc}};
  while (!todo.empty()) {
    auto [at, j] = todo.back();
    todo.pop_back();
    json_tree_detail::fill(t, at, *j, todo);
  }
  return t;
}

}  // namespace digestx
