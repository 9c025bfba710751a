#include "vendor/nftables/stages.h"

namespace sanso::vendor::nftables {

int transit_hook_order(const std::string& hook) {
  if (hook == "prerouting") return 0;
  if (hook == "forward") return 1;
  if (hook == "postrouting") return 2;
  return -1;
}

int effective_priority(const BaseChain& b) {
  if (b.type == "nat" && b.hook == "prerouting") return -100;
  if (b.type == "nat" && b.hook == "postrouting") return 100;
  return b.priority.value_or(0);
}

CtMode ct_mode(const BaseChain& b) {
  // NF_IP_PRI_CONNTRACK = -200 (include/uapi/linux/netfilter_ipv4.h); output is similar but
  // never carries forwarded packets.
  if (b.hook != "prerouting") return CtMode::New;
  if (!b.priority) return CtMode::Unknown;
  const int p = effective_priority(b);
  if (p < -200) return CtMode::Invalid;
  if (p == -200) return CtMode::Unknown;
  return CtMode::New;
}

}  // namespace sanso::vendor::nftables
