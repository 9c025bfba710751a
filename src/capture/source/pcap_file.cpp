#include "capture/source/pcap_file.h"

#include <pcap/pcap.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <initializer_list>


namespace sanso::capture::source_detail {

namespace {

std::string lower_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

std::string errno_message(int err) { return lower_first(std::strerror(err)); }

// Seconds-and-fraction to nanoseconds: the handle is opened with nanosecond precision, but a live
// device may not support it, so ask the handle what tv_usec holds.
Nanos to_nanos(const timeval& ts, bool nano) {
  return static_cast<Nanos>(ts.tv_sec) * 1'000'000'000 +
         static_cast<Nanos>(ts.tv_usec) * (nano ? 1 : 1000);
}

}  // namespace

std::string compressed_format_message(const unsigned char* head, std::size_t n) {
  auto starts = [&](std::initializer_list<unsigned char> magic) {
    if (n < magic.size()) return false;
    return std::equal(magic.begin(), magic.end(), head);
  };
  const char* format = nullptr;
  if (starts({0x1f, 0x8b})) format = "gzip";
  else if (starts({0x28, 0xb5, 0x2f, 0xfd})) format = "zstd";
  else if (starts({0xfd, '7', 'z', 'X', 'Z', 0x00})) format = "xz";
  else if (starts({'B', 'Z', 'h'})) format = "bzip2";
  if (format == nullptr) return {};
  return std::string("compressed capture: decompress first (") + format + ")";
}

std::string filter_error(const std::string& pcap_message) {
  const std::string prefix = "can't parse filter expression: ";
  return pcap_message.starts_with(prefix) ? pcap_message.substr(prefix.size()) : pcap_message;
}

std::string check_filter_syntax(const std::string& bpf, int snaplen) {
  if (bpf.empty()) return {};
  // Ethernet is the common denominator: an expression valid there is syntactically valid, and
  // link-type-specific failures ("vlan" on raw IP) are reported per file later.
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, snaplen > 0 ? snaplen : 262144);
  if (dead == nullptr) return "cannot check the filter: out of memory";
  bpf_program prog{};
  std::string error;
  if (pcap_compile(dead, &prog, bpf.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    error = "invalid expression '" + bpf + "': " + filter_error(pcap_geterr(dead));
  } else {
    pcap_freecode(&prog);
  }
  pcap_close(dead);
  return error;
}

PcapFile::Opened PcapFile::open(const std::string& path, const std::string& bpf) {
  std::FILE* fp = std::fopen(path.c_str(), "rb");
  if (fp == nullptr) return {nullptr, errno_message(errno)};
  struct stat st {};
  if (fstat(fileno(fp), &st) != 0) {
    int err = errno;
    std::fclose(fp);
    return {nullptr, errno_message(err)};
  }
  if (S_ISDIR(st.st_mode)) {
    std::fclose(fp);
    return {nullptr, "is a directory"};
  }
  // Sniff the first bytes of regular files for what libpcap would only call "unknown file
  // format"; pipes and devices cannot be rewound, so they go to libpcap untouched.
  if (S_ISREG(st.st_mode)) {
    if (st.st_size == 0) {
      std::fclose(fp);
      return {nullptr, "empty file, not a capture"};
    }
    unsigned char head[24];
    std::size_t n = std::fread(head, 1, sizeof head, fp);
    std::string compressed = compressed_format_message(head, n);
    if (!compressed.empty()) {
      std::fclose(fp);
      return {nullptr, compressed};
    }
    if (auto classic = parse_classic_pcap_header(head, n)) {
      // The stream stands just after the file header: the reader goes on from there on its own
      // descriptor, without stdio's buffering.
      int fd = ::dup(fileno(fp));
      const bool positioned = fd >= 0 && ::lseek(fd, static_cast<off_t>(n), SEEK_SET) == static_cast<off_t>(n);
      int err = errno;
      std::fclose(fp);
      if (!positioned) {
        if (fd >= 0) ::close(fd);
        return {nullptr, errno_message(err)};
      }
      return open_classic(fd, *classic, path, bpf);
    }
    if (std::fseek(fp, 0, SEEK_SET) != 0) {
      std::fclose(fp);
      return {nullptr, "cannot rewind after reading the header"};
    }
  }
  return open_stream(fp, path, bpf);
}

PcapFile::Opened PcapFile::open_classic(int fd, const ClassicPcapHeader& header,
                                        const std::string& name, const std::string& bpf) {
  auto reader = std::make_unique<ClassicPcapReader>(fd, header);
  // A dead handle of the file's link type compiles the filter (and names the link type in its
  // errors) exactly as a libpcap-read file would.
  const int dlt = header.linktype == 101 ? DLT_RAW : static_cast<int>(header.linktype);
  pcap_t* dead = pcap_open_dead_with_tstamp_precision(dlt, static_cast<int>(header.snapshot),
                                                       PCAP_TSTAMP_PRECISION_NANO);
  if (dead == nullptr) return {nullptr, "out of memory"};
  std::unique_ptr<bpf_program> program;
  if (!bpf.empty()) {
    program = std::make_unique<bpf_program>();
    if (pcap_compile(dead, program.get(), bpf.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      std::string error = "filter '" + bpf + "' does not apply to link type " +
                          pcap_datalink_val_to_name(dlt) + ": " + pcap_geterr(dead);
      pcap_close(dead);
      return {nullptr, error};
    }
  }
  std::unique_ptr<PcapFile> file(new PcapFile(dead, name));
  file->classic_ = std::move(reader);
  file->program_ = std::move(program);
  file->nano_ = true;
  return {std::move(file), {}};
}

PcapFile::Opened PcapFile::open_stream(std::FILE* stream, const std::string& name,
                                       const std::string& bpf) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  // For a stream that was not sniffed (stdin, pipes), one byte can be peeked and pushed back: a
  // gzip stream starts with 0x1f, which starts no pcap or pcapng magic number.
  int first = std::getc(stream);
  if (first != EOF) std::ungetc(first, stream);
  pcap_t* handle =
      pcap_fopen_offline_with_tstamp_precision(stream, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (handle == nullptr) {
    // On failure libpcap leaves the stream open (pcap_open_offline closes it itself).
    if (stream != stdin) std::fclose(stream);
    if (first == 0x1f) return {nullptr, "compressed capture: decompress first (gzip)"};
    if (first == EOF) return {nullptr, "empty input, not a capture"};
    return {nullptr, lower_first(errbuf)};
  }
  return finish_open(handle, name, bpf);
}

PcapFile::Opened PcapFile::finish_open(pcap* handle, const std::string& name,
                                       const std::string& bpf) {
  if (!bpf.empty()) {
    bpf_program prog{};
    if (pcap_compile(handle, &prog, bpf.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      std::string error = "filter '" + bpf + "' does not apply to link type " +
                          pcap_datalink_val_to_name(pcap_datalink(handle)) + ": " +
                          pcap_geterr(handle);
      pcap_close(handle);
      return {nullptr, error};
    }
    int rc = pcap_setfilter(handle, &prog);
    pcap_freecode(&prog);
    if (rc != 0) {
      std::string error = std::string("cannot install the filter: ") + pcap_geterr(handle);
      pcap_close(handle);
      return {nullptr, error};
    }
  }
  return {std::unique_ptr<PcapFile>(new PcapFile(handle, name)), {}};
}

PcapFile::PcapFile(pcap* handle, std::string name)
    : handle_(handle),
      name_(std::move(name)),
      link_(link_type_of_dlt(pcap_datalink(handle))),
      nano_(pcap_get_tstamp_precision(handle) == PCAP_TSTAMP_PRECISION_NANO) {}

PcapFile::~PcapFile() {
  if (program_) pcap_freecode(program_.get());
  pcap_close(handle_);
}

PcapFile::Read PcapFile::read_classic(RawPacket& out) {
  for (;;) {
    switch (classic_->read(out)) {
      case ClassicPcapReader::Read::End: return Read::End;
      case ClassicPcapReader::Read::Error: return failed(classic_->error());
      case ClassicPcapReader::Read::Packet: break;
    }
    if (program_) {
      pcap_pkthdr h{};
      h.caplen = out.caplen;
      h.len = out.wirelen;
      if (pcap_offline_filter(program_.get(), &h, out.data) == 0) continue;
    }
    ++packets_;
    return Read::Packet;
  }
}

PcapFile::Read PcapFile::failed(const std::string& what) {
  error_ = "read error after " + std::to_string(packets_) + " packets: " + what;
  // libpcap 1.10 reads one link type per pcapng file and stops at the first packet of an
  // interface with another one; say so, since the rest of the file is silently lost otherwise.
  if (what.find("different from the type of the first interface") != std::string::npos) {
    error_ += " (libpcap reads one link type per pcapng file; the rest of the file is skipped)";
  }
  return Read::Error;
}

PcapFile::Read PcapFile::read(RawPacket& out) {
  if (classic_) return read_classic(out);
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  int rc = pcap_next_ex(handle_, &header, &data);
  if (rc == 1) {
    ++packets_;
    out.data = data;
    out.caplen = header->caplen;
    out.wirelen = header->len;
    out.ts = to_nanos(header->ts, nano_);
    out.link = link_;
    return Read::Packet;
  }
  if (rc == PCAP_ERROR) return failed(pcap_geterr(handle_));
  return Read::End;  // PCAP_ERROR_BREAK: end of file (0, a timeout, cannot happen offline)
}

}  // namespace sanso::capture::source_detail
