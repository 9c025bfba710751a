#include "capture/source/inputs.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

namespace sanso::capture::source_detail {

namespace fs = std::filesystem;

namespace {

bool has_glob_chars(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

bool is_regular(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);  // follows symlinks
}

// glob(3) results, sorted by glob itself; only regular files (a pattern like "caps/*" may also
// match sub-directories, which are not captures).
std::vector<std::string> expand_glob(const std::string& pattern, std::string& error) {
  glob_t g{};
  int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  std::vector<std::string> out;
  if (rc == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) {
      if (is_regular(g.gl_pathv[i])) out.emplace_back(g.gl_pathv[i]);
    }
  } else if (rc == GLOB_ABORTED) {
    error = "cannot read a directory while expanding the pattern";
  } else if (rc == GLOB_NOSPACE) {
    error = "out of memory while expanding the pattern";
  }
  globfree(&g);
  if (out.empty() && error.empty()) error = "no capture file matches the pattern";
  return out;
}

}  // namespace

std::vector<std::string> list_directory(const std::string& dir, std::string& error) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    error = "cannot list directory: " + ec.message();
    return out;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      error = "cannot list directory: " + ec.message();
      return {};
    }
    const fs::path& p = it->path();
    if (p.filename().string().starts_with(".")) continue;
    std::error_code rec;
    if (!it->is_regular_file(rec)) continue;
    out.push_back(p.string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

ExpandedInputs expand_inputs(const std::vector<std::string>& inputs, std::vector<SourceError>& errors) {
  ExpandedInputs result;
  std::set<std::string> seen;  // canonical paths already listed
  bool have_stdin = false;
  auto add = [&](const std::string& path, bool named, const std::string& directory = {}) {
    std::error_code ec;
    fs::path canon = fs::weakly_canonical(path, ec);
    std::string key = ec ? path : canon.string();
    if (!seen.insert(key).second) return;
    result.files.push_back({path, named, directory});
  };

  for (const std::string& input : inputs) {
    if (input == "-") {
      if (have_stdin) {
        errors.push_back({"-", "standard input named more than once"});
        continue;
      }
      have_stdin = true;
      result.files.push_back({"-", true, {}});
      continue;
    }
    std::error_code ec;
    fs::file_status st = fs::status(input, ec);
    if (!ec && fs::is_directory(st)) {
      std::string error;
      std::vector<std::string> files = list_directory(input, error);
      if (!error.empty()) {
        errors.push_back({input, error});
        continue;
      }
      result.directories.push_back(input);
      for (const std::string& f : files) add(f, false, input);
      continue;
    }
    // An existing path is taken literally even if it contains glob characters.
    if (!fs::exists(st) && has_glob_chars(input)) {
      std::string error;
      std::vector<std::string> files = expand_glob(input, error);
      if (files.empty()) {
        errors.push_back({input, error});
        continue;
      }
      for (const std::string& f : files) add(f, false);
      continue;
    }
    add(input, true);  // missing or unreadable: the open reports it
  }
  return result;
}

}  // namespace sanso::capture::source_detail
