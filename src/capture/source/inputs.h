#pragma once
// Turns the command line's inputs (files, directories, globs, "-") into the list of capture files
// to read, in input order, each remembered once.
#include <string>
#include <vector>

#include "capture/source/packet_source.h"

namespace sanso::capture::source_detail {

struct InputFile {
  std::string path;  ///< "-" for standard input
  /// Named on the command line (not found in a directory or by a glob): failing to open it is
  /// fatal, because the user asked for exactly this file.
  bool named = false;
  std::string directory;  ///< the input directory it was found in (empty: named or from a glob)
  bool is_stdin() const { return path == "-"; }
};

struct ExpandedInputs {
  std::vector<InputFile> files;          ///< in input order; directory and glob entries sorted
  std::vector<std::string> directories;  ///< the directories among the inputs (for follow mode)
};

/// Directories contribute their regular files (not recursively; dot-files are skipped, being the
/// usual temporary names of writers). A glob that matches no file, an unreadable directory and
/// "-" given twice are fatal errors appended to `errors`. A file reached twice is read once.
ExpandedInputs expand_inputs(const std::vector<std::string>& inputs, std::vector<SourceError>& errors);

/// The regular, non-hidden files directly inside `dir`, sorted by name (empty + `error` on failure).
std::vector<std::string> list_directory(const std::string& dir, std::string& error);

}  // namespace sanso::capture::source_detail
