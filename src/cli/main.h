#pragma once

namespace sanso::cli {

/// Parses the command line, runs one subcommand and returns the process exit status
/// (DESIGN §5: 0 clean, 1 findings, 2 usage or input error, 3 internal error).
int run(int argc, char** argv);

}  // namespace sanso::cli
