// `sanso verify-log FILE... [--key PATH]`: checks the monitor's tamper-evident alert log
// (docs/alert-log.md) and names the first line that does not belong to the chain.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "service/alert_log.h"

namespace sanso::cli {
namespace {

struct VerifyLogArgs {
  std::vector<std::string> files;
  std::string key;
  std::string format = "text";
  std::string lang;
  std::string expect_head;
  bool live = false;
};

/// The parts of one log oldest first (FILE.1, FILE.2, …, FILE), whatever order the shell's glob
/// gave them in (it puts FILE first and FILE.10 before FILE.2). Different logs keep the order of
/// their first mention.
std::vector<std::string> chain_order(const std::vector<std::string>& files) {
  std::map<std::string, std::size_t> group;
  struct Part {
    std::size_t group;
    std::uint64_t n;
    std::string path;
  };
  std::vector<Part> parts;
  for (const auto& f : files) {
    const std::string live = service::live_log_path(f);
    const auto [it, added] = group.emplace(live, group.size());
    std::uint64_t n = std::numeric_limits<std::uint64_t>::max();  // the live file comes last
    if (live != f) std::from_chars(f.data() + live.size() + 1, f.data() + f.size(), n);
    parts.push_back({it->second, n, f});
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const Part& a, const Part& b) { return std::tie(a.group, a.n) < std::tie(b.group, b.n); });
  std::vector<std::string> out;
  for (auto& p : parts) out.push_back(std::move(p.path));
  return out;
}

std::string problem_location(const service::VerifyResult& r) {
  return r.first_bad_line ? fmt::format("{}:{}", r.bad_file, *r.first_bad_line) : r.bad_file;
}

std::string text_report(const service::VerifyResult& r, report::Lang lang) {
  const bool ja = lang == report::Lang::Ja;
  std::string out;
  for (const auto& f : r.files) {
    if (!r.intact && f.path == r.bad_file) break;
    out += fmt::format("{}: {} {} lines{}\n", f.path, ja ? "改ざんなし," : "intact,", f.lines,
                       f.sealed ? (ja ? ", 封印済み" : ", sealed") : "");
  }
  for (const auto& n : r.notes) out += fmt::format("{}{}\n", ja ? "注意: " : "note: ", n);
  if (!r.intact) {
    out += fmt::format("{}: {}\n", problem_location(r), r.problem);
    out += ja ? "改ざんを検出しました (tampering found)\n" : "tampering found\n";
    return out;
  }
  const std::string sealed = r.sealed ? (ja ? ", 封印済み" : ", sealed") : (ja ? ", 未封印" : ", not sealed");
  if (ja) {
    out += fmt::format("チェーンは完全です: {} ファイル, {} 行{}; 先頭 {} (syslog に送られた最後のチェーン先頭と照合してください)\n",
                       r.files.size(), r.lines, sealed, r.head);
  } else {
    out += fmt::format("chain intact: {} file(s), {} lines{}; head {} (compare with the last chain head sent to syslog)\n",
                       r.files.size(), r.lines, sealed, r.head);
  }
  return out;
}

std::string json_report(const service::VerifyResult& r) {
  nlohmann::json j;
  j["sanso"] = 1;
  j["intact"] = r.intact;
  j["sealed"] = r.sealed;
  j["lines"] = r.lines;
  j["head"] = r.head;
  j["files"] = nlohmann::json::array();
  for (const auto& f : r.files) {
    j["files"].push_back({{"file", f.path}, {"lines", f.lines}, {"sealed", f.sealed}, {"head", f.head}});
  }
  j["problem"] = nullptr;
  if (!r.intact) {
    j["problem"] = {{"file", r.bad_file},
                    {"line", r.first_bad_line ? nlohmann::json(*r.first_bad_line) : nlohmann::json(nullptr)},
                    {"what", r.problem}};
  }
  j["notes"] = r.notes;
  return j.dump(2) + "\n";
}

int run_verify_log_command(const VerifyLogArgs& a) {
  const auto files = chain_order(a.files);
  const std::string key = a.key.empty() ? service::default_key_path(files.front()) : a.key;
  service::VerifyOptions options;
  options.allow_unsealed = a.live;
  options.expect_head = a.expect_head;
  const auto r = service::verify_alert_log(files, key, options);
  if (!r.error.empty()) {
    std::fprintf(stderr, "sanso: %s\n", r.error.c_str());
    return kInputError;
  }
  const std::string text = a.format == "json" ? json_report(r) : text_report(r, choose_lang(a.lang));
  std::fwrite(text.data(), 1, text.size(), stdout);
  return r.intact ? kClean : kFindings;
}

}  // namespace

Runner add_verify_log(CLI::App& app) {
  auto args = std::make_shared<VerifyLogArgs>();
  app.add_option("FILE", args->files,
                 "alert log file(s) written by `sanso monitor --alerts`; the parts of one rotated log "
                 "(FILE.1, FILE.2, ..., FILE) are checked oldest first, in whatever order they are given")
      ->required();
  app.add_option("--key,-k", args->key,
                 "HMAC key file (default: the log's name with extension .key, e.g. alerts.jsonl -> alerts.key)");
  app.add_option("--format,-f", args->format, "output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--lang", args->lang, "language of the text report (default: from the locale)")
      ->check(CLI::IsMember({"en", "ja"}));
  app.add_option("--expect-head", args->expect_head,
                 "a chain head (hex) the monitor sent to syslog: tampering unless some line has it");
  app.add_flag("--live", args->live,
               "the monitor may still be writing: a missing final seal is a note, not tampering");
  app.footer(
      "Exit status: 0 intact; 1 tampering found (the first bad line is named as FILE:LINE, or a missing\n"
      "seal / chain head); 2 usage error, or a log or key file that cannot be read; 3 internal error.");
  return [args] { return run_verify_log_command(*args); };
}

}  // namespace sanso::cli
