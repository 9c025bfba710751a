#pragma once
// The classic pcap file format (not pcapng) read straight from a file descriptor in large chunks.
//
// Why not libpcap: its savefile reader makes two fread() calls and one copy per packet through a
// 4 KiB stdio buffer, which costs as much as everything sanso does with the packet (1 GB capture:
// ~0.3 s in libpcap against ~0.15 s for chunked read()s). The format is fixed and small
// (pcap-savefile(5)), so the common case (version 2.4, micro- or nanosecond magic in either byte
// order, a link type sanso decodes) is read here, and libpcap keeps everything else: pcapng,
// pipes and standard input, older versions, the modified-header variant, other link types.
//
// Behaviour is libpcap 1.10's, packet for packet and error for error (sf-pcap.c), and a test
// reads every real capture both ways and compares: the file's snapshot length is capped at 262144;
// a record longer than 262144 is an error, one longer than the snapshot length is cut to it;
// a short record header or short data is "truncated dump file"; timestamps are signed 32-bit
// seconds with micro- or nanoseconds.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/packet.h"

namespace sanso::capture::source_detail {

struct ClassicPcapHeader {
  bool swapped = false;       ///< written in the other byte order
  bool nano = false;          ///< record timestamps hold nanoseconds (magic 0xa1b23c4d)
  std::uint32_t snapshot = 0; ///< snapshot length as libpcap adjusts it
  std::uint32_t linktype = 0; ///< LINKTYPE_ value (pcap-linktype(7)), extension bits removed
  LinkType link = LinkType::Unsupported;
};

/// The 24-byte file header, if this reader handles the file; nullopt leaves it to libpcap.
std::optional<ClassicPcapHeader> parse_classic_pcap_header(const unsigned char* head, std::size_t n);

class ClassicPcapReader {
 public:
  /// Takes ownership of `fd`, positioned just after the file header.
  ClassicPcapReader(int fd, const ClassicPcapHeader& header);
  ~ClassicPcapReader();
  ClassicPcapReader(const ClassicPcapReader&) = delete;
  ClassicPcapReader& operator=(const ClassicPcapReader&) = delete;

  enum class Read { Packet, End, Error };
  /// The next record: `out.data` stays valid until the next call. On Error, error() has libpcap's
  /// wording ("truncated dump file; ...").
  Read read(RawPacket& out);
  const std::string& error() const { return error_; }

 private:
  /// Makes at least `n` bytes available from `pos_`; false at end of file (or on a read error,
  /// which sets io_error_).
  bool fill(std::size_t n);
  std::uint32_t u32(const unsigned char* p) const;

  int fd_;
  ClassicPcapHeader header_;
  std::vector<unsigned char> buffer_;
  std::size_t pos_ = 0;  // next unread byte
  std::size_t end_ = 0;  // one past the last byte read
  bool io_error_ = false;
  std::string error_;
};

}  // namespace sanso::capture::source_detail
