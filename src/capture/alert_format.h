#pragma once
// How alerts and the monitor's summary are written: JSON lines (DESIGN §5 "Monitor alerts") and
// one-line text for people, in English or Japanese.
#include <nlohmann/json.hpp>
#include <string>

#include "capture/alert.h"
#include "capture/monitor.h"
#include "capture/source/packet_source.h"

namespace sanso::capture {

/// RFC 3339 UTC with microseconds: "2026-04-01T00:30:00.123456Z".
std::string format_time(Nanos t);

nlohmann::json alert_json(const Alert& a);
nlohmann::json aggregate_json(const AlertAggregate& a);
/// `ja`: Japanese message. Two lines: what was seen, then the message.
std::string alert_text(const Alert& a, bool ja);
std::string aggregate_text(const AlertAggregate& a, bool ja);

nlohmann::json summary_json(const MonitorCounters& c, const SourceStats& s);
std::string summary_text(const MonitorCounters& c, const SourceStats& s, bool ja);

}  // namespace sanso::capture
