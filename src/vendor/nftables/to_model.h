#pragma once
// NftConfig -> model::Device: the semantic step. Every base chain on a hook a forwarded packet
// passes (prerouting, forward, postrouting) of every ip/ip6/inet table becomes one stage, in
// hook and priority order; a packet is forwarded only if every stage accepts it, which is nft's
// rule that an accept ends one base chain and a drop ends all. NAT chains give the device's
// destination NAT (applied before the filters) and source NAT.
#include <string>
#include <vector>

#include "model/device.h"
#include "vendor/nftables/config.h"

namespace sanso::vendor::nftables {

model::Device to_model(const std::string& device_name, const std::vector<NftConfig>& configs);

}  // namespace sanso::vendor::nftables
