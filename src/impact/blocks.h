#pragma once
// A PacketSet as a short union of readable blocks: source ranges x destination ranges x services.
//
// PacketSet::blocks() gives disjoint boxes, cut wherever the algebra happened to cut them (one box
// per port of a multiport rule, slivers left by subtraction). Reviewers read "these sources may
// now reach these destinations on these services", so the boxes are regrouped: first the services
// of each (source interval, destination interval), then sources and destinations that share
// everything else. Every regrouping keeps the union exactly (readable_set() of the result equals
// the input; tests/impact/blocks_test.cpp checks it on random sets).
#include <string>
#include <vector>

#include "model/packet_set.h"

namespace sanso::impact {

/// One block: (union of `src`) x (union of `dst`) x (union of `services`), all of one family.
struct ReadableBlock {
  model::Family family = model::Family::V4;
  std::vector<model::Interval> src;  ///< sorted, disjoint, not touching
  std::vector<model::Interval> dst;  ///< sorted, disjoint, not touching
  /// Disjoint boxes over the fields other than Family, Src and Dst (those three are left full
  /// and ignored): protocol, ports, ICMP type/code, TCP flags, source MAC.
  std::vector<model::Block> services;
};

/// The decomposition, sorted (family, first source, first destination, services).
std::vector<ReadableBlock> readable_blocks(const model::PacketSet& s);

/// The exact set a block stands for.
model::PacketSet readable_set(const ReadableBlock& b);

/// "10.1.10.0/24", "10.1.10.5-10.1.10.9, 10.1.20.0/24": address ranges as CIDRs where they are.
std::string ranges_text(model::Family family, const std::vector<model::Interval>& ranges);

/// "tcp/443", "tcp/9100-9110", "udp/53", "icmp/8", "ip/47", "any" (every connection-opening
/// packet), with " sport N", " code N", " flags [SA]", " mac M" where a field is narrowed.
std::vector<std::string> services_text(const std::vector<model::Block>& services);

}  // namespace sanso::impact
