#include "capture/source/limits.h"

#include <chrono>
#include <cmath>
#include <optional>

namespace sanso::capture::source_detail {

namespace {

class LimitedSource final : public PacketSource {
 public:
  LimitedSource(std::unique_ptr<PacketSource> inner, const SourceOptions& o, bool live)
      : inner_(std::move(inner)), count_(o.count), live_(live), start_(Clock::now()) {
    if (o.duration_s) duration_ns_ = static_cast<Nanos>(std::llround(*o.duration_s * 1e9));
  }

  Next next(RawPacket& out) override {
    if (ended_) return Next::End;
    if (count_ && delivered_ >= *count_) return end();
    if (live_ && wall_time_up()) return end();
    Next r = inner_->next(out);
    if (r == Next::End) return end();
    if (r == Next::Idle) return live_ && wall_time_up() ? end() : r;
    if (duration_ns_ && !live_) {
      // Capture time: a file's packets up to (not including) first + duration.
      if (!first_ts_) first_ts_ = out.ts;
      if (out.ts - *first_ts_ >= *duration_ns_) return end();
    }
    ++delivered_;
    bytes_ += out.wirelen;
    return r;
  }
  void stop() override { inner_->stop(); }
  SourceStats stats() override {
    // Counted here: the inner source also counts the packet that crossed the duration.
    SourceStats s = inner_->stats();
    s.packets = delivered_;
    s.bytes = bytes_;
    return s;
  }
  std::string current_input() const override { return inner_->current_input(); }

 private:
  using Clock = std::chrono::steady_clock;
  Next end() {
    ended_ = true;
    return Next::End;
  }
  bool wall_time_up() const {
    return duration_ns_ && std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_)
                                   .count() >= *duration_ns_;
  }

  std::unique_ptr<PacketSource> inner_;
  std::optional<std::uint64_t> count_;
  std::optional<Nanos> duration_ns_;
  bool live_;
  Clock::time_point start_;
  std::optional<Nanos> first_ts_;
  std::uint64_t delivered_ = 0, bytes_ = 0;
  bool ended_ = false;
};

}  // namespace

std::unique_ptr<PacketSource> with_limits(std::unique_ptr<PacketSource> inner,
                                          const SourceOptions& options, bool live) {
  if (!options.count && !options.duration_s) return inner;
  return std::make_unique<LimitedSource>(std::move(inner), options, live);
}

}  // namespace sanso::capture::source_detail
