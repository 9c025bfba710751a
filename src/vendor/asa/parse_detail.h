#pragma once
// The ASA parser's internals, shared by parse.cpp (dispatch, interfaces, settings),
// parse_objects.cpp (objects and object-groups), parse_acl.cpp (access lists and their terms) and
// parse_nat.cpp. Not part of the module's API.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/packet_set.h"
#include "vendor/asa/config.h"

namespace sanso::vendor::asa::detail {

using Words = std::vector<std::string_view>;

/// Words of one line with a read position.
struct Cursor {
  const Words& w;
  std::size_t i = 0;
  bool done() const { return i >= w.size(); }
  std::string_view peek(std::size_t k = 0) const { return i + k < w.size() ? w[i + k] : std::string_view(); }
  std::string_view next() { return i < w.size() ? w[i++] : std::string_view(); }
};

class Parser {
 public:
  explicit Parser(std::string file);
  void line(int number, std::string_view text, const Words& words);
  AsaConfig finish();

 private:
  enum class Mode { None, Interface, NetObject, SvcObject, Group, Ignored, Unknown };

  // parse.cpp
  void top(int n, const Words& w);
  void sub(int n, const Words& w);
  void interface_sub(int n, const Words& w);
  void settings(int n, const Words& w);
  void unparsed(int n, std::string reason);

  // parse_objects.cpp
  void object(int n, const Words& w);
  void object_group(int n, const Words& w);
  void net_object_sub(int n, const Words& w);
  void svc_object_sub(int n, const Words& w);
  void group_sub(int n, const Words& w);

  // parse_acl.cpp
  void access_list(int n, const Words& w);
  void access_group(int n, const Words& w);

  // parse_nat.cpp
  void nat_line(int n, const Words& w, const std::string& object);

  // Terms (parse_acl.cpp): each consumes words at the cursor and says whether it read one.
  bool address(Cursor& c, int n, AddrTerm& out);
  /// `eq|neq|lt|gt P`, `range A B`, or `object-group PORTGRP` (a typed service group).
  bool port_cond(Cursor& c, bool tcp, PortCond& out, std::string& error);
  /// `PROTO [source PORTS] [destination PORTS]` / `icmp [TYPE [CODE]]` of object service and
  /// service-object (and `tcp`/`udp`/`tcp-udp` before ports).
  bool service_spec(Cursor& c, int n, SvcTerm& out, std::string& error);
  std::optional<model::IpAddress> ip_or_name(std::string_view word) const;
  /// A group's kind ("" when no group of that name was defined so far).
  std::string_view group_kind(std::string_view name) const;
  bool typed_port_group(std::string_view name) const;

  AsaConfig cfg_;
  Mode mode_ = Mode::None;
  std::size_t current_ = 0;  // index of the open interface / object / group
  std::map<std::string, std::size_t, std::less<>> groups_;
  std::map<std::string, std::size_t, std::less<>> net_objects_;
  std::map<std::string, std::size_t, std::less<>> svc_objects_;
};

/// A contiguous IPv4 netmask -> prefix length; nullopt for a non-contiguous mask.
std::optional<int> mask_length(const model::IpAddress& mask);
/// The range of `a` under a contiguous mask.
model::IpRange masked(const model::IpAddress& a, int length);

}  // namespace sanso::vendor::asa::detail
