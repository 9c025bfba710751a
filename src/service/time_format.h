#pragma once
// Timestamps in the one spelling every output of the monitor uses: RFC 3339 in UTC with
// milliseconds ("2024-05-01T12:34:56.789Z"), valid both in JSON and as an RFC 5424 TIMESTAMP.
#include <chrono>
#include <functional>
#include <string>

namespace sanso::service {

using WallClock = std::function<std::chrono::system_clock::time_point()>;

std::string rfc3339_utc(std::chrono::system_clock::time_point t);

}  // namespace sanso::service
