#include "policy/finding.h"

#include <algorithm>
#include <string_view>
#include <cstdint>
#include <fmt/format.h>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace sanso::policy {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::Violation: return "violation";
    case Status::Unproven: return "unproven";
    case Status::Waived: return "waived";
    case Status::Info: return "info";
  }
  return "violation";
}

std::string identity_hash(std::initializer_list<std::string_view> fields) {
  // FNV-1a, 64 bit: stable across runs and platforms, which is all identity needs.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (std::string_view s : fields) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
    h ^= 0xff;  // field separator
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h);
}

std::string finding_identity(const Finding& f) {
  return identity_hash({f.rule, f.device, f.from_zone, f.to_zone, f.permitting_text});
}

namespace {

// The key refers into the finding (no string copies per comparison): a big rule base has tens
// of thousands of findings, and building the key inside the comparison dominated the audit.
auto sort_key(const Finding& f) {
  const model::SourceRef* ref = f.evidence.empty() ? nullptr : &f.evidence.front().ref;
  using V = std::string_view;
  return std::make_tuple(severity_rank(f.severity), V(f.rule), V(f.from_tier), V(f.to_tier),
                         V(f.from_zone), V(f.to_zone), V(f.device), ref ? V(ref->file) : V(),
                         ref && ref->line ? *ref->line : 0, V(f.id));
}

}  // namespace

bool sorts_before(const Finding& a, const Finding& b) { return sort_key(a) < sort_key(b); }

void sort_findings(std::vector<Finding>& findings) {
  auto key = [](const Finding& f) { return sort_key(f); };
  using Key = decltype(key(findings.front()));
  std::vector<std::pair<Key, std::size_t>> order;
  order.reserve(findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) order.emplace_back(key(findings[i]), i);
  // Index last in the pair: equal keys keep their order (a stable sort, as before).
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.first < b.first) return true;
    if (b.first < a.first) return false;
    return a.second < b.second;
  });
  std::vector<Finding> sorted;
  sorted.reserve(findings.size());
  for (const auto& [k, i] : order) sorted.push_back(std::move(findings[i]));
  findings = std::move(sorted);
}

}  // namespace sanso::policy
