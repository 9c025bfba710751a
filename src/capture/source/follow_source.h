#pragma once
// Follow mode: directories of rotated capture files (tcpdump -G / -C, dumpcap ring buffers) are
// polled, and every new file is read once it is complete: a file with a later name exists in its
// directory, or it has neither grown nor been touched for the settle time. Each file is read once.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "capture/source/inputs.h"
#include "capture/source/merge_source.h"

namespace sanso::capture::source_detail {

class FollowSource final : public PacketSource {
 public:
  using Clock = std::chrono::steady_clock;
  /// `poll`: how often the directories are listed; `idle_wait`: how long next() waits before it
  /// returns Idle; `settle`: how long the newest file must stay unchanged to count as complete.
  FollowSource(std::vector<std::string> directories, std::string bpf, std::chrono::milliseconds poll,
               std::chrono::milliseconds idle_wait, std::chrono::milliseconds settle);

  /// Queues the inputs that are not directories (named files, glob matches, stdin) and reads each
  /// directory's complete files.
  void start(const std::vector<InputFile>& others, std::vector<SourceError>& fatal);

  Next next(RawPacket& out) override;
  void stop() override;
  SourceStats stats() override;
  std::string current_input() const override { return merge_.current_input(); }

 private:
  struct Growing {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type mtime;
    Clock::time_point unchanged_since;
  };

  std::size_t poll();  // returns how many files it queued
  bool settled(const std::string& path, Clock::time_point now);

  std::vector<std::string> directories_;
  std::chrono::milliseconds poll_, idle_wait_, settle_;
  MergeSource merge_;
  // Per directory, the files handed to the merge (read once each). Files that disappear from the
  // directory are forgotten, so a long rotation does not grow this without bound.
  std::map<std::string, std::set<std::string>> taken_;
  std::map<std::string, Growing> growing_; // newest files being watched until they settle
  std::map<std::string, std::string> dir_errors_;  // last listing error per directory
  std::vector<SourceError> errors_;
  Clock::time_point next_poll_{};
  std::atomic<bool> stopped_{false};
};

}  // namespace sanso::capture::source_detail
