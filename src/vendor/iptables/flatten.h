#pragma once
// One built-in chain of one table, with the user chains it reaches, -> ordered first-match
// entries (model::FilterEntry) for one address family.
#include <map>
#include <string>
#include <vector>

#include "model/device.h"
#include "vendor/iptables/config.h"
#include "vendor/iptables/lower.h"

namespace sanso::vendor::iptables {

/// Reasons a line is not fully understood, by line number (merged into Coverage.unparsed).
using LineNotes = std::map<int, std::vector<std::string>>;

struct FlattenInput {
  std::string file;
  const Table* table = nullptr;
  const std::vector<LoweredMatch>* lowered = nullptr;  ///< parallel to table->rules
  model::Family family = model::Family::V4;
};

/// Nesting deeper than this is treated as a loop (the kernel allows far less in practice).
inline constexpr int kMaxJumpDepth = 64;
/// Flattening copies a user chain once per jump to it; beyond this many entries per stage the
/// remaining jumps become uncertain permits instead of growing without bound.
inline constexpr std::size_t kMaxEntries = 400000;
/// Likewise for rules visited (a chain jumping twice to the next, 60 levels deep, emits nothing
/// but would never finish).
inline constexpr std::size_t kMaxSteps = 4000000;

/// Entries of built-in chain `chain`, its policy as the last entry (match = the family).
std::vector<model::FilterEntry> flatten_chain(const FlattenInput& in, const std::string& chain,
                                              LineNotes& notes);

/// "<table> <chain>: <rule text without counters, whitespace collapsed>".
std::string normalized_rule_text(const std::string& table, const Rule& rule);

}  // namespace sanso::vendor::iptables
