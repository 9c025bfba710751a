#pragma once
// Small filters for the rule-base tests: one entry per line, written as header conditions.
#include <optional>
#include <string>
#include <vector>

#include "model/device.h"
#include "model/packet_set.h"

namespace sanso::rulebase::test {

inline model::PacketSet src(const char* cidr) { return model::PacketSet::src(*model::parse_cidr(cidr)); }
inline model::PacketSet dst(const char* cidr) { return model::PacketSet::dst(*model::parse_cidr(cidr)); }
inline model::PacketSet tcp(std::uint16_t lo, std::uint16_t hi) {
  return model::PacketSet::dport(model::kProtoTcp, lo, hi);
}
inline model::PacketSet v4() { return model::PacketSet::family(model::Family::V4); }

struct E {
  model::PacketSet match;
  model::Action action = model::Action::Permit;
  std::optional<std::string> in = std::nullopt;
  std::optional<std::string> out = std::nullopt;
  bool uncertain = false;
  int line = 0;  ///< 0: the entry's index + 1
};

inline model::Filter filter_of(const std::vector<E>& es,
                               model::Action default_action = model::Action::Permit) {
  model::Filter f;
  f.name = "filter FORWARD";
  f.default_action = default_action;
  for (std::size_t i = 0; i < es.size(); ++i) {
    model::FilterEntry e;
    e.match = es[i].match;
    e.action = es[i].action;
    if (es[i].in) e.in = model::InterfaceMatch{*es[i].in, false};
    if (es[i].out) e.out = model::InterfaceMatch{*es[i].out, false};
    e.uncertain = es[i].uncertain;
    const int line = es[i].line != 0 ? es[i].line : static_cast<int>(i) + 1;
    e.evidence.push_back({"fw.rules", line, std::nullopt, "line " + std::to_string(line)});
    e.normalized_text = "rule " + std::to_string(line);
    f.entries.push_back(std::move(e));
  }
  return f;
}

constexpr auto P = model::Action::Permit;
constexpr auto D = model::Action::Deny;

}  // namespace sanso::rulebase::test
