"""Probes (connection-opening IPv4 packets) as Ethernet frames, and reading them back.

Each probe of a burst carries its index in the IPv4 identification field, which neither the
router's filters nor NAT change, so a captured packet names its probe even after DNAT or SNAT.
Checksums are exact: conntrack marks packets with bad checksums INVALID.
"""
import dataclasses
import ipaddress
import struct

PROTO_ICMP, PROTO_TCP, PROTO_UDP = 1, 6, 17
#: IP protocols with no port header, tracked by conntrack's generic tracker (RFC 3692
#: experimentation numbers, unassigned ones): cover -p NUMBER and "every other protocol opens a
#: connection". PROTO_OTHER is the usual one.
OTHER_PROTOS = (253, 254, 143, 200)
PROTO_OTHER = OTHER_PROTOS[0]


@dataclasses.dataclass(frozen=True)
class Probe:
    proto: int           # 6, 17, 1 or another IP protocol number
    src: str
    dst: str
    sport: int = 0       # tcp/udp
    dport: int = 0       # tcp/udp
    icmp_type: int = 8   # icmp: 8 echo request or 13 timestamp request (both open conntrack)
    src_mac: str = "02:00:00:00:00:aa"

    def conntrack_key(self, nat):
        """Probes with equal keys could meet in one conntrack entry or, with `nat`, in one
        NAT binding (which makes the kernel drop the later one): a burst has each key once.
        None: unique anyway (the ICMP identifier is the probe's tag)."""
        if self.proto in (PROTO_TCP, PROTO_UDP):
            # Unique (src, sport): after DNAT to one address:port the tuples still differ.
            return (self.proto, self.src, self.sport)
        if self.proto == PROTO_ICMP:
            return None
        # No ports to remap: one probe per protocol number once NAT may rewrite it.
        return (self.proto,) if nat else (self.proto, self.src, self.dst)

    def describe(self):
        if self.proto in (PROTO_TCP, PROTO_UDP):
            name = "tcp" if self.proto == PROTO_TCP else "udp"
            flags = " [S]" if self.proto == PROTO_TCP else ""
            return f"{name} {self.src}:{self.sport} -> {self.dst}:{self.dport}{flags} mac {self.src_mac}"
        if self.proto == PROTO_ICMP:
            return f"icmp type {self.icmp_type} code 0 {self.src} -> {self.dst} mac {self.src_mac}"
        return f"ip proto {self.proto} {self.src} -> {self.dst} mac {self.src_mac}"

    def batch_line(self):
        """The probe as a `sanso trace --batch` input object."""
        line = {"src": self.src, "dst": self.dst, "src_mac": self.src_mac}
        if self.proto in (PROTO_TCP, PROTO_UDP):
            line.update(proto="tcp" if self.proto == PROTO_TCP else "udp", sport=self.sport,
                        dport=self.dport)
        elif self.proto == PROTO_ICMP:
            line.update(proto="icmp", icmp_type=self.icmp_type)
        else:
            line.update(proto=f"ip/{self.proto}")
        return line


def _checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF


def _mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(":"))


def frame(probe, tag, dst_mac):
    """The probe as an Ethernet frame to dst_mac; `tag` (1..65535) goes into the IP id."""
    src = ipaddress.IPv4Address(probe.src).packed
    dst = ipaddress.IPv4Address(probe.dst).packed
    payload = b"sanso-oracle" + struct.pack("!H", tag)
    if probe.proto == PROTO_TCP:
        # SYN alone, no options, no data: what a connect() opens with, minus options.
        hdr = struct.pack("!HHIIBBHHH", probe.sport, probe.dport, 0x5A000000 + tag, 0, 5 << 4,
                          0x02, 64240, 0, 0)
        pseudo = src + dst + struct.pack("!BBH", 0, PROTO_TCP, len(hdr))
        l4 = hdr[:16] + struct.pack("!H", _checksum(pseudo + hdr)) + hdr[18:]
    elif probe.proto == PROTO_UDP:
        length = 8 + len(payload)
        hdr = struct.pack("!HHHH", probe.sport, probe.dport, length, 0)
        pseudo = src + dst + struct.pack("!BBH", 0, PROTO_UDP, length)
        csum = _checksum(pseudo + hdr + payload) or 0xFFFF
        l4 = hdr[:6] + struct.pack("!H", csum) + payload
    elif probe.proto == PROTO_ICMP:
        # Echo/timestamp request; the identifier is the tag, so every probe is its own connection.
        body = payload if probe.icmp_type == 8 else struct.pack("!III", 0, 0, 0)
        hdr = struct.pack("!BBHHH", probe.icmp_type, 0, 0, tag, 1)
        l4 = hdr[:2] + struct.pack("!H", _checksum(hdr + body)) + hdr[4:] + body
    else:
        l4 = payload
    total = 20 + len(l4)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, tag, 0x4000, 64, probe.proto, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    eth = _mac_bytes(dst_mac) + _mac_bytes(probe.src_mac) + struct.pack("!H", 0x0800)
    return eth + ip + l4


@dataclasses.dataclass(frozen=True)
class Arrival:
    """A probe as it left the router: its headers after any NAT."""
    tag: int
    proto: int
    src: str
    dst: str
    sport: int
    dport: int


def parse_arrival(data):
    """Reads an IPv4 frame captured at the server; None if it is not one of ours."""
    if len(data) < 34 or data[12:14] != b"\x08\x00" or data[14] >> 4 != 4:
        return None
    ihl = (data[14] & 0x0F) * 4
    tag = struct.unpack("!H", data[18:20])[0]
    proto = data[23]
    src = str(ipaddress.IPv4Address(data[26:30]))
    dst = str(ipaddress.IPv4Address(data[30:34]))
    l4 = data[14 + ihl:]
    sport = dport = 0
    if proto in (PROTO_TCP, PROTO_UDP) and len(l4) >= 4:
        sport, dport = struct.unpack("!HH", l4[:4])
    return Arrival(tag, proto, src, dst, sport, dport)
