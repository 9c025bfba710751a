#pragma once
// `sanso impact --intent FILE`: what a change is meant to do, as a YAML list of
//   - {from: lg-clients, to: cdr-box, service: https, action: open}
// `from`/`to` name a host, segment or zone of the topology, or give an address, CIDR or range;
// `service` is a service word of network.yaml (tcp/443, smtp, ...) or "any".
#include <optional>
#include <string>
#include <vector>

#include "analysis/network.h"
#include "model/packet_set.h"

namespace sanso::impact {

enum class IntentAction { Open, Close };

struct Intent {
  std::string from;
  std::string to;
  std::string service;
  IntentAction action = IntentAction::Open;
  int line = 0;  ///< 1-based line in the intent file
};

struct IntentLoad {
  std::vector<Intent> intents;
  std::vector<std::string> errors;  ///< "file:line: message"; non-empty: nothing usable
};

/// Parses the intent file's text; `path` names it in errors.
IntentLoad parse_intents(const std::string& yaml_text, const std::string& path);

/// The connection-opening packets an intent names in `network`'s topology; nullopt with `error`
/// set when an endpoint or the service is unknown.
std::optional<model::PacketSet> intent_packets(const Intent& intent,
                                               const analysis::Network& network,
                                               std::string& error);

}  // namespace sanso::impact
