#pragma once
// nft's surface syntax -> tokens with line numbers. The lexer knows no grammar: it only separates
// words, quoted strings, punctuation and line ends, and drops comments.
#include <string>
#include <string_view>
#include <vector>

#include "vendor/nftables/config.h"

namespace sanso::vendor::nftables {

struct LexResult {
  std::vector<Token> tokens;
  /// An unterminated string or a control byte: the line, and what was wrong.
  std::optional<model::UnparsedLine> error;
  /// The first comment line that reads "# Warning: table F NAME is managed by iptables-nft":
  /// "F NAME" of each such table.
  std::vector<std::string> iptables_nft_tables;
};

LexResult lex(std::string_view text);

/// Number of physical lines (a final line without '\n' counts).
int count_lines(std::string_view text);

/// Tokens joined by one space (strings re-quoted), the way rules are shown in evidence.
std::string join_tokens(const std::vector<Token>& tokens, std::size_t from = 0,
                        std::size_t to = static_cast<std::size_t>(-1));

}  // namespace sanso::vendor::nftables
