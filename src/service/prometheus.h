#pragma once
// Prometheus text exposition format 0.0.4: what GET /metrics returns.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sanso::service {

enum class MetricType { Counter, Gauge };

using Labels = std::vector<std::pair<std::string, std::string>>;

/// Builds one exposition. Declare each family once (HELP and TYPE lines), then add its samples.
/// Names that are not valid metric or label names are a programming error and are replaced by a
/// valid spelling ('_' for each bad character) rather than producing text Prometheus rejects.
class MetricsText {
 public:
  void declare(std::string_view name, MetricType type, std::string_view help);
  void add(std::string_view name, const Labels& labels, std::uint64_t value);
  void add(std::string_view name, const Labels& labels, double value);
  const std::string& text() const { return out_; }

 private:
  void sample(std::string_view name, const Labels& labels, std::string_view value);
  std::string out_;
};

/// `\` -> `\\`, `"` -> `\"`, newline -> `\n` (label values).
std::string escape_label_value(std::string_view value);
/// `\` -> `\\`, newline -> `\n` (HELP text).
std::string escape_help(std::string_view help);
/// [a-zA-Z_:][a-zA-Z0-9_:]* (colons only when `metric`, per the format's label-name rule).
std::string sanitize_name(std::string_view name, bool metric = true);
/// Go's strconv formatting as Prometheus expects: "+Inf", "-Inf", "NaN", else shortest round-trip.
std::string format_value(double value);

}  // namespace sanso::service
