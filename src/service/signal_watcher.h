#pragma once
// The monitor daemon's signals through Boost.Asio: SIGHUP (reload), SIGUSR1 (summary),
// SIGTERM/SIGINT (flush and exit). The packet loop polls flags; a stop request also calls the
// given function at once (to break a blocking capture read).
#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace sanso::service {

class SignalWatcher {
 public:
  explicit SignalWatcher(std::function<void()> on_stop);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  /// Installs the handlers and starts the watcher's thread.
  bool start(std::string& error);
  void stop();

  /// True once per SIGHUP received since the last call.
  bool take_reload() { return reload_.exchange(false); }
  bool take_summary() { return summary_.exchange(false); }
  bool stop_requested() const { return stop_.load(); }
  /// The signal that asked to stop (SIGTERM or SIGINT), 0 if none.
  int stop_signal() const { return stop_signal_.load(); }

  struct Impl;

 private:
  void arm();

  std::function<void()> on_stop_;
  std::atomic<bool> reload_{false}, summary_{false}, stop_{false};
  std::atomic<int> stop_signal_{0};
  std::unique_ptr<Impl> impl_;
};

}  // namespace sanso::service
