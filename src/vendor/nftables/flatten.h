#pragma once
// One base chain, with the chains it jumps and goes to, -> ordered first-match entries
// (model::FilterEntry) for one stage. Interface conditions that one InterfaceMatch cannot carry
// (`iifname != { "a", "b" }`, a RETURN that holds only on some interfaces) are made exact by
// walking the rest of the chain once per named interface first: those copies decide every packet
// of that interface, so later entries need not exclude it.
#include <map>
#include <string>
#include <vector>

#include "model/device.h"
#include "vendor/nftables/config.h"
#include "vendor/nftables/lower.h"

namespace sanso::vendor::nftables {

/// Reasons a line is not fully understood, by line number (merged into Coverage.unparsed).
using LineNotes = std::map<int, std::vector<std::string>>;

/// Lowers each rule once per context (the same user chain may be reached from several hooks).
class LoweringCache {
 public:
  const LoweredRule& get(const Rule& r, const LowerContext& ctx, int context_key);

 private:
  std::map<std::pair<const Rule*, int>, LoweredRule> cache_;
};

/// What an entry stands for beyond FilterEntry: the rule's verdict (NAT chains read it).
struct EntryInfo {
  Verdict verdict = Verdict::None;  ///< None: the chain policy
  NatTarget nat;
};

struct FlattenInput {
  std::string file;
  std::string stage;          ///< "inet filter forward": prefix of every normalized text
  const Table* table = nullptr;
  const Chain* base = nullptr;
  LowerContext ctx;
  int context_key = 0;
  LoweringCache* cache = nullptr;
};

struct FlattenResult {
  std::vector<model::FilterEntry> entries;  ///< the policy last (match = the table's families)
  std::vector<EntryInfo> info;              ///< parallel to entries
};

/// Jumps nested deeper than this are treated as a loop (the kernel allows 16).
inline constexpr int kMaxJumpDepth = 64;
/// Beyond this many entries per stage the rest of the walk becomes one uncertain permit.
inline constexpr std::size_t kMaxEntries = 400000;

FlattenResult flatten(const FlattenInput& in, LineNotes& notes);

/// "<stage>: <rule text without counter values>".
std::string normalized_rule_text(const std::string& stage, const Rule& r);

}  // namespace sanso::vendor::nftables
