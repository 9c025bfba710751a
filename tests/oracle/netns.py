"""Anonymous network namespaces held by file descriptors.

The oracle never names its namespaces (no /run/netns entries): each one lives only as long as
this process holds its descriptor, so a crash, SIGKILL or Ctrl-C cannot leave a namespace, a veth
pair or a ruleset behind. Commands and sockets meant for a namespace are run inside it with
setns(2) on this (single) thread; `inside()` always switches back, and `assert_not_host()` guards
every command that configures something, so the host's own namespace is never touched.
"""
import contextlib
import ctypes
import os
import subprocess

CLONE_NEWNET = 0x40000000

_libc = ctypes.CDLL(None, use_errno=True)


def _check(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _current_inode():
    return os.stat("/proc/thread-self/ns/net").st_ino


class Namespaces:
    """Creates namespaces and runs things inside them; closing drops every namespace made."""

    def __init__(self):
        self._host_fd = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
        self._host_inode = _current_inode()
        self._fds = []

    def close(self):
        # Back home first, then drop the descriptors: the kernel destroys the namespaces (and the
        # veth pairs in them) once nothing refers to them.
        _libc.setns(self._host_fd, CLONE_NEWNET)
        for fd in self._fds:
            os.close(fd)
        self._fds = []
        os.close(self._host_fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def create(self):
        """A new empty namespace; returns its descriptor (valid until close())."""
        _check(_libc.unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)")
        try:
            fd = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
        finally:
            _check(_libc.setns(self._host_fd, CLONE_NEWNET), "setns(host)")
        self._fds.append(fd)
        return fd

    def release(self, fd):
        """Drops one namespace made by create()."""
        self._fds.remove(fd)
        os.close(fd)

    @staticmethod
    def path(fd):
        """A path other programs (ip ... netns PATH) can open to reach the namespace."""
        return f"/proc/{os.getpid()}/fd/{fd}"

    @contextlib.contextmanager
    def inside(self, fd):
        _check(_libc.setns(fd, CLONE_NEWNET), "setns")
        try:
            yield
        finally:
            _check(_libc.setns(self._host_fd, CLONE_NEWNET), "setns(host)")

    def assert_not_host(self):
        if _current_inode() == self._host_inode:
            raise RuntimeError("refusing to configure the host's network namespace")

    def run(self, fd, argv, stdin_text=None, check=True):
        """Runs argv inside namespace fd; returns (returncode, stdout, stderr)."""
        with self.inside(fd):
            self.assert_not_host()
            p = subprocess.run(argv, input=stdin_text, capture_output=True, text=True,
                               close_fds=True)
        if check and p.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({p.returncode}): {p.stderr.strip()}")
        return p.returncode, p.stdout, p.stderr

    def write_sysctl(self, fd, name, value):
        """Writes /proc/sys/NAME (dots as slashes, interface names kept) inside namespace fd."""
        with self.inside(fd):
            self.assert_not_host()
            with open("/proc/sys/" + name, "w") as f:
                f.write(str(value))


def can_create_namespaces():
    """None if this process can make namespaces and veth pairs in them, else the reason."""
    if os.geteuid() != 0:
        return "not root"
    try:
        with Namespaces() as ns:
            a = ns.create()
            b = ns.create()
            ns.run(a, ["ip", "link", "add", "probe0", "type", "veth", "peer", "name", "probe1",
                       "netns", ns.path(b)])
    except (OSError, RuntimeError, FileNotFoundError) as e:
        return f"cannot create network namespaces with veth pairs ({e})"
    return None
