#pragma once
// One file per subcommand; each registers its options on a CLI11 sub-app and returns the
// function that runs it once the command line is parsed.
#include <functional>

#include <CLI/CLI.hpp>

namespace sanso::cli {

using Runner = std::function<int()>;

Runner add_audit(CLI::App& app);
Runner add_impact(CLI::App& app);
Runner add_parse(CLI::App& app);
Runner add_monitor(CLI::App& app);
Runner add_verify_log(CLI::App& app);
Runner add_trace(CLI::App& app);

}  // namespace sanso::cli
