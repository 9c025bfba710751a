#pragma once
// PacketSource::open with the follow-mode settle time as a parameter (tests use ~100 ms instead
// of the 5 s a real rotation needs).
#include <chrono>
#include <memory>
#include <vector>

#include "capture/source/packet_source.h"

namespace sanso::capture::source_detail {

/// How long the newest file of a followed directory must stay unchanged to be read.
inline constexpr std::chrono::milliseconds kDefaultSettle{5000};

std::unique_ptr<PacketSource> open_source(const SourceOptions& options, std::chrono::milliseconds settle,
                                          std::vector<SourceError>& errors);

}  // namespace sanso::capture::source_detail
