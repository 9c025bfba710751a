#pragma once
// Where a base chain sits among the chains a forwarded packet meets.
#include <optional>
#include <string>

#include "vendor/nftables/config.h"
#include "vendor/nftables/lower.h"

namespace sanso::vendor::nftables {

/// Hooks a forwarded packet passes, in order; -1 for the others (input, output, ingress, ...).
int transit_hook_order(const std::string& hook);

/// Where the nat core runs its chains: nat-type chains of one hook are called together at
/// NF_IP_PRI_NAT_DST (-100) in prerouting and NF_IP_PRI_NAT_SRC (100) in postrouting, whatever
/// their own priority (which orders them among themselves).
int effective_priority(const BaseChain& b);

/// Where conntrack stands for packets of this chain (it runs in prerouting at -200).
CtMode ct_mode(const BaseChain& b);

}  // namespace sanso::vendor::nftables
