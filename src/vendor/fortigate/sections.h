#pragma once
// Which top-level `config` sections could change what the FortiGate forwards. Decided per
// section (docs/vendors/fortigate.md lists the table and the reasons): handled sections are read;
// ignored ones cannot admit a forwarded packet the policies deny; every other section is listed
// line by line as not modelled.
#include <string>
#include <string_view>

namespace sanso::vendor::fortigate {

enum class SectionKind {
  Handled,      ///< extract.cpp reads it
  Ignored,      ///< cannot widen what is forwarded between interfaces: understood, not used
  NotModelled,  ///< could change forwarding: every line is listed with `reason`
};

struct SectionClass {
  SectionKind kind = SectionKind::NotModelled;
  std::string reason;  ///< NotModelled: why it matters
};

/// `path` is the words after `config`, e.g. "firewall policy".
SectionClass classify_section(std::string_view path);

}  // namespace sanso::vendor::fortigate
