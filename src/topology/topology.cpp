// The spellings of the topology's closed vocabularies (the loader parses through these, so the
// format and the printed names cannot drift apart) and the lookups of Topology.
#include "topology/topology.h"

#include <algorithm>

namespace sanso::topology {

std::string_view to_string(Tier t) {
  switch (t) {
    case Tier::Mynumber: return "mynumber";
    case Tier::Lgwan: return "lgwan";
    case Tier::Internet: return "internet";
  }
  return "?";
}

std::string_view to_string(Model m) {
  switch (m) {
    case Model::Alpha: return "alpha";
    case Model::AlphaPrime: return "alpha-prime";
    case Model::Beta: return "beta";
    case Model::BetaPrime: return "beta-prime";
  }
  return "?";
}

std::string_view to_string(ExceptionDirection d) {
  switch (d) {
    case ExceptionDirection::ImportOnly: return "import-only";
    case ExceptionDirection::Bidirectional: return "bidirectional";
  }
  return "?";
}

std::string_view to_string(MnWlan w) {
  switch (w) {
    case MnWlan::Forbidden: return "forbidden";
    case MnWlan::EnterpriseEapTls: return "enterprise-eap-tls";
  }
  return "?";
}

std::string_view to_string(HostRole r) {
  switch (r) {
    case HostRole::Terminal: return "terminal";
    case HostRole::Server: return "server";
    case HostRole::Sanitizer: return "sanitizer";
    case HostRole::MnLinkServer: return "mn-link-server";
    case HostRole::Network: return "network";
    case HostRole::Sensor: return "sensor";
  }
  return "?";
}

std::string_view to_string(SanitizeMethod m) {
  switch (m) {
    case SanitizeMethod::MailText: return "mail-text";
    case SanitizeMethod::ScreenTransfer: return "screen-transfer";
    case SanitizeMethod::FileSanitize: return "file-sanitize";
  }
  return "?";
}

std::string_view to_string(AllowKind k) {
  switch (k) {
    case AllowKind::Specific: return "specific";
    case AllowKind::Sanitized: return "sanitized";
    case AllowKind::PublicBody: return "public-body";
    case AllowKind::MnScreen: return "mn-screen";
    case AllowKind::Necessary: return "necessary";
  }
  return "?";
}

std::string_view to_string(ZoneRole r) {
  switch (r) {
    case ZoneRole::None: return "none";
    case ZoneRole::PublicBody: return "public-body";
    case ZoneRole::Egress: return "egress";
  }
  return "?";
}

std::string_view to_string(Medium m) {
  switch (m) {
    case Medium::Wired: return "wired";
    case Medium::Wireless: return "wireless";
  }
  return "?";
}

bool Segment::is_catch_all() const {
  return std::any_of(cidrs.begin(), cidrs.end(),
                     [](const model::IpRange& r) { return r == model::full_range(r.family); });
}

namespace {
template <typename T, typename Key>
const T* find_by(const std::vector<T>& items, const std::string& name, Key key) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const T& item) { return item.*key == name; });
  return it == items.end() ? nullptr : &*it;
}
}  // namespace

const Zone* Topology::find_zone(const std::string& n) const { return find_by(zones, n, &Zone::name); }
const Segment* Topology::find_segment(const std::string& n) const {
  return find_by(segments, n, &Segment::name);
}
const Host* Topology::find_host(const std::string& n) const { return find_by(hosts, n, &Host::name); }
const Device* Topology::find_device(const std::string& n) const {
  return find_by(devices, n, &Device::name);
}
const AllowEntry* Topology::find_allow(const std::string& id) const {
  return find_by(allow, id, &AllowEntry::id);
}

Tier Topology::tier_of_zone(const std::string& zone) const {
  // A loaded topology has resolved every zone name; an unknown name can only come from a
  // caller's typo, and the mynumber answer is the one that restricts the most.
  const Zone* z = find_zone(zone);
  return z ? z->tier : Tier::Mynumber;
}

}  // namespace sanso::topology
