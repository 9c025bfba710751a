#pragma once
// --count and --duration, enforced around any source: next() returns End once either is reached.
#include <memory>

#include "capture/source/packet_source.h"

namespace sanso::capture::source_detail {

/// `inner` itself when neither limit is set. `live`: the duration runs on the wall clock from
/// now; otherwise on capture time from the first packet.
std::unique_ptr<PacketSource> with_limits(std::unique_ptr<PacketSource> inner,
                                          const SourceOptions& options, bool live);

}  // namespace sanso::capture::source_detail
