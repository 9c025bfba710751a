// The tamper-evident alert log: writing, restart, rotation, and the verifier naming the first bad
// line for every kind of tampering DESIGN §5 promises to detect.
#include "service/alert_log.h"

#include <doctest/doctest.h>

#include <openssl/evp.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include "scratch.h"
#include "service/hmac.h"

namespace sanso::service {
namespace {

using test::lines_of;
using test::join;
using test::Scratch;
using test::slurp;
using test::spit;

AlertLogOptions fast_options() {
  AlertLogOptions o;
  o.sync = false;
  o.clock = [] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(1714566896789)); };
  return o;
}

std::string alert(int i) { return fmt::format(R"({{"rule":"MN-ISOLATE","severity":"critical","n":{}}})", i); }

/// A closed log of: open, `alerts` alert lines, seal.
void write_log(const std::string& path, const std::string& key, int alerts) {
  std::string error;
  auto w = AlertLogWriter::open(path, key, error, fast_options());
  REQUIRE_MESSAGE(w, error);
  for (int i = 0; i < alerts; ++i) REQUIRE_MESSAGE(w->append(alert(i), error), error);
  REQUIRE_MESSAGE(w->close(error), error);
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool any_note(const std::vector<std::string>& notes, const std::string& part) {
  for (const auto& n : notes) {
    if (has(n, part)) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("alert log: a fresh log creates its key and verifies intact") {
  Scratch dir;
  const auto log = dir.file("alerts.jsonl"), key = dir.file("alerts.key");
  std::string error;
  auto w = AlertLogWriter::open(log, key, error, fast_options());
  REQUIRE_MESSAGE(w, error);
  const auto notes = w->take_notes();
  CHECK(any_note(notes, "created key file " + key));
  struct stat st {};
  REQUIRE(::stat(key.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(st.st_size == 32);
  REQUIRE(w->append(alert(1), error));
  const std::string head_after_alert = w->head();
  CHECK(w->head_seq() == 1);
  REQUIRE(w->close(error));
  CHECK_FALSE(w->append(alert(2), error));

  const auto lines = lines_of(slurp(log));
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].starts_with(R"({"seq":0,"prev":")" + std::string(64, '0') +
                             R"(","type":"open","time":"2024-05-01T12:34:56.789Z","prev_file":null,"mac":")"));
  CHECK(lines[1].starts_with(R"({"seq":1,"prev":")"));
  CHECK(has(lines[1], R"(","rule":"MN-ISOLATE","severity":"critical","n":1,"mac":")"));
  CHECK(lines[1].ends_with("\"}\n"));
  CHECK(has(lines[2], R"("type":"seal","time":"2024-05-01T12:34:56.789Z","reason":"close","lines":2,"mac":")"));
  CHECK(has(lines[2], head_after_alert));  // the seal's prev is the head before it

  const auto r = verify_alert_log({log}, key);
  CHECK_MESSAGE(r.intact, r.problem);
  CHECK(r.error.empty());
  CHECK(r.sealed);
  CHECK(r.lines == 3);
  CHECK(r.head == w->head());
  CHECK(r.notes.empty());
}

TEST_CASE("alert log: a key readable by others is refused, for writing and verifying") {
  Scratch dir;
  const auto key = dir.file("k.key");
  spit(key, std::string(32, 'k'));
  ::chmod(key.c_str(), 0644);
  std::string error;
  CHECK_FALSE(AlertLogWriter::open(dir.file("a.jsonl"), key, error, fast_options()));
  CHECK(error == fmt::format("key file {} is accessible by group or others (mode 0644): run `chmod 600 {}`", key, key));
  const auto r = verify_alert_log({dir.file("a.jsonl")}, key);
  CHECK_FALSE(r.intact);
  CHECK(has(r.error, "chmod 600"));

  ::chmod(key.c_str(), 0600);
  spit(key, "short");
  CHECK_FALSE(AlertLogWriter::open(dir.file("a.jsonl"), key, error, fast_options()));
  CHECK(has(error, "has 5 bytes"));
}

TEST_CASE("alert log: the writer refuses what is not one JSON object line") {
  Scratch dir;
  std::string error;
  auto w = AlertLogWriter::open(dir.file("a.jsonl"), dir.file("a.key"), error, fast_options());
  REQUIRE(w);
  CHECK_FALSE(w->append("not json", error));
  CHECK_FALSE(w->append("{\"a\":1}\n{\"b\":2}", error));
  CHECK(has(error, "newline"));
  CHECK_FALSE(w->append(R"({"type":"seal","lines":0})", error));
  CHECK(w->append("{}", error));
  CHECK(w->append(R"({"type":"alert"})", error));
  REQUIRE(w->close(error));
  CHECK(verify_alert_log({dir.file("a.jsonl")}, dir.file("a.key")).intact);
}

TEST_CASE("alert log: every kind of tampering is found at its first bad line") {
  Scratch dir;
  const auto log = dir.file("alerts.jsonl"), key = dir.file("alerts.key");
  write_log(log, key, 5);  // lines: 1 open, 2..6 alerts, 7 seal
  const auto original = lines_of(slurp(log));
  REQUIRE(original.size() == 7);
  const auto bad = dir.file("bad.jsonl");

  struct Case {
    const char* name;
    std::vector<std::string> lines;
    std::optional<std::uint64_t> line;
    const char* problem;
  };
  auto altered = original;
  altered[2].replace(altered[2].find("critical"), 8, "low     ");
  auto deleted = original;
  deleted.erase(deleted.begin() + 3);
  auto reordered = original;
  std::swap(reordered[3], reordered[4]);
  auto duplicated = original;
  duplicated.insert(duplicated.begin() + 4, duplicated[3]);
  auto truncated = original;
  truncated.pop_back();
  auto cut_mid = original;
  cut_mid.resize(4);
  auto torn = original;
  torn.push_back(original[3].substr(0, 30));
  auto head_cut = original;
  head_cut.erase(head_cut.begin());
  auto garbage = original;
  garbage.insert(garbage.begin() + 2, "hello\n");

  const Case cases[] = {
      {"altered", altered, 3, "mac mismatch: the line was altered, or written with another key"},
      {"deleted", deleted, 4, "seq 4 where 3 was expected: 1 line(s) before it were deleted, or lines were reordered"},
      {"reordered", reordered, 4, "seq 4 where 3 was expected"},
      {"duplicated", duplicated, 5, "seq 3 where 4 was expected: lines were reordered or repeated"},
      {"seal removed", truncated, std::nullopt, "not sealed: truncated, or the writer is still running / was killed"},
      {"tail cut", cut_mid, std::nullopt, "not sealed"},
      {"torn", torn, 8, "torn last line (30 bytes without a newline)"},
      {"head cut", head_cut, 1, "seq 1 where 0 was expected"},
      {"garbage line", garbage, 3, "not a chained record"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    spit(bad, join(c.lines));
    const auto r = verify_alert_log({bad}, key);
    CHECK(r.error.empty());
    CHECK_FALSE(r.intact);
    CHECK(r.bad_file == bad);
    CHECK(r.first_bad_line == c.line);
    CHECK_MESSAGE(r.problem.starts_with(c.problem), r.problem);
  }
}

TEST_CASE("alert log: a chain recomputed with plain SHA-256 (no key) fails at the altered line") {
  Scratch dir;
  const auto log = dir.file("alerts.jsonl"), key = dir.file("alerts.key");
  write_log(log, key, 4);
  auto lines = lines_of(slurp(log));
  // The attacker edits line 3 and recomputes every later "mac" as SHA-256(prev || signed part),
  // relinking "prev" fields as they go: without the key, it cannot produce the HMAC.
  lines[2].replace(lines[2].find("MN-ISOLATE"), 10, "ZONE-ASSIG");
  Mac prev{};
  REQUIRE(from_hex(lines[1].substr(lines[1].size() - 67, 64), prev));
  for (std::size_t i = 2; i < lines.size(); ++i) {
    std::string& l = lines[i];
    l.replace(l.find("\"prev\":\"") + 8, 64, to_hex(prev));
    const std::string signed_part = l.substr(0, l.size() - 2 - 64 - 9);
    std::string input(reinterpret_cast<const char*>(prev.data()), prev.size());
    input += signed_part;
    unsigned int len = 0;
    REQUIRE(EVP_Digest(input.data(), input.size(), prev.data(), &len, EVP_sha256(), nullptr) == 1);
    l = signed_part + ",\"mac\":\"" + to_hex(prev) + "\"}\n";
  }
  spit(log, join(lines));
  const auto r = verify_alert_log({log}, key);
  CHECK_FALSE(r.intact);
  CHECK(r.first_bad_line == 3);
  CHECK(r.problem.starts_with("mac mismatch"));
}

TEST_CASE("alert log: another key does not verify") {
  Scratch dir;
  write_log(dir.file("a.jsonl"), dir.file("a.key"), 1);
  write_log(dir.file("b.jsonl"), dir.file("b.key"), 1);
  const auto r = verify_alert_log({dir.file("a.jsonl")}, dir.file("b.key"));
  CHECK_FALSE(r.intact);
  CHECK(r.first_bad_line == 1);
  CHECK(has(r.problem, "another key"));
  std::string error;
  CHECK_FALSE(AlertLogWriter::open(dir.file("a.jsonl"), dir.file("b.key"), error, fast_options()));
  CHECK(has(error, "does not verify against the key"));
}

TEST_CASE("alert log: restart after a kill recovers a torn last line and continues the chain") {
  Scratch dir;
  const auto log = dir.file("alerts.jsonl"), key = dir.file("alerts.key");
  std::string error;
  {
    auto w = AlertLogWriter::open(log, key, error, fast_options());
    REQUIRE(w);
    REQUIRE(w->append(alert(1), error));
    REQUIRE(w->append(alert(2), error));
    // destroyed without close(): the process was killed
  }
  const std::string half = R"({"seq":3,"prev":"0123456789abcdef","rule":"MN-)";
  spit(log, slurp(log) + half);
  {
    auto w = AlertLogWriter::open(log, key, error, fast_options());
    REQUIRE_MESSAGE(w, error);
    const auto notes = w->take_notes();
    CHECK(any_note(notes, fmt::format("removed a torn last line of {} bytes", half.size())));
    CHECK(any_note(notes, "was not sealed"));
    REQUIRE(w->append(alert(3), error));
    REQUIRE(w->close(error));
  }
  const auto lines = lines_of(slurp(log));
  REQUIRE(lines.size() == 7);  // open, a1, a2, recovered, open, a3, seal
  CHECK(has(lines[3], fmt::format(R"("type":"recovered","time":"2024-05-01T12:34:56.789Z","torn_bytes":{},"torn_hex":")",
                                  half.size())));
  CHECK(has(lines[3], to_hex(reinterpret_cast<const std::uint8_t*>(half.data()), half.size())));
  CHECK(has(lines[4], R"("type":"open","time":"2024-05-01T12:34:56.789Z","prev_file":null,"resumed":"unclean")"));
  const auto r = verify_alert_log({log}, key);
  CHECK_MESSAGE(r.intact, r.problem);
  CHECK(r.lines == 7);
  CHECK(any_note(r.notes, log + ":4: a torn line of " + std::to_string(half.size()) + " bytes"));
  CHECK(any_note(r.notes, log + ":5: the writer restarted after an unclean stop"));
}

TEST_CASE("alert log: a torn very first line is recovered too") {
  Scratch dir;
  const auto log = dir.file("alerts.jsonl"), key = dir.file("alerts.key");
  write_log(dir.file("other.jsonl"), key, 0);  // creates the key
  spit(log, R"({"seq":0,"prev":"00)");
  std::string error;
  auto w = AlertLogWriter::open(log, key, error, fast_options());
  REQUIRE_MESSAGE(w, error);
  REQUIRE(w->close(error));
  const auto r = verify_alert_log({log}, key);
  CHECK_MESSAGE(r.intact, r.problem);
  CHECK(r.lines == 3);  // open, recovered, seal
}

TEST_CASE("alert log: reopening a sealed log continues it without an unclean-stop note") {
  Scratch dir;
  const auto log = dir.file("alerts.jsonl"), key = dir.file("alerts.key");
  write_log(log, key, 2);
  write_log(log, key, 1);
  const auto lines = lines_of(slurp(log));
  REQUIRE(lines.size() == 7);  // open a a seal open a seal
  CHECK(has(lines[4], R"("resumed":"sealed")"));
  const auto r = verify_alert_log({log}, key);
  CHECK_MESSAGE(r.intact, r.problem);
  CHECK(r.notes.empty());
  // Lines after a seal must start with an open record.
  auto spliced = lines;
  spliced.erase(spliced.begin() + 4);
  spit(log, join(spliced));
  CHECK(verify_alert_log({log}, key).first_bad_line == 5);
}

TEST_CASE("alert log: rotation chains the files, in order") {
  Scratch dir;
  const auto log = dir.file("alerts.jsonl"), key = dir.file("alerts.key");
  std::string error;
  auto w = AlertLogWriter::open(log, key, error, fast_options());
  REQUIRE(w);
  REQUIRE(w->append(alert(1), error));
  REQUIRE(w->rotate(error));
  REQUIRE(w->append(alert(2), error));
  REQUIRE(w->rotate(error));
  REQUIRE(w->append(alert(3), error));
  REQUIRE(w->close(error));
  const auto one = log + ".1", two = log + ".2";
  CHECK(has(lines_of(slurp(one)).back(), R"("reason":"rotate")"));
  CHECK(has(lines_of(slurp(two)).front(), R"("prev_file":"alerts.jsonl.1")"));
  CHECK(has(lines_of(slurp(log)).front(), R"("prev_file":"alerts.jsonl.2")"));

  auto r = verify_alert_log({one, two, log}, key);
  CHECK_MESSAGE(r.intact, r.problem);
  CHECK(r.files.size() == 3);
  CHECK(r.lines == 9);
  CHECK(r.head == w->head());

  r = verify_alert_log({log}, key);  // alone: intact, and says what it continues
  CHECK(r.intact);
  CHECK(any_note(r.notes, log + ":1: continues the chain of alerts.jsonl.2"));

  r = verify_alert_log({one, log}, key);  // the middle file is missing
  CHECK_FALSE(r.intact);
  CHECK(r.bad_file == log);
  CHECK(r.first_bad_line == 1);
  CHECK(has(r.problem, "does not chain to the head of " + one));

  r = verify_alert_log({two, one, log}, key);  // out of order
  CHECK_FALSE(r.intact);
  CHECK(r.bad_file == one);

  CHECK(rotated_log_files(log) == std::vector<std::string>{one, two});
}

TEST_CASE("alert log: size rotation, and a crash between rename and the new file") {
  Scratch dir;
  const auto log = dir.file("alerts.jsonl"), key = dir.file("alerts.key");
  std::string error;
  auto options = fast_options();
  options.max_bytes = 800;
  {
    auto w = AlertLogWriter::open(log, key, error, options);
    REQUIRE(w);
    for (int i = 0; i < 12; ++i) REQUIRE(w->append(alert(i), error));
    CHECK(w->take_notes().size() == 1);  // only "created key file"
  }  // killed
  auto files = rotated_log_files(log);
  CHECK(files.size() >= 3);
  for (const auto& f : files) CHECK(std::filesystem::file_size(f) < 800 + 400);
  // The crash: the live file vanished after its rename.
  std::filesystem::remove(log);
  {
    auto w = AlertLogWriter::open(log, key, error, options);
    REQUIRE_MESSAGE(w, error);
    CHECK(has(lines_of(slurp(log)).front(), fmt::format(R"("prev_file":"alerts.jsonl.{}")", files.size())));
    REQUIRE(w->close(error));
  }
  files = rotated_log_files(log);
  files.push_back(log);
  const auto r = verify_alert_log(files, key);
  CHECK_MESSAGE(r.intact, r.problem);
}

TEST_CASE("alert log: a chain head from syslog must be in the log") {
  Scratch dir;
  const auto log = dir.file("alerts.jsonl"), key = dir.file("alerts.key");
  std::string error;
  std::string syslog_head;
  {
    auto w = AlertLogWriter::open(log, key, error, fast_options());
    REQUIRE(w);
    REQUIRE(w->append(alert(1), error));
    REQUIRE(w->append(alert(2), error));
    syslog_head = w->head();
    CHECK(w->head_message() == fmt::format("alert log {} seq=2 head={}", log, syslog_head));
    REQUIRE(w->append(alert(3), error));
  }  // killed
  VerifyOptions options;
  options.allow_unsealed = true;
  options.expect_head = syslog_head;
  auto r = verify_alert_log({log}, key, options);
  CHECK_MESSAGE(r.intact, r.problem);
  CHECK(any_note(r.notes, "not sealed"));
  // An attacker kills the writer, cuts the last two lines and restarts it: the chain is intact,
  // but the head sent to syslog is gone.
  auto lines = lines_of(slurp(log));
  lines.resize(2);
  spit(log, join(lines));
  {
    auto w = AlertLogWriter::open(log, key, error, fast_options());
    REQUIRE(w);
    REQUIRE(w->close(error));
  }
  r = verify_alert_log({log}, key, options);
  CHECK_FALSE(r.intact);
  CHECK(r.first_bad_line == std::nullopt);
  CHECK(has(r.problem, "chain head " + syslog_head + " (from syslog) is not in the log"));
  CHECK(any_note(r.notes, log + ":3: the writer restarted after an unclean stop"));
}

TEST_CASE("alert log: unreadable inputs are errors, not verdicts") {
  Scratch dir;
  write_log(dir.file("a.jsonl"), dir.file("a.key"), 0);
  auto r = verify_alert_log({dir.file("missing.jsonl")}, dir.file("a.key"));
  CHECK(has(r.error, "cannot read alert log"));
  r = verify_alert_log({dir.file("a.jsonl")}, dir.file("missing.key"));
  CHECK(has(r.error, "cannot read key file"));
  spit(dir.file("empty.jsonl"), "");
  r = verify_alert_log({dir.file("empty.jsonl")}, dir.file("a.key"));
  CHECK(r.error.empty());
  CHECK(r.first_bad_line == 1);
}

TEST_CASE("alert log: key and live paths") {
  CHECK(default_key_path("/var/log/sanso/alerts.jsonl") == "/var/log/sanso/alerts.key");
  CHECK(default_key_path("/var/log/sanso/alerts.jsonl.12") == "/var/log/sanso/alerts.key");
  CHECK(live_log_path("alerts.jsonl.3") == "alerts.jsonl");
  CHECK(live_log_path("alerts.jsonl") == "alerts.jsonl");
  CHECK(live_log_path("dir.2/alerts") == "dir.2/alerts");
}

}  // namespace sanso::service
