"""client -- router -- server: three namespaces joined by veth pairs, the kernel under test.

The router's two ports carry the names the ruleset uses (eth0.10, wlan0, ...), so a real config
loads byte for byte. Every destination is forwarded to the server (a default route to a
permanent neighbour), the client addresses are routed back to the client port (for rpfilter
matches), rp_filter is off and nf_conntrack_tcp_loose is 0. Probes are injected as raw frames
on the client's port, with any source address and MAC, and counted by an AF_PACKET socket on
the server's port.
"""
import select
import socket
import struct
import time

from packets import frame, parse_arrival

ROUTER_IN_MAC = "02:00:00:00:01:01"
ROUTER_OUT_MAC = "02:00:00:00:01:02"
CLIENT_MAC = "02:00:00:00:02:01"
SERVER_MAC = "02:00:00:00:03:01"
CLIENT_PORT, SERVER_PORT = "c0", "s0"
#: The lab's own addresses (TEST-NET-1); probes never use 192.0.2.0/24.
ROUTER_IN_ADDR, CLIENT_ADDR = "192.0.2.1", "192.0.2.2"
ROUTER_OUT_ADDR, SERVER_ADDR = "192.0.2.5", "192.0.2.6"
INFRA_NET = "192.0.2.0/24"

ETH_P_IP = 0x0800
SOL_PACKET, PACKET_STATISTICS = 263, 6
SO_RCVBUFFORCE = 33


class Lab:
    def __init__(self, ns, in_name, out_name, client_routes):
        self.ns = ns
        self.in_name, self.out_name = in_name, out_name
        self.client = ns.create()
        self.router = ns.create()
        self.server = ns.create()
        for fd in (self.client, self.router, self.server):
            # No IPv6 at all: no router solicitations or DAD on the ports, nothing but probes.
            ns.write_sysctl(fd, "net/ipv6/conf/all/disable_ipv6", 1)
            ns.write_sysctl(fd, "net/ipv6/conf/default/disable_ipv6", 1)
        ns.run(self.client, ["ip", "link", "add", CLIENT_PORT, "address", CLIENT_MAC, "type", "veth",
                             "peer", "name", in_name, "address", ROUTER_IN_MAC,
                             "netns", ns.path(self.router)])
        ns.run(self.server, ["ip", "link", "add", SERVER_PORT, "address", SERVER_MAC, "type", "veth",
                             "peer", "name", out_name, "address", ROUTER_OUT_MAC,
                             "netns", ns.path(self.router)])
        r = self.router
        ns.write_sysctl(r, "net/ipv4/ip_forward", 1)
        for scope in ("all", "default", in_name, out_name):
            ns.write_sysctl(r, f"net/ipv4/conf/{scope}/rp_filter", 0)
            ns.write_sysctl(r, f"net/ipv4/conf/{scope}/send_redirects", 0)
        ns.write_sysctl(r, "net/netfilter/nf_conntrack_tcp_loose", 0)
        batch = [
            "link set lo up", f"link set {in_name} up", f"link set {out_name} up",
            f"addr add {ROUTER_IN_ADDR}/30 dev {in_name}",
            f"addr add {ROUTER_OUT_ADDR}/30 dev {out_name}",
            f"neigh replace {CLIENT_ADDR} lladdr {CLIENT_MAC} dev {in_name} nud permanent",
            f"neigh replace {SERVER_ADDR} lladdr {SERVER_MAC} dev {out_name} nud permanent",
            f"route add default via {SERVER_ADDR} dev {out_name}",
        ]
        batch += [f"route add {c} via {CLIENT_ADDR} dev {in_name}" for c in client_routes]
        ns.run(r, ["ip", "-batch", "-"], "\n".join(batch) + "\n")
        ns.run(self.client, ["ip", "link", "set", CLIENT_PORT, "up"])
        ns.run(self.server, ["ip", "link", "set", SERVER_PORT, "up"])
        self._wait_up()

    def _wait_up(self):
        """Waits until every port is operationally up: the kernel activates a port's queue
        (linkwatch) a little after its carrier comes on, and drops what is sent before."""
        deadline = time.monotonic() + 10.0
        for fd, port in ((self.router, self.in_name), (self.router, self.out_name),
                         (self.client, CLIENT_PORT), (self.server, SERVER_PORT)):
            while "state UP" not in self.ns.run(fd, ["ip", "-o", "link", "show", "dev", port])[1]:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"port {port} did not come up")
                time.sleep(0.005)

    def close(self):
        for fd in (self.client, self.router, self.server):
            self.ns.release(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def load(self, kind, text, ipsets=None):
        """Loads the ruleset into the router; returns None, or why the kernel refused it."""
        steps = []
        if ipsets:
            steps.append((["ipset", "restore"], ipsets))
        steps.append((["iptables-restore"] if kind == "iptables" else ["nft", "-f", "-"], text))
        for argv, data in steps:
            rc, _, err = self.ns.run(self.router, argv, data, check=False)
            if rc != 0:
                return f"{argv[0]}: {err.strip().splitlines()[0] if err.strip() else f'exit {rc}'}"
        return None

    def dump(self, kind):
        """(The ruleset as the kernel holds it (iptables-save / nft list ruleset), None), or
        (None, why the listing failed)."""
        argv = ["iptables-save"] if kind == "iptables" else ["nft", "list", "ruleset"]
        rc, out, err = self.ns.run(self.router, argv, check=False)
        if rc != 0:
            return None, f"{' '.join(argv)} failed ({rc}): {err.strip()[:200]}"
        return out, None

    def burst(self, probes):
        """Injects every probe (tag = index + 1). Returns ({tag: Arrival} of those that reached
        the server, problem): problem is None, or why the burst cannot be trusted."""
        with self.ns.inside(self.server):
            rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
        with self.ns.inside(self.client):
            tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        try:
            rx.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
            rx.bind((SERVER_PORT, ETH_P_IP))
            tx.bind((CLIENT_PORT, 0))
            frames = [frame(p, i + 1, ROUTER_IN_MAC) for i, p in enumerate(probes)]
            received0, sent0, drops0 = self._counters()
            arrived = {}
            captured = 0
            for i, f in enumerate(frames):
                tx.send(f)
                if i % 64 == 63:
                    captured += self._drain(rx, arrived)
            # Done when the router's IP layer has taken in every probe and everything it sent
            # towards the server has been captured, twice in a row (a probe between the two
            # counters is in flight for microseconds): no timing guess, so a loaded machine
            # only makes this slower, never wrong.
            deadline = time.monotonic() + 20.0
            stable = 0
            while stable < 2:
                time.sleep(0.002)
                captured += self._drain(rx, arrived)
                received, sent, drops = self._counters()
                done = received - received0 >= len(frames) and captured >= sent - sent0
                stable = stable + 1 if done else 0
                if time.monotonic() > deadline:
                    return arrived, (f"burst did not settle: router took in {received - received0}"
                                     f" of {len(frames)}, sent {sent - sent0}, captured {captured}")
            _, lost = struct.unpack("II", rx.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))
            if lost or drops != drops0:
                return arrived, f"frames lost on the way: capture {lost}, interfaces {drops - drops0}"
            return arrived, None
        finally:
            rx.close()
            tx.close()

    def _counters(self):
        """(IP packets the router took in, frames it sent to the server, frames any port of the
        lab dropped), from the namespaces' own /proc/net."""
        def read(fd, name):
            with self.ns.inside(fd):
                with open(f"/proc/thread-self/net/{name}") as f:
                    return f.read()
        snmp = [line.split() for line in read(self.router, "snmp").splitlines()
                if line.startswith("Ip:")]
        received = int(snmp[1][snmp[0].index("InReceives")])
        sent = drops = 0
        for fd, ports in ((self.router, (self.in_name, self.out_name)),
                          (self.client, (CLIENT_PORT,)), (self.server, (SERVER_PORT,))):
            for line in read(fd, "dev").splitlines()[2:]:
                name, _, counts = line.partition(":")
                if name.strip() not in ports:
                    continue
                c = [int(x) for x in counts.split()]
                drops += c[3] + c[11]  # rx drop, tx drop
                if name.strip() == self.out_name:
                    sent += c[9]       # tx packets
        return received, sent, drops

    @staticmethod
    def _drain(rx, arrived):
        """Reads every frame waiting on the capture socket; returns how many."""
        n = 0
        while True:
            ready, _, _ = select.select([rx], [], [], 0)
            if not ready:
                return n
            data, addr = rx.recvfrom(65535)
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            n += 1
            a = parse_arrival(data)
            if a is not None and a.tag not in arrived:
                arrived[a.tag] = a
