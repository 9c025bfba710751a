#pragma once
// One rule's tokens -> its items, syntactically: matches (`ip saddr 10.0.0.0/8`, concatenations
// `ip saddr . tcp dport @s`), verdict-map lookups (`oifname vmap { ... }`) and statements
// (`counter`, `log`, `accept`, `jump X`, `dnat to ...`). What the items mean is lower.cpp's job.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "vendor/nftables/config.h"

namespace sanso::vendor::nftables {

/// "ip saddr" -> {"ip", "saddr"}; "iifname" -> {"iifname"}.
struct Selector {
  std::vector<std::string> words;
  std::string text() const;
};

struct MatchItem {
  std::vector<Selector> keys;       ///< several: a concatenation
  std::string op;                   ///< "" (implicit), "==", "!=", "<", ">", "<=", ">="
  std::vector<Token> mask;          ///< `& MASK` written before the operator
  std::vector<Token> value;         ///< one word, a comma list, "{ ... }" or "@name"
  std::vector<Token> value_mask;    ///< `VALUE / MASK` (bitmask types)
};

struct VmapItem {
  std::vector<Selector> keys;
  std::vector<Token> value;  ///< "{ k : verdict, ... }" or "@name"
};

struct StmtItem {
  std::string keyword;       ///< accept, drop, jump, counter, log, dnat, set, ...
  std::vector<Token> args;   ///< tokens after the keyword that belong to it
  std::vector<Selector> keys;  ///< `set`: the selector being set; nat: the map key
};

using Item = std::variant<MatchItem, VmapItem, StmtItem>;

struct ParsedRule {
  std::vector<Item> items;
  std::optional<std::string> error;  ///< the rule could not be read past this point
};

ParsedRule parse_rule(const std::vector<Token>& tokens);

}  // namespace sanso::vendor::nftables
