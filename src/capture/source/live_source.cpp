#include "capture/source/live_source.h"

#include "capture/source/pcap_file.h"

#include <pcap/pcap.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>


namespace sanso::capture::source_detail {

namespace {

// pcap_activate's status as one line: the status name, plus libpcap's detail when it has one.
std::string status_message(pcap_t* p, int status) {
  std::string text = pcap_statustostr(status);
  std::string detail = pcap_geterr(p);
  if (!detail.empty() && detail != text) text += ": " + detail;
  return text;
}

}  // namespace

std::unique_ptr<LiveSource> LiveSource::open(const SourceOptions& o, std::vector<SourceError>& errors) {
  const std::string& name = *o.interface;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_create(name.c_str(), errbuf);
  if (p == nullptr) {
    errors.push_back({name, std::string("cannot open interface: ") + errbuf});
    return nullptr;
  }
  pcap_set_snaplen(p, o.snaplen);
  pcap_set_promisc(p, o.promiscuous ? 1 : 0);
  pcap_set_immediate_mode(p, o.immediate ? 1 : 0);
  pcap_set_buffer_size(p, o.buffer_mb * 1024 * 1024);
  pcap_set_timeout(p, o.timeout_ms);
  // Nanoseconds where the device supports them; otherwise libpcap keeps microseconds and
  // next() scales them.
  (void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);

  std::vector<SourceError> warnings;
  int status = pcap_activate(p);
  if (status < 0) {
    errors.push_back({name, "cannot open interface: " + status_message(p, status)});
    pcap_close(p);
    return nullptr;
  }
  if (status > 0) warnings.push_back({name, "warning: " + status_message(p, status)});

  if (!o.bpf.empty()) {
    bpf_program prog{};
    if (pcap_compile(p, &prog, o.bpf.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      errors.push_back({"filter", "invalid expression '" + o.bpf + "': " + filter_error(pcap_geterr(p))});
      pcap_close(p);
      return nullptr;
    }
    int rc = pcap_setfilter(p, &prog);
    pcap_freecode(&prog);
    if (rc != 0) {
      errors.push_back({name, std::string("cannot install the filter: ") + pcap_geterr(p)});
      pcap_close(p);
      return nullptr;
    }
  }
  // Non-blocking reads plus our own poll(): with immediate mode (TPACKET_V2 on Linux) a blocking
  // pcap_next_ex does not return on the read timeout while no packet arrives, so the caller would
  // never get Idle to run its timers.
  if (pcap_setnonblock(p, 1, errbuf) != 0 || pcap_get_selectable_fd(p) < 0) {
    errors.push_back({name, std::string("cannot poll the capture: ") + errbuf});
    pcap_close(p);
    return nullptr;
  }
  int wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake < 0) {
    errors.push_back({name, std::string("cannot create an eventfd: ") + std::strerror(errno)});
    pcap_close(p);
    return nullptr;
  }
  std::unique_ptr<LiveSource> source(new LiveSource(p, name, o.timeout_ms, wake));
  source->stats_.read_errors = std::move(warnings);
  return source;
}

LiveSource::LiveSource(pcap* handle, std::string name, int timeout_ms, int wake_fd)
    : handle_(handle),
      timeout_ms_(timeout_ms),
      wake_fd_(wake_fd),
      name_(std::move(name)),
      link_(link_type_of_dlt(pcap_datalink(handle))),
      nano_(pcap_get_tstamp_precision(handle) == PCAP_TSTAMP_PRECISION_NANO) {}

LiveSource::~LiveSource() {
  pcap_close(handle_);
  ::close(wake_fd_);
}

void LiveSource::stop() {
  stopped_.store(true, std::memory_order_relaxed);
  // Both only set a flag and write an eventfd, which is safe in a signal handler: ours ends the
  // wait in wait_readable(), libpcap's any read in progress.
  std::uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
  pcap_breakloop(handle_);
}

PacketSource::Next LiveSource::next(RawPacket& out) {
  if (failed_ || stopped_.load(std::memory_order_relaxed)) return Next::End;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  int rc = pcap_next_ex(handle_, &header, &data);
  if (rc == 0 && wait_readable()) rc = pcap_next_ex(handle_, &header, &data);
  if (stopped_.load(std::memory_order_relaxed)) return Next::End;
  if (rc == 1) {
    out.data = data;
    out.caplen = header->caplen;
    out.wirelen = header->len;
    out.ts = static_cast<Nanos>(header->ts.tv_sec) * 1'000'000'000 +
             static_cast<Nanos>(header->ts.tv_usec) * (nano_ ? 1 : 1000);
    out.link = link_;
    ++stats_.packets;
    stats_.bytes += header->len;
    return Next::Packet;
  }
  if (rc == 0) return Next::Idle;  // read timeout: no packet now
  if (rc == PCAP_ERROR) {
    // The interface went away or the socket failed: the capture cannot go on.
    failed_ = true;
    stats_.read_errors.push_back({name_, std::string("capture error: ") + pcap_geterr(handle_)});
  }
  return Next::End;  // PCAP_ERROR_BREAK: stop() was called
}

// Waits up to the read timeout for the capture to become readable; false when it did not (or
// stop() was called).
bool LiveSource::wait_readable() {
  pollfd fds[2] = {{pcap_get_selectable_fd(handle_), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  int rc = ::poll(fds, 2, timeout_ms_);
  return rc > 0 && (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0 &&
         !stopped_.load(std::memory_order_relaxed);
}

SourceStats LiveSource::stats() {
  pcap_stat ps{};
  if (pcap_stats(handle_, &ps) == 0) {
    stats_.kernel_received = ps.ps_recv;
    stats_.kernel_dropped = ps.ps_drop;
    stats_.interface_dropped = ps.ps_ifdrop;
  }
  return stats_;
}

}  // namespace sanso::capture::source_detail
