#include "capture/source/classic_pcap_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sanso::capture::source_detail {

namespace {

constexpr std::uint32_t kMicroMagic = 0xa1b2c3d4;
constexpr std::uint32_t kNanoMagic = 0xa1b23c4d;
constexpr std::size_t kFileHeader = 24;
constexpr std::size_t kRecordHeader = 16;
// libpcap's MAXIMUM_SNAPLEN, the largest record it accepts for every link type read here.
constexpr std::uint32_t kMaxSnaplen = 262144;
// One read() of this size keeps the buffer in the L2 cache; the buffer also holds a whole
// record of the largest size, so a record never needs a second buffer.
constexpr std::size_t kChunk = 128 * 1024;
constexpr std::size_t kCapacity = kChunk + kRecordHeader + kMaxSnaplen;

std::uint32_t load32(const unsigned char* p, bool swapped) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return swapped ? __builtin_bswap32(v) : v;
}

std::uint16_t load16(const unsigned char* p, bool swapped) {
  std::uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return swapped ? __builtin_bswap16(v) : v;
}

}  // namespace

std::optional<ClassicPcapHeader> parse_classic_pcap_header(const unsigned char* head, std::size_t n) {
  if (n < kFileHeader) return std::nullopt;
  ClassicPcapHeader h;
  const std::uint32_t magic = load32(head, false);
  if (magic == kMicroMagic || magic == kNanoMagic) {
    h.nano = magic == kNanoMagic;
  } else if (__builtin_bswap32(magic) == kMicroMagic || __builtin_bswap32(magic) == kNanoMagic) {
    h.swapped = true;
    h.nano = __builtin_bswap32(magic) == kNanoMagic;
  } else {
    return std::nullopt;  // pcapng, the modified-header variant, or not a capture: libpcap says
  }
  // Versions before 2.4 may hold caplen and len the other way round (libpcap guesses per record).
  if (load16(head + 4, h.swapped) != 2 || load16(head + 6, h.swapped) != 4) return std::nullopt;
  h.linktype = load32(head + 20, h.swapped) & 0x03FFFFFF;  // upper bits: FCS length, not the type
  h.link = link_type_of_dlt(static_cast<int>(h.linktype));
  // 12 and 14 are DLT numbers, never LINKTYPE numbers in a file: leave them to libpcap.
  if (h.link == LinkType::Unsupported || h.linktype == 12 || h.linktype == 14) return std::nullopt;
  // pcap_adjust_snapshot: zero, negative (as an int) or too large means the maximum.
  const std::uint32_t snaplen = load32(head + 16, h.swapped);
  h.snapshot = snaplen == 0 || snaplen > kMaxSnaplen ? kMaxSnaplen : snaplen;
  return h;
}

ClassicPcapReader::ClassicPcapReader(int fd, const ClassicPcapHeader& header)
    : fd_(fd), header_(header), buffer_(kCapacity) {}

ClassicPcapReader::~ClassicPcapReader() { ::close(fd_); }

std::uint32_t ClassicPcapReader::u32(const unsigned char* p) const { return load32(p, header_.swapped); }

bool ClassicPcapReader::fill(std::size_t n) {
  if (end_ - pos_ >= n) return true;
  if (pos_ + n > buffer_.size()) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  while (end_ - pos_ < n) {
    const std::size_t want = std::min(kChunk, buffer_.size() - end_);
    const ssize_t got = ::read(fd_, buffer_.data() + end_, want);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      io_error_ = true;
      error_ = std::string("error reading dump file: ") + std::strerror(errno);
      return false;
    }
    if (got == 0) return false;
    end_ += static_cast<std::size_t>(got);
  }
  return true;
}

ClassicPcapReader::Read ClassicPcapReader::read(RawPacket& out) {
  if (!fill(kRecordHeader)) {
    if (io_error_) return Read::Error;
    if (end_ == pos_) return Read::End;
    error_ = "truncated dump file; tried to read 16 header bytes, only got " +
             std::to_string(end_ - pos_);
    return Read::Error;
  }
  const unsigned char* h = buffer_.data() + pos_;
  // libpcap reads native-order timestamps as signed 32-bit numbers and byte-swapped ones as
  // unsigned (its SWAPLONG): the same second past 2038 differs by byte order, and so does ours.
  const Nanos seconds = header_.swapped ? static_cast<Nanos>(u32(h)) : static_cast<std::int32_t>(u32(h));
  const Nanos fraction = header_.swapped ? static_cast<Nanos>(u32(h + 4)) : static_cast<std::int32_t>(u32(h + 4));
  std::uint32_t caplen = u32(h + 8);
  const std::uint32_t wirelen = u32(h + 12);
  if (caplen > kMaxSnaplen) {
    error_ = "invalid packet capture length " + std::to_string(caplen) + ", bigger than snaplen of " +
             std::to_string(header_.snapshot);
    return Read::Error;
  }
  // A record longer than the file's snapshot length is cut to it (what libpcap hands out), but
  // the whole record must be there.
  const std::uint32_t keep = std::min(caplen, header_.snapshot);
  if (!fill(kRecordHeader + keep)) {
    if (io_error_) return Read::Error;
    error_ = "truncated dump file; tried to read " + std::to_string(keep) + " captured bytes, only got " +
             std::to_string(end_ - pos_ - kRecordHeader);
    return Read::Error;
  }
  if (!fill(kRecordHeader + caplen)) {
    if (io_error_) return Read::Error;
    error_ = "truncated dump file; tried to read " + std::to_string(caplen) +
             " captured bytes, only got " + std::to_string(end_ - pos_ - kRecordHeader);
    return Read::Error;
  }
  out.data = buffer_.data() + pos_ + kRecordHeader;
  out.caplen = keep;
  out.wirelen = wirelen;
  out.ts = seconds * 1'000'000'000 + fraction * (header_.nano ? 1 : 1000);
  out.link = header_.link;
  pos_ += kRecordHeader + caplen;
  return Read::Packet;
}

}  // namespace sanso::capture::source_detail
