// One function per capture file: each writes its capture point's scenarios, normal work first,
// then the planted violations, and records the alerts those violations must raise.
#pragma once

#include "wire.h"

namespace sanso::gen {

void write_span_mn_core(Wire& w);  // mn-clients (VLAN 110) and mn-servers (VLAN 120)
void write_span_lg_core(Wire& w);  // lg-clients (VLAN 210) and lg-servers (VLAN 220)
void write_span_inet(Wire& w);     // inet-dmz (VLAN 301) and inet-clients (VLAN 310)

}  // namespace sanso::gen
