#include "policy/finding.h"

#include <algorithm>
#include <cstdint>
#include <fmt/format.h>
#include <tuple>

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

void sort_findings(std::vector<Finding>& findings) {
  auto key = [](const Finding& f) {
    const model::SourceRef* ref = f.evidence.empty() ? nullptr : &f.evidence.front().ref;
    return std::make_tuple(severity_rank(f.severity), f.rule, f.from_tier, f.to_tier, f.from_zone,
                           f.to_zone, f.device, ref ? ref->file : std::string(),
                           ref && ref->line ? *ref->line : 0, f.id);
  };
  std::stable_sort(findings.begin(), findings.end(),
                   [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
}

}  // namespace sanso::policy
