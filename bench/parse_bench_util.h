#pragma once
// What the vendor parse benches share: a clock in seconds and dotted IPv4 text for generated
// configs.
#include <chrono>
#include <string>

namespace sanso_bench {

using Clock = std::chrono::steady_clock;

inline double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

inline std::string ip4(unsigned v) {
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
         std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255);
}

}  // namespace sanso_bench
