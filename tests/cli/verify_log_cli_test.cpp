// `sanso verify-log` as a user runs it: exit codes (DESIGN §5), the FILE:LINE of the first bad
// line, rotated parts in any order, the key's default path, JSON output.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "service/alert_log.h"

#ifdef SANSO_BINARY

namespace {

namespace fs = std::filesystem;

class Dir {
 public:
  Dir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("sanso-verify-log-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    fs::create_directory(path_);
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  Dir(const Dir&) = delete;
  Dir& operator=(const Dir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs `sanso verify-log ARGS` inside `dir` with an English locale.
Run verify_log(const Dir& dir, const std::string& args) {
  const std::string cmd = "cd '" + dir.path().string() + "' && LC_ALL=C LANG=C '" SANSO_BINARY "' verify-log " + args +
                          " >stdout.txt 2>stderr.txt";
  const int status = std::system(cmd.c_str());
  Run r;
  r.code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir.path() / "stdout.txt");
  r.err = slurp(dir.path() / "stderr.txt");
  return r;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// alerts.jsonl.1 (open, 1 alert, seal) and alerts.jsonl (open, 2 alerts, seal), key alerts.key.
std::string write_rotated_log(const Dir& dir) {
  std::string error;
  sanso::service::AlertLogOptions options;
  options.sync = false;
  auto w = sanso::service::AlertLogWriter::open(dir.file("alerts.jsonl"), dir.file("alerts.key"), error, options);
  REQUIRE_MESSAGE(w, error);
  REQUIRE(w->append(R"({"rule":"MN-ISOLATE","n":1})", error));
  REQUIRE(w->rotate(error));
  REQUIRE(w->append(R"({"rule":"MN-ISOLATE","n":2})", error));
  REQUIRE(w->append(R"({"rule":"MN-ISOLATE","n":3})", error));
  REQUIRE(w->close(error));
  return w->head();
}

}  // namespace

TEST_CASE("sanso verify-log: an intact rotated log exits 0, in any argument order") {
  Dir dir;
  const std::string head = write_rotated_log(dir);
  const auto r = verify_log(dir, "alerts.jsonl alerts.jsonl.1");
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK(r.out == "alerts.jsonl.1: intact, 3 lines, sealed\n"
                 "alerts.jsonl: intact, 4 lines, sealed\n"
                 "chain intact: 2 file(s), 7 lines, sealed; head " +
                     head + " (compare with the last chain head sent to syslog)\n");
  CHECK(r.err.empty());

  const auto j = verify_log(dir, "--format json alerts.jsonl.1 alerts.jsonl --expect-head " + head);
  CHECK(j.code == 0);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["intact"] == true);
  CHECK(doc["head"] == head);
  CHECK(doc["files"].size() == 2);
  CHECK(doc["problem"].is_null());
}

TEST_CASE("sanso verify-log: tampering exits 1 and names FILE:LINE") {
  Dir dir;
  write_rotated_log(dir);
  std::string text = slurp(dir.path() / "alerts.jsonl");
  text.replace(text.find("\"n\":2"), 5, "\"n\":9");
  std::ofstream(dir.file("alerts.jsonl"), std::ios::binary | std::ios::trunc) << text;
  auto r = verify_log(dir, "alerts.jsonl.1 alerts.jsonl");
  CHECK(r.code == 1);
  CHECK(has(r.out, "alerts.jsonl.1: intact, 3 lines, sealed\n"));
  CHECK(has(r.out, "alerts.jsonl:2: mac mismatch: the line was altered, or written with another key\n"));
  CHECK(has(r.out, "tampering found"));

  r = verify_log(dir, "--format json alerts.jsonl");
  CHECK(r.code == 1);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["problem"]["file"] == "alerts.jsonl");
  CHECK(doc["problem"]["line"] == 2);

  // A chain head sent to syslog that the (intact) rotated part does not hold: lines were cut.
  Dir other;
  write_rotated_log(other);
  r = verify_log(other, "alerts.jsonl.1 --expect-head " + std::string(64, 'a'));
  CHECK(r.code == 1);
  CHECK(has(r.out, "alerts.jsonl.1: chain head " + std::string(64, 'a') + " (from syslog) is not in the log"));
}

TEST_CASE("sanso verify-log: a missing seal is tampering unless --live") {
  Dir dir;
  std::string error;
  sanso::service::AlertLogOptions options;
  options.sync = false;
  {
    auto w = sanso::service::AlertLogWriter::open(dir.file("alerts.jsonl"), dir.file("alerts.key"), error, options);
    REQUIRE(w);
    REQUIRE(w->append(R"({"rule":"X"})", error));
  }
  auto r = verify_log(dir, "alerts.jsonl");
  CHECK(r.code == 1);
  CHECK(has(r.out, "alerts.jsonl: not sealed: truncated, or the writer is still running / was killed"));
  r = verify_log(dir, "--live alerts.jsonl");
  CHECK(r.code == 0);
  CHECK(has(r.out, "note: alerts.jsonl: not sealed"));
}

TEST_CASE("sanso verify-log: unreadable log or key, bad key mode, usage: exit 2") {
  Dir dir;
  write_rotated_log(dir);
  auto r = verify_log(dir, "absent.jsonl --key alerts.key");
  CHECK(r.code == 2);
  CHECK(has(r.err, "cannot read alert log absent.jsonl"));
  r = verify_log(dir, "alerts.jsonl --key absent.key");
  CHECK(r.code == 2);
  CHECK(has(r.err, "cannot read key file absent.key"));
  ::chmod(dir.file("alerts.key").c_str(), 0640);
  r = verify_log(dir, "alerts.jsonl.1 alerts.jsonl");
  CHECK(r.code == 2);
  CHECK(has(r.err, "key file alerts.key is accessible by group or others (mode 0640): run `chmod 600 alerts.key`"));
  r = verify_log(dir, "");
  CHECK(r.code == 2);
  r = verify_log(dir, "--help");
  CHECK(r.code == 0);
  CHECK(has(r.out, "Exit status: 0 intact; 1 tampering found"));
}

#endif  // SANSO_BINARY
