#include "service/prometheus.h"

#include <cmath>

#include <fmt/format.h>

namespace sanso::service {

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string sanitize_name(std::string_view name, bool metric) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':');
    const bool digit = c >= '0' && c <= '9';
    out += (letter || (digit && i > 0)) ? c : '_';
  }
  return out.empty() ? "_" : out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

void MetricsText::declare(std::string_view name, MetricType type, std::string_view help) {
  const std::string n = sanitize_name(name);
  const char* t = "untyped";
  switch (type) {
    case MetricType::Counter: t = "counter"; break;
    case MetricType::Gauge: t = "gauge"; break;
  }
  out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", n, escape_help(help), n, t);
}

void MetricsText::sample(std::string_view name, const Labels& labels, std::string_view value) {
  out_ += sanitize_name(name);
  if (!labels.empty()) {
    out_ += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
      if (!first) out_ += ',';
      first = false;
      out_ += fmt::format("{}=\"{}\"", sanitize_name(k, false), escape_label_value(v));
    }
    out_ += '}';
  }
  out_ += ' ';
  out_ += value;
  out_ += '\n';
}

void MetricsText::add(std::string_view name, const Labels& labels, std::uint64_t value) {
  sample(name, labels, std::to_string(value));
}

void MetricsText::add(std::string_view name, const Labels& labels, double value) {
  sample(name, labels, format_value(value));
}

}  // namespace sanso::service
