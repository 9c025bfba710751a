#include "report/text.h"

#include <fmt/format.h>
#include <map>

#include "model/address.h"

namespace sanso::report {
namespace {

struct Words {
  const char* title;
  const char* verdict;
  const char* matrix;
  const char* findings;
  const char* no_findings;
  const char* evidence;
  const char* witness;
  const char* also_breaks;
  const char* coverage;
  const char* lines_understood;
  const char* not_evaluated;
  const char* checklist;
  const char* passed;
  const char* waived;
  const char* baseline;
  const char* baseline_note;
};

constexpr Words kEn{"sanso audit", "Verdict", "Zone matrix (initiator -> responder)", "Findings",
                    "No findings.", "evidence", "example packet", "also breaks", "Coverage",
                    "{} of {} lines understood", "Not evaluated", "Checklist for the auditor (organisational measures, never marked passed by the tool)",
                    "Passed", "waived", "baseline",
                    "{} finding(s) are in the baseline: shown, they do not fail the run"};
constexpr Words kJa{"sanso 監査", "判定", "通信マトリクス（領域間、開始側 → 応答側）", "指摘事項",
                    "指摘事項はありません。", "根拠", "該当パケット例", "他に違反するルール",
                    "設定の解釈率", "{1} 行中 {0} 行を解釈", "評価対象外",
                    "組織的対策の確認項目（ツールは適合と判定しません）", "適合", "適用除外", "既知",
                    "{} 件はベースラインにある既知の指摘です（表示しますが、終了コードには影響しません）"};

const Words& words(Lang l) { return l == Lang::Ja ? kJa : kEn; }

const std::string& pick(const policy::Text& t, Lang l) { return l == Lang::Ja ? t.ja : t.en; }

/// Columns a UTF-8 string takes in a terminal: East Asian wide characters take two.
std::size_t display_width(const std::string& s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : (c & (0xFF >> (len + 1)));
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6);
    width += wide ? 2 : 1;
    i += len;
  }
  return width;
}

/// `s` padded with spaces to `columns` display columns.
std::string pad(const std::string& s, std::size_t columns) {
  const std::size_t w = display_width(s);
  return w >= columns ? s : s + std::string(columns - w, ' ');
}

/// Evidence texts sanso writes itself (not config lines), in the report's language.
std::string evidence_text(const std::string& text, Lang l) {
  if (l == Lang::En) return text;
  static const std::pair<std::string_view, std::string_view> kJa[] = {
      {"device without config: forwards everything between its segments",
       "設定のない機器：接続するセグメント間の通信をすべて転送します"},
      {"device without config: forwards everything", "設定のない機器：すべて転送します"},
      {"vendor not supported: forwarding unproven", "未対応の機種：転送内容は未検証です"},
      {"implicit deny", "暗黙の拒否"},
  };
  for (const auto& [en, ja] : kJa) {
    if (text == en) return std::string(ja);
  }
  return text;
}

std::string verdict_text(const std::string& v, Lang l) {
  if (l == Lang::En) {
    if (v == "clean") return "CLEAN: no violation and nothing unproven";
    if (v == "violations") return "VIOLATIONS";
    return "UNPROVEN: some crossings cannot be proven safe";
  }
  if (v == "clean") return "適合：違反なし、未検証なし";
  if (v == "violations") return "違反あり";
  return "未検証あり（安全性を確認できない領域間通信があります）";
}

std::string status_text(const std::string& s, Lang l) {
  if (l == Lang::En) return s;
  if (s == "violation") return "違反";
  if (s == "unproven") return "未検証";
  if (s == "waived") return "適用除外";
  if (s == "info") return "情報";
  if (s == "allowed") return "許可（宣言済み）";
  if (s == "default") return "同一系内";
  return s;
}

std::string severity_text(policy::Severity s, Lang l) {
  if (l == Lang::En) return std::string(policy::to_string(s));
  switch (s) {
    case policy::Severity::Critical: return "重大";
    case policy::Severity::High: return "高";
    case policy::Severity::Medium: return "中";
    case policy::Severity::Low: return "低";
    case policy::Severity::Info: return "情報";
  }
  return "";
}

std::string witness_text(const model::Packet& p, bool mac) {
  std::string s = model::describe(p);
  if (mac) s += " src-mac " + model::format_mac(p.src_mac);
  return s;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}

}  // namespace

std::string audit_text(const topology::Topology& topology, const policy::RulePack& pack,
                       const policy::AuditResult& r, Lang lang) {
  const Words& w = words(lang);
  std::string out;
  std::map<std::string, int> by_status;
  for (const auto& f : r.findings) ++by_status[std::string(policy::to_string(f.status))];
  out += fmt::format("{} - {} ({} {})\n", w.title, r.network, lang == Lang::Ja ? "モデル" : "model",
                     topology::to_string(topology.policy.model));
  out += fmt::format("{}: {}", w.verdict, verdict_text(r.verdict, lang));
  std::string counts;
  for (const auto& [status, n] : by_status) {
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, status_text(status, lang));
  }
  out += counts.empty() ? "\n" : fmt::format(" ({})\n", counts);
  std::size_t in_baseline = 0;
  for (const auto& f : r.findings) in_baseline += f.baseline ? 1 : 0;
  if (in_baseline > 0) out += fmt::format(fmt::runtime(w.baseline_note), in_baseline) + "\n";

  out += fmt::format("\n{}\n", w.matrix);
  for (const auto& c : r.matrix) {
    out += fmt::format("  {} -> {} {} {}\n", pad(c.from_zone, 16), pad(c.to_zone, 16),
                       pad(status_text(c.status, lang), 16), join(c.services, ", "));
  }

  out += fmt::format("\n{}\n", w.findings);
  if (r.findings.empty()) out += fmt::format("  {}\n", w.no_findings);
  std::string current_rule;
  for (const auto& f : r.findings) {
    if (f.rule != current_rule) {
      current_rule = f.rule;
      const auto* def = pack.find(f.rule);
      out += fmt::format("\n{} [{}] {}\n", f.rule, severity_text(f.severity, lang),
                         def ? pick(def->title, lang) : "");
    }
    std::string where = f.device.empty() ? "" : f.device + ": ";
    if (!f.from_zone.empty() && !f.to_zone.empty()) where += f.from_zone + " -> " + f.to_zone;
    out += fmt::format("  - {}{} {}\n", status_text(std::string(policy::to_string(f.status)), lang),
                       f.baseline ? fmt::format(" [{}]", w.baseline) : "", where);
    out += fmt::format("    {}\n", pick(f.message, lang));
    if (f.waiver_reason) out += fmt::format("    {}: {}\n", w.waived, *f.waiver_reason);
    for (const auto& e : f.evidence) {
      std::string loc = e.ref.file.empty() ? e.device : e.ref.file;
      if (e.ref.line) loc += fmt::format(":{}", *e.ref.line);
      out += fmt::format("    {}: {}  {}\n", w.evidence, loc, evidence_text(e.ref.text, lang));
    }
    if (f.witness) out += fmt::format("    {}: {}\n", w.witness, witness_text(*f.witness, f.witness_mac_matters));
    if (!f.also_breaks.empty()) out += fmt::format("    {}: {}\n", w.also_breaks, join(f.also_breaks, ", "));
    out += fmt::format("    id: {}\n", f.id);
  }

  out += fmt::format("\n{}\n", w.coverage);
  for (const auto& c : r.coverage) {
    const auto& cov = c.coverage;
    const double pct = cov.lines == 0 ? 100.0 : 100.0 * cov.understood() / cov.lines;
    out += fmt::format("  {:<12} {:<9} {}  {} ({:.1f}%)\n", c.device, c.vendor, cov.file,
                       fmt::format(fmt::runtime(w.lines_understood), cov.understood(), cov.lines), pct);
    for (const auto& u : cov.unparsed) {
      out += fmt::format("      {}:{}: {}  [{}]\n", cov.file, u.line, u.text, u.reason);
    }
  }

  out += fmt::format("\n{} ({})\n", w.not_evaluated, r.not_evaluated.size());
  for (const auto& n : r.not_evaluated) {
    const std::string rule = n.device.empty() ? n.rule : n.rule + " (" + n.device + ")";
    out += fmt::format("  {} {}\n", pad(rule, 28), pick(n.why, lang));
  }
  out += fmt::format("\n{}\n", w.checklist);
  for (const auto& c : r.checklist) out += fmt::format("  [ ] {:<24} {}\n", c.rule, pick(c.title, lang));
  out += fmt::format("\n{} ({}): {}\n", w.passed, r.passed.size(), join(r.passed, ", "));
  return out;
}

}  // namespace sanso::report
