#pragma once
// `sanso trace` output: the traced flow, its paths with each device's deciding entries, the
// verdict and the policy's word on it, as text (en/ja) or JSON (docs/trace.md).
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/network.h"
#include "analysis/trace.h"
#include "policy/flow_verdict.h"
#include "report/text.h"

namespace sanso::cli {

/// How the user named the flow, for the header (host names, which fields were left free).
struct TraceQueryInfo {
  analysis::FlowQuery query;
  std::string src_host;  ///< registered host of the source address, "" when none
  std::string dst_host;
  bool mac_registered = false;  ///< the MAC was taken from the source host's registration
};

nlohmann::json trace_json(const analysis::Network& network, const TraceQueryInfo& info,
                          const analysis::TraceResult& trace, const policy::TraceJudgement& judged);

std::string trace_text(const analysis::Network& network, const TraceQueryInfo& info,
                       const analysis::TraceResult& trace, const policy::TraceJudgement& judged,
                       report::Lang lang);

}  // namespace sanso::cli
