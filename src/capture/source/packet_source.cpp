#include "capture/source/packet_source.h"

#include <cmath>

#include "capture/source/follow_source.h"
#include "capture/source/inputs.h"
#include "capture/source/limits.h"
#include "capture/source/live_source.h"
#include "capture/source/merge_source.h"
#include "capture/source/open_detail.h"
#include "capture/source/pcap_file.h"

namespace sanso::capture {

namespace {

// Contradictions and out-of-range numbers, each as one error (the CLI may check earlier; this
// keeps the source safe on its own).
void check_options(const SourceOptions& o, std::vector<SourceError>& errors) {
  if (o.interface && !o.inputs.empty()) {
    errors.push_back({*o.interface, "give either an interface or capture files, not both"});
  }
  if (!o.interface && o.inputs.empty()) {
    errors.push_back({"input", "nothing to read: name capture files, a directory, '-' or an interface"});
  }
  if (o.interface && o.follow) errors.push_back({*o.interface, "follow mode is for directories, not interfaces"});
  if (o.snaplen <= 0) errors.push_back({"snaplen", "must be positive"});
  if (o.buffer_mb <= 0 || o.buffer_mb > 2047) errors.push_back({"buffer", "must be 1 to 2047 MB"});
  if (o.timeout_ms <= 0) errors.push_back({"timeout", "must be positive"});
  if (o.duration_s && !(std::isfinite(*o.duration_s) && *o.duration_s >= 0)) {
    errors.push_back({"duration", "must be a non-negative number of seconds"});
  }
}

}  // namespace

std::unique_ptr<PacketSource> PacketSource::open(const SourceOptions& options,
                                                 std::vector<SourceError>& errors) {
  return source_detail::open_source(options, source_detail::kDefaultSettle, errors);
}

std::unique_ptr<PacketSource> PacketSource::open_stream(std::FILE* stream, const std::string& name,
                                                        const SourceOptions& options,
                                                        std::vector<SourceError>& errors) {
  using namespace source_detail;
  const std::size_t before = errors.size();
  std::string bad_filter = check_filter_syntax(options.bpf, options.snaplen);
  if (!bad_filter.empty()) {
    errors.push_back({"filter", bad_filter});
    if (stream != stdin) std::fclose(stream);
    return nullptr;
  }
  auto merge = std::make_unique<MergeSource>(options.bpf);
  merge->add_stream(stream, name, errors);
  if (errors.size() != before) return nullptr;
  return with_limits(std::move(merge), options, false);
}

namespace source_detail {

std::unique_ptr<PacketSource> open_source(const SourceOptions& options, std::chrono::milliseconds settle,
                                          std::vector<SourceError>& errors) {
  const std::size_t before = errors.size();
  check_options(options, errors);
  if (errors.size() != before) return nullptr;

  if (options.interface) {
    std::unique_ptr<PacketSource> live = LiveSource::open(options, errors);
    if (!live) return nullptr;
    return with_limits(std::move(live), options, true);
  }

  // One check up front instead of the same syntax error once per file.
  std::string bad_filter = check_filter_syntax(options.bpf, options.snaplen);
  if (!bad_filter.empty()) {
    errors.push_back({"filter", bad_filter});
    return nullptr;
  }
  ExpandedInputs inputs = expand_inputs(options.inputs, errors);
  if (errors.size() != before) return nullptr;  // before stdin or any file is touched

  std::unique_ptr<PacketSource> source;
  if (options.follow) {
    if (inputs.directories.empty()) {
      errors.push_back({"input", "follow mode watches directories, and no input is a directory"});
      return nullptr;
    }
    std::vector<InputFile> others;
    for (const InputFile& f : inputs.files) {
      if (f.directory.empty()) others.push_back(f);
    }
    const std::chrono::milliseconds poll{std::max(options.timeout_ms, 1) * 10};
    auto follow = std::make_unique<FollowSource>(inputs.directories, options.bpf, poll,
                                                 std::chrono::milliseconds(options.timeout_ms), settle);
    follow->start(others, errors);
    source = std::move(follow);
  } else {
    auto merge = std::make_unique<MergeSource>(options.bpf);
    merge->add_files(inputs.files, errors);
    source = std::move(merge);
  }
  if (errors.size() != before) return nullptr;
  return with_limits(std::move(source), options, false);
}

}  // namespace source_detail

}  // namespace sanso::capture
