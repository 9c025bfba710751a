#pragma once
// A bounds-checked cursor over captured bytes: the only way the decoders read a packet (tcpdump's
// GET_* rule). Every read says whether the bytes were there; nothing is cast onto the buffer, so
// alignment and byte order never depend on the host.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "model/address.h"

namespace sanso::capture {

class Reader {
 public:
  constexpr Reader() = default;
  constexpr Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::size_t remaining() const { return size_ - pos_; }
  std::size_t offset() const { return pos_; }
  bool has(std::size_t n) const { return n <= size_ - pos_; }

  bool skip(std::size_t n) {
    if (!has(n)) return false;
    pos_ += n;
    return true;
  }
  /// Limits what can be read to the next `n` bytes (nothing changes when fewer remain): a length
  /// field can strip trailing padding but never extend what was captured.
  void limit(std::size_t n) {
    if (has(n)) size_ = pos_ + n;
  }
  /// The unread bytes as a reader of their own (for decoding an encapsulated frame).
  Reader rest() const { return Reader(data_ + pos_, size_ - pos_); }

  bool peek_u8(std::size_t at, std::uint8_t& v) const {
    if (!has(at + 1)) return false;
    v = data_[pos_ + at];
    return true;
  }
  bool peek_u16be(std::size_t at, std::uint16_t& v) const {
    if (!has(at + 2)) return false;
    v = load<std::uint16_t>(at);
    return true;
  }

  bool read_u8(std::uint8_t& v) {
    if (!peek_u8(0, v)) return false;
    pos_ += 1;
    return true;
  }
  bool read_u16be(std::uint16_t& v) {
    if (!peek_u16be(0, v)) return false;
    pos_ += 2;
    return true;
  }
  bool read_u32be(std::uint32_t& v) {
    if (!has(4)) return false;
    v = load<std::uint32_t>(0);
    pos_ += 4;
    return true;
  }
  /// A MAC address as a 48-bit value.
  bool read_u48be(std::uint64_t& v) {
    if (!has(6)) return false;
    v = (std::uint64_t{load<std::uint16_t>(0)} << 32) | load<std::uint32_t>(2);
    pos_ += 6;
    return true;
  }
  /// An IPv6 address as a 128-bit value.
  bool read_u128be(model::u128& v) {
    if (!has(16)) return false;
    v = (model::u128{load<std::uint64_t>(0)} << 64) | load<std::uint64_t>(8);
    pos_ += 16;
    return true;
  }

 private:
  // The big-endian unsigned T at pos_ + at; the caller has checked the bounds. memcpy is the
  // defined way to load unaligned bytes, and compiles to one load and a byte swap (reading byte
  // by byte and shifting did not: GCC kept the single-byte loads).
  template <typename T>
  T load(std::size_t at) const {
    T v;
    std::memcpy(&v, data_ + pos_ + at, sizeof v);
    if constexpr (std::endian::native == std::endian::little) {
      if constexpr (sizeof v == 2) v = __builtin_bswap16(v);
      if constexpr (sizeof v == 4) v = __builtin_bswap32(v);
      if constexpr (sizeof v == 8) v = __builtin_bswap64(v);
    }
    return v;
  }

  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t pos_ = 0;
};

}  // namespace sanso::capture
