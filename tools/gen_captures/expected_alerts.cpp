#include "expected_alerts.h"

namespace sanso::gen {

std::string dotted(Ipv4 a) {
  return std::to_string(a.value >> 24) + "." + std::to_string(a.value >> 16 & 0xff) + "." +
         std::to_string(a.value >> 8 & 0xff) + "." + std::to_string(a.value & 0xff);
}

namespace {

// Every string written here is an identifier or an address from the scenario list: no character
// needs escaping, so quoting is enough.
std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

std::string expected_alerts_json(const std::vector<ExpectedAlert>& alerts) {
  std::string out = "[\n";
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    const ExpectedAlert& a = alerts[i];
    out += "  {\"capture_point\": " + quoted(a.capture_point);
    out += ", \"rule\": " + quoted(a.rule);
    out += ", \"initiator\": " + quoted(dotted(a.initiator));
    out += ", \"responder\": " + (a.responder ? quoted(dotted(*a.responder)) : "null");
    out += ", \"proto\": " + quoted(a.proto);
    out += ", \"dport\": " + (a.dport ? std::to_string(*a.dport) : "null");
    out += ", \"scenario\": " + quoted(a.scenario) + "}";
    out += i + 1 < alerts.size() ? ",\n" : "\n";
  }
  return out + "]\n";
}

}  // namespace sanso::gen
