#include <fmt/format.h>

#include "impact/report.h"

namespace sanso::impact {
namespace {

using report::Lang;

struct Words {
  const char* title;
  const char* before;
  const char* after;
  const char* verdict;
  const char* pass;
  const char* fail;
  const char* zone_changes;
  const char* segment_changes;
  const char* no_changes;
  const char* added;
  const char* removed;
  const char* unproven;
  const char* uncovered;
  const char* witness;
  const char* more_blocks;
  const char* not_checked;
  const char* findings;
  const char* new_findings;
  const char* resolved;
  const char* unchanged;
  const char* intents;
  const char* met;
  const char* not_met;
  const char* counter_open;
  const char* counter_close;
  const char* collateral;
  const char* no_collateral;
};

constexpr Words kEn{
    "sanso impact", "before", "after", "Verdict",
    "PASS: the change adds no crossing beyond valid allow entries and the intent, and nothing unproven",
    "FAIL: the change adds crossings not covered by valid allow entries or the intent",
    "Crossing changes by zone (initiator -> responder)", "Changes by segment",
    "  no packet starts or stops crossing", "added", "removed", "unproven",
    "not covered: fails the change", "example", "... {} more block(s): --format json lists all",
    "same tier, allowed by default", "Findings", "new", "resolved", "unchanged", "Intents", "met",
    "NOT MET", "does not cross", "still crosses", "Collateral (changes beyond the intents)",
    "  none"};

constexpr Words kJa{
    "sanso 変更影響", "変更前", "変更後", "判定",
    "合格：宣言済みの許可と変更意図を超える領域間通信の追加はなく、未検証もありません",
    "不合格：宣言済みの許可にも変更意図にも含まれない領域間通信が追加されます",
    "領域間通信の変化（開始側 → 応答側）", "セグメント間の変化", "  通信の増減はありません",
    "追加", "削除", "未検証", "許可外：この変更は不合格", "例",
    "... ほか {} ブロック（--format json ですべて表示）", "同一系内（既定で許可）", "指摘事項",
    "新規", "解消", "継続", "変更意図", "達成", "未達成", "が通りません", "がまだ通ります",
    "付随的な変化（変更意図を超える変化）", "  なし"};

const Words& words(Lang l) { return l == Lang::Ja ? kJa : kEn; }

std::string decision_text(const RuleDecision& d) {
  std::string where = d.file;
  if (d.line) where += fmt::format(":{}", *d.line);
  std::string s = d.device;
  if (!d.stage.empty()) s += fmt::format(" [{}]", d.stage);
  s += " " + d.action;
  if (!where.empty()) s += "  " + where;
  if (!d.text.empty()) s += "  " + d.text;
  return s;
}

std::string block_line(const ReadableBlock& b) {
  std::string services;
  for (const auto& s : services_text(b.services)) services += (services.empty() ? "" : ", ") + s;
  return fmt::format("{} -> {}  {}", ranges_text(b.family, b.src), ranges_text(b.family, b.dst),
                     services);
}

void add_blocks(std::string& out, const Words& w, const char* sign, const char* label,
                const std::vector<ShownBlock>& blocks) {
  std::size_t shown = 0;
  for (const auto& sb : blocks) {
    if (shown++ == kTextBlocks) {
      out += "      " + fmt::format(fmt::runtime(w.more_blocks), blocks.size() - kTextBlocks) + "\n";
      break;
    }
    out += fmt::format("    {} {}{}: {}\n", sign, label,
                       sb.proven ? "" : fmt::format(" ({})", w.unproven), block_line(sb.block));
    out += fmt::format("        {}: {}\n", w.witness, model::describe(sb.witness));
    for (const auto& d : sb.before) out += fmt::format("        {}: {}\n", w.before, decision_text(d));
    for (const auto& d : sb.after) out += fmt::format("        {}:  {}\n", w.after, decision_text(d));
  }
}

void add_plain(std::string& out, const Words& w, const char* label, const model::PacketSet& s) {
  std::size_t shown = 0;
  const auto blocks = readable_blocks(s);
  for (const auto& b : blocks) {
    if (shown++ == kTextBlocks) {
      out += "      " + fmt::format(fmt::runtime(w.more_blocks), blocks.size() - kTextBlocks) + "\n";
      break;
    }
    out += fmt::format("      {}: {}\n", label, block_line(b));
  }
}

void add_pairs(std::string& out, const Words& w, const std::vector<PairChange>& pairs) {
  if (pairs.empty()) out += std::string(w.no_changes) + "\n";
  for (const auto& p : pairs) {
    out += fmt::format("  {} -> {} ({} -> {}){}\n", p.from, p.to, p.from_tier, p.to_tier,
                       p.checked ? "" : fmt::format("  [{}]", w.not_checked));
    add_blocks(out, w, "+", w.added, p.added_blocks);
    add_blocks(out, w, "-", w.removed, p.removed_blocks);
    add_plain(out, w, w.uncovered, p.uncovered);
  }
}

std::string finding_line(const policy::Finding& f, Lang lang) {
  std::string where = f.device.empty() ? "" : f.device + ": ";
  if (!f.from_zone.empty() && !f.to_zone.empty()) where += f.from_zone + " -> " + f.to_zone;
  return fmt::format("{} [{}] {} {}  id {}\n      {}", f.rule, policy::to_string(f.severity),
                     policy::to_string(f.status), where, f.id,
                     lang == Lang::Ja ? f.message.ja : f.message.en);
}

}  // namespace

std::string impact_text(const ImpactResult& r, Lang lang) {
  const Words& w = words(lang);
  std::string out;
  out += fmt::format("{}\n  {}: {}\n  {}:  {}\n", w.title, w.before, r.before, w.after, r.after);
  out += fmt::format("{}: {}\n", w.verdict, r.exit_code() == 0 ? w.pass : w.fail);

  out += fmt::format("\n{}\n", w.zone_changes);
  add_pairs(out, w, r.zones);
  if (!r.segments.empty()) {
    out += fmt::format("\n{}\n", w.segment_changes);
    add_pairs(out, w, r.segments);
  }

  out += fmt::format("\n{}: {} {}, {} {}, {} {}\n", w.findings, r.findings.added.size(),
                     w.new_findings, r.findings.resolved.size(), w.resolved,
                     r.findings.unchanged.size(), w.unchanged);
  for (const auto& f : r.findings.added) out += fmt::format("  + {}: {}\n", w.new_findings, finding_line(f, lang));
  for (const auto& f : r.findings.resolved) out += fmt::format("  - {}: {}\n", w.resolved, finding_line(f, lang));
  for (const auto* f : r.findings.unchanged) {
    out += fmt::format("  = {}: {} {} {}\n", w.unchanged, f->rule, f->device, f->id);
  }

  if (r.intents_given) {
    out += fmt::format("\n{}\n", w.intents);
    for (const auto& o : r.intents) {
      out += fmt::format("  [{}] {} {} -> {} {}\n", o.met ? w.met : w.not_met,
                         o.intent.action == IntentAction::Open ? "open" : "close", o.intent.from,
                         o.intent.to, o.intent.service);
      if (o.counter_example) {
        out += fmt::format("      {}: {} {}\n", w.witness, model::describe(*o.counter_example),
                           o.intent.action == IntentAction::Open ? w.counter_open : w.counter_close);
      }
    }
    out += fmt::format("\n{}\n", w.collateral);
    bool any = false;
    for (const auto& p : r.zones) {
      if (p.collateral_added.empty() && p.collateral_removed.empty()) continue;
      any = true;
      out += fmt::format("  {} -> {}\n", p.from, p.to);
      add_plain(out, w, w.added, p.collateral_added);
      add_plain(out, w, w.removed, p.collateral_removed);
    }
    if (!any) out += std::string(w.no_collateral) + "\n";
  }
  return out;
}

}  // namespace sanso::impact
