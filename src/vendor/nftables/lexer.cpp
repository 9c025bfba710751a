// The lexer follows nft's scanner where it matters for the modelled grammar: '#' starts a comment
// outside strings, a backslash before the line end continues the line, and ';' / newline end
// statements (the parser decides where). Addresses, ranges and names stay single words so that
// "10.0.0.1-10.0.0.9", "2001:db8::/32" and "echo-request" reach the parser whole.
#include "vendor/nftables/lexer.h"

#include <cstring>

namespace sanso::vendor::nftables {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Characters that always stand alone. '-', '.', ':', '/', '*', '@', '$', '[' and ']' belong to
// words; written alone between spaces they are words of one character.
bool is_punct(char c) { return std::strchr("{};,()&|^!=<>+", c) != nullptr && c != '\0'; }

std::string_view rest_of_line(std::string_view text, std::size_t pos) {
  const auto end = text.find('\n', pos);
  return text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
}

// "# Warning: table ip filter is managed by iptables-nft, do not touch!" -> "ip filter".
void note_iptables_nft(std::string_view comment, std::vector<std::string>& out) {
  constexpr std::string_view kHead = "# Warning: table ";
  constexpr std::string_view kTail = " is managed by iptables-nft";
  if (comment.substr(0, kHead.size()) != kHead) return;
  const auto tail = comment.find(kTail);
  if (tail == std::string_view::npos) return;
  out.emplace_back(comment.substr(kHead.size(), tail - kHead.size()));
}

}  // namespace

int count_lines(std::string_view text) {
  int n = 0;
  for (char c : text) n += c == '\n' ? 1 : 0;
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

LexResult lex(std::string_view text) {
  LexResult r;
  int line = 1;
  std::size_t i = 0;
  std::size_t line_start = 0;
  auto push = [&](Token::Kind k, std::string t) { r.tokens.push_back({k, std::move(t), line}); };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      push(Token::Kind::Newline, "\n");
      ++line;
      ++i;
      line_start = i;
      continue;
    }
    if (is_space(c)) { ++i; continue; }
    if (c == '\\' && (i + 1 == text.size() || text[i + 1] == '\n' ||
                      (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n'))) {
      // Line continuation: the next line belongs to this statement.
      i = text.find('\n', i);
      if (i == std::string_view::npos) break;
      ++line;
      ++i;
      line_start = i;
      continue;
    }
    if (c == '#') {
      const auto comment = rest_of_line(text, i);
      note_iptables_nft(comment, r.iptables_nft_tables);
      i += comment.size();
      continue;
    }
    if (c == '"') {
      std::string s;
      ++i;
      bool closed = false;
      while (i < text.size() && text[i] != '\n') {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] != '\n') {
          s.push_back(text[i + 1]);
          i += 2;
          continue;
        }
        if (text[i] == '"') { closed = true; ++i; break; }
        s.push_back(text[i++]);
      }
      if (!closed) {
        r.error = model::UnparsedLine{line, std::string(rest_of_line(text, line_start)),
                                      "unterminated string"};
        return r;
      }
      push(Token::Kind::String, std::move(s));
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      r.error = model::UnparsedLine{line, std::string(rest_of_line(text, line_start)),
                                    "control byte " + std::to_string(static_cast<int>(c))};
      return r;
    }
    if (is_punct(c)) {
      const char n = i + 1 < text.size() ? text[i + 1] : '\0';
      if ((c == '!' || c == '=' || c == '<' || c == '>') && n == '=') {
        push(Token::Kind::Punct, std::string{c, n});
        i += 2;
        continue;
      }
      push(Token::Kind::Punct, std::string(1, c));
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i]) && text[i] != '\n' && text[i] != '"' &&
           text[i] != '#' && !is_punct(text[i]) && static_cast<unsigned char>(text[i]) >= 0x20)
      ++i;
    push(Token::Kind::Word, std::string(text.substr(start, i - start)));
  }
  return r;
}

std::string join_tokens(const std::vector<Token>& tokens, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < tokens.size() && i < to; ++i) {
    const Token& t = tokens[i];
    if (t.kind == Token::Kind::Newline) continue;
    if (!out.empty()) out.push_back(' ');
    if (t.kind == Token::Kind::String) out += "\"" + t.text + "\"";
    else out += t.text;
  }
  return out;
}

const char* family_name(TableFamily f) {
  switch (f) {
    case TableFamily::Ip: return "ip";
    case TableFamily::Ip6: return "ip6";
    case TableFamily::Inet: return "inet";
    case TableFamily::Arp: return "arp";
    case TableFamily::Bridge: return "bridge";
    case TableFamily::Netdev: return "netdev";
  }
  return "?";
}

}  // namespace sanso::vendor::nftables
