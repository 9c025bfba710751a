#pragma once
// NftConfig: what one nftables ruleset says, as written (`nft list ruleset`, an `nft -f` source
// file, or `nft -j list ruleset` rendered back to the same tokens). No semantics here: rules stay
// token lists, priorities keep their spelling beside their value; to_model.cpp interprets.
#include <optional>
#include <string>
#include <vector>

#include "model/device.h"

namespace sanso::vendor::nftables {

/// One lexical token. Words hold everything that is not punctuation (addresses with their ':'
/// and '.', ranges "80-90", names "echo-request"); strings are the text between double quotes.
struct Token {
  enum class Kind { Word, String, Punct, Newline };
  Kind kind = Kind::Word;
  std::string text;
  int line = 0;
  bool is(std::string_view t) const { return kind != Kind::String && text == t; }
};

/// One `elements = { ... }` entry of a set or map: `key` (a concatenation is several tokens joined
/// by "."), and for maps the `value` after ':'. Per-element options (counter, timeout, comment)
/// are dropped by the parser.
struct Element {
  std::vector<Token> key;
  std::vector<Token> value;
  int line = 0;
};

/// `set NAME { ... }` or `map NAME { ... }`.
struct SetDecl {
  std::string name;
  bool is_map = false;
  int line = 0;
  int end_line = 0;
  std::vector<std::string> key_types;  ///< `type ipv4_addr . inet_service` -> 2 types
  std::string value_type;              ///< maps: `: verdict`, `: ipv4_addr . inet_service`
  bool typeof_key = false;             ///< declared with `typeof` (key_types are selectors then)
  std::vector<std::string> flags;      ///< interval, constant, dynamic, timeout
  bool has_timeout = false;            ///< a `timeout` option: elements may expire
  std::vector<Element> elements;
};

/// `type T hook H priority P; policy X;` of a base chain.
struct BaseChain {
  std::string type;                  ///< filter, nat, route
  std::string hook;                  ///< prerouting, input, forward, output, postrouting, ingress
  std::optional<int> priority;       ///< nullopt: a priority sanso could not read
  std::string priority_text;         ///< as written ("filter", "-100", "dstnat + 10")
  std::optional<std::string> policy; ///< "accept" / "drop"; nullopt = not written (accept)
  std::optional<std::string> device;
  int line = 0;                      ///< the `type ...` line
  int policy_line = 0;               ///< the `policy ...` line (0: not written)
  std::string text;                  ///< the `type ...` statement's text
};

/// One rule: the tokens after `add rule F T C` or inside `chain { }`, up to its end.
struct Rule {
  int line = 0;
  int end_line = 0;  ///< last physical line (anonymous sets may span lines)
  std::string text;  ///< the rule's text, tokens joined by one space
  std::vector<Token> tokens;
};

struct Chain {
  std::string name;
  int line = 0;
  std::optional<BaseChain> base;
  std::vector<Rule> rules;
  /// The file ended inside this chain's block: rules may be missing after the last one read.
  bool truncated = false;
};

enum class TableFamily { Ip, Ip6, Inet, Arp, Bridge, Netdev };

struct Table {
  TableFamily family = TableFamily::Ip;
  std::string family_name;  ///< as written ("ip" when left out)
  std::string name;
  int line = 0;
  std::vector<Chain> chains;
  std::vector<SetDecl> sets;  ///< sets and maps
  /// `# Warning: table ip filter is managed by iptables-nft` precedes the table.
  bool iptables_nft = false;
  bool dormant = false;  ///< `flags dormant`: the kernel evaluates none of its chains
};

struct NftConfig {
  std::string file;
  int lines = 0;           ///< physical lines
  bool json = false;       ///< read from `nft -j list ruleset`
  std::vector<Table> tables;
  /// Lines not read at all (unknown commands, `include`, garbled blocks), with the reason.
  std::vector<model::UnparsedLine> unparsed;
  int statements = 0;      ///< table/chain/rule/set/define statements recognised
};

const char* family_name(TableFamily f);

}  // namespace sanso::vendor::nftables
