#include "capture/source/follow_source.h"

#include <algorithm>
#include <system_error>
#include <thread>

namespace sanso::capture::source_detail {

namespace fs = std::filesystem;

FollowSource::FollowSource(std::vector<std::string> directories, std::string bpf,
                           std::chrono::milliseconds poll, std::chrono::milliseconds idle_wait,
                           std::chrono::milliseconds settle)
    : directories_(std::move(directories)),
      poll_(poll),
      idle_wait_(idle_wait),
      settle_(settle),
      merge_(std::move(bpf)) {}

void FollowSource::start(const std::vector<InputFile>& others, std::vector<SourceError>& fatal) {
  merge_.add_files(others, fatal);
  poll();
  next_poll_ = Clock::now() + poll_;
}

void FollowSource::stop() {
  stopped_.store(true, std::memory_order_relaxed);
  merge_.stop();
}

SourceStats FollowSource::stats() {
  SourceStats s = merge_.stats();
  s.read_errors.insert(s.read_errors.end(), errors_.begin(), errors_.end());
  return s;
}

// A file is complete when nothing has changed it for the settle time. Sizes and modification
// times are compared between polls on our own clock; a file whose mtime is already older than the
// settle time when first seen (a directory of old captures) counts as complete at once.
bool FollowSource::settled(const std::string& path, Clock::time_point now) {
  std::error_code ec;
  std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return false;
  fs::file_time_type mtime = fs::last_write_time(path, ec);
  if (ec) return false;
  auto it = growing_.find(path);
  if (it == growing_.end()) {
    if (fs::file_time_type::clock::now() - mtime >= settle_) return true;
    growing_[path] = {size, mtime, now};
    return false;
  }
  Growing& g = it->second;
  if (g.size != size || g.mtime != mtime) {
    g = {size, mtime, now};
    return false;
  }
  return now - g.unchanged_since >= settle_;
}

std::size_t FollowSource::poll() {
  const Clock::time_point now = Clock::now();
  std::vector<InputFile> complete;
  for (const std::string& dir : directories_) {
    std::string error;
    std::vector<std::string> files = list_directory(dir, error);
    // A directory that disappears (remounted, rotated away) is reported once per distinct error,
    // not once per poll.
    if (!error.empty()) {
      if (dir_errors_[dir] != error) errors_.push_back({dir, error});
      dir_errors_[dir] = error;
      continue;
    }
    dir_errors_.erase(dir);
    std::set<std::string>& old_taken = taken_[dir];
    std::set<std::string> taken;
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string& f = files[i];
      if (old_taken.count(f) != 0) {
        taken.insert(f);
        continue;
      }
      bool newest = i + 1 == files.size();  // sorted: a later name means this one was rotated
      if (newest && !settled(f, now)) continue;
      taken.insert(f);
      growing_.erase(f);
      complete.push_back({f, false, dir});
    }
    old_taken = std::move(taken);
  }
  // Inputs found in directories are never fatal: failures land in the merge's read errors.
  std::vector<SourceError> unused;
  merge_.add_files(complete, unused);
  return complete.size();
}

PacketSource::Next FollowSource::next(RawPacket& out) {
  for (;;) {
    if (stopped_.load(std::memory_order_relaxed)) return Next::End;
    if (merge_.next(out) == Next::Packet) return Next::Packet;
    Clock::time_point now = Clock::now();
    if (now >= next_poll_) {
      next_poll_ = now + poll_;
      if (poll() != 0) continue;
    }
    // Nothing to read: wait a little (in short slices, so stop() is honoured quickly), then let the
    // caller run its timers.
    Clock::time_point until = std::min(next_poll_, now + idle_wait_);
    while (Clock::now() < until && !stopped_.load(std::memory_order_relaxed)) {
      std::this_thread::sleep_for(std::min<Clock::duration>(until - Clock::now(),
                                                            std::chrono::milliseconds(10)));
    }
    return stopped_.load(std::memory_order_relaxed) ? Next::End : Next::Idle;
  }
}

}  // namespace sanso::capture::source_detail
