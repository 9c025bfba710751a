#include "service/time_format.h"

#include <ctime>

#include <fmt/format.h>

namespace sanso::service {

std::string rfc3339_utc(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = time_point_cast<milliseconds>(t).time_since_epoch().count();
  // Floor division so that instants before 1970 still get a non-negative millisecond part.
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  long long frac = ms % 1000;
  if (frac < 0) {
    frac += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

}  // namespace sanso::service
