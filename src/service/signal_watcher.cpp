#include "service/signal_watcher.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/system/error_code.hpp>

#include <csignal>
#include <thread>

namespace sanso::service {

struct SignalWatcher::Impl {
  boost::asio::io_context io;
  boost::asio::signal_set signals{io};
  std::thread thread;
};

SignalWatcher::SignalWatcher(std::function<void()> on_stop) : on_stop_(std::move(on_stop)) {}

SignalWatcher::~SignalWatcher() { stop(); }

bool SignalWatcher::start(std::string& error) {
  impl_ = std::make_unique<Impl>();
  boost::system::error_code ec;
  for (int s : {SIGHUP, SIGUSR1, SIGTERM, SIGINT}) {
    impl_->signals.add(s, ec);
    if (ec) {
      error = "cannot watch signal " + std::to_string(s) + ": " + ec.message();
      return false;
    }
  }
  arm();
  impl_->thread = std::thread([this] { impl_->io.run(); });
  return true;
}

void SignalWatcher::arm() {
  impl_->signals.async_wait([this](const boost::system::error_code& e, int sig) {
    if (e) return;  // cancelled: stopping
    if (sig == SIGHUP) reload_ = true;
    if (sig == SIGUSR1) summary_ = true;
    if (sig == SIGTERM || sig == SIGINT) {
      stop_signal_ = sig;
      stop_ = true;
      if (on_stop_) on_stop_();
    }
    arm();
  });
}

void SignalWatcher::stop() {
  if (!impl_) return;
  boost::system::error_code ec;
  impl_->signals.cancel(ec);
  impl_->signals.clear(ec);
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_.reset();
}

}  // namespace sanso::service
