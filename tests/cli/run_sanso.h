#pragma once
// Runs the built `sanso` binary (SANSO_BINARY) in tests, with stdout and stderr captured in a
// temp dir and an English locale.
#include <doctest/doctest.h>

#include "../scratch_dir.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>

#ifdef SANSO_BINARY

namespace sanso::test_cli {

namespace fs = std::filesystem;

using Scratch = sanso::test::ScratchDir;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs `sanso ARGS` in `cwd` (the source tree if empty) with an English locale.
inline Run run_sanso(const std::string& args, const std::string& cwd = SANSO_SOURCE_DIR) {
  Scratch io;
  const fs::path out = io.path() / "stdout", err = io.path() / "stderr";
  const std::string cmd = "cd " + quoted(cwd) + " && LC_ALL=C LANG=C " + quoted(SANSO_BINARY) + " " +
                          args + " >" + quoted(out.string()) + " 2>" + quoted(err.string());
  const int status = std::system(cmd.c_str());
  Run r;
  r.code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

inline bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace sanso::test_cli

#endif
