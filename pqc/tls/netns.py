"""Two network namespaces joined by two TUN devices, made for one run and always removed.

:func:`link_namespaces` creates ``pqc<pid>c`` and ``pqc<pid>s`` (names carry
the process id, so parallel runs never collide), opens a TUN device for each
in this (the root) namespace, moves one into each namespace, and gives them
the documentation addresses 192.0.2.1 (client) and 192.0.2.2 (server) as a
point-to-point pair. The namespaces have nothing else but loopback: traffic
cannot leave them except through this process's descriptors, which a
:class:`pqc.tls.forwarder.Forwarder` joins. On leaving the context (normally,
on an error or on Ctrl-C) the descriptors are closed and the namespaces
deleted, and the removal is checked.

Needs root (CAP_NET_ADMIN), ``ip`` (iproute2) and ``/dev/net/tun``;
:func:`unavailable_reason` says which is missing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import struct
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from pqc.errors import BackendError, BackendUnavailableError

CLIENT_ADDRESS = "192.0.2.1"  # RFC 5737 TEST-NET-1: never routed anywhere
SERVER_ADDRESS = "192.0.2.2"
_TUNSETIFF = 0x400454CA
_IFF_TUN = 0x0001
_IFF_NO_PI = 0x1000
_PREFIX = "pqc"
_COMMAND_SECONDS = 10


@dataclass(frozen=True)
class LinkNamespaces:
    """The two namespaces and the root-side descriptors of their TUN devices."""

    client: str
    server: str
    client_fd: int
    server_fd: int

    def exec_prefix(self, side: str) -> tuple[str, ...]:
        """The command prefix that runs a program inside ``side``'s namespace."""
        name = self.client if side == "client" else self.server
        return ("ip", "netns", "exec", name)


def unavailable_reason() -> str | None:
    """Why namespaces cannot be made here (None when they can)."""
    if os.name != "posix" or not os.path.exists("/proc/self/ns/net"):
        return "network namespaces need Linux"
    if os.geteuid() != 0:
        return "making network namespaces needs root (CAP_NET_ADMIN); run as root for --link"
    if shutil.which("ip") is None:
        return "the `ip` command (iproute2) is missing; install iproute2 for --link"
    if not os.path.exists("/dev/net/tun"):
        return "/dev/net/tun is missing (load the tun module) for --link"
    return None


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["ip", *args], capture_output=True, text=True, timeout=_COMMAND_SECONDS, check=False
    )
    if check and done.returncode != 0:
        raise BackendError(f"`ip {' '.join(args)}` failed: {done.stderr.strip()}")
    return done


def _open_tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        fcntl.ioctl(
            fd, _TUNSETIFF, struct.pack("16sH", name.encode("ascii"), _IFF_TUN | _IFF_NO_PI)
        )
    except OSError:
        os.close(fd)
        raise
    return fd


def namespace_names(pid: int | None = None) -> tuple[str, str]:
    """The namespace (and TUN device) names of process ``pid``'s run."""
    number = os.getpid() if pid is None else pid
    return f"{_PREFIX}{number}c", f"{_PREFIX}{number}s"


def existing_namespaces() -> tuple[str, ...]:
    done = _ip("netns", "list", check=False)
    return tuple(line.split()[0] for line in done.stdout.splitlines() if line.strip())


def leftovers(names: Sequence[str]) -> tuple[str, ...]:
    """Which of ``names`` still exist as namespaces or as links in this namespace."""
    links = _ip("-o", "link", "show", check=False).stdout
    present = set(existing_namespaces())
    linked = {
        line.split(":")[1].strip().split("@")[0] for line in links.splitlines() if ":" in line
    }
    return tuple(n for n in names if n in present or n in linked)


def _configure(namespace: str, device: str, local: str, peer: str) -> None:
    _ip("link", "set", device, "netns", namespace)
    run = ("-n", namespace)
    _ip(*run, "link", "set", "lo", "up")
    _ip(*run, "addr", "add", local, "peer", f"{peer}/32", "dev", device)
    _ip(*run, "link", "set", device, "up", "mtu", "1500")
    subprocess.run(  # the congestion control most servers run (the host's default may differ)
        ["ip", "netns", "exec", namespace, "sysctl", "-q", "-w",
         "net.ipv4.tcp_congestion_control=cubic"],
        capture_output=True, timeout=_COMMAND_SECONDS, check=False,
    )  # fmt: skip


def _remove(names: Sequence[str], fds: Sequence[int]) -> None:
    for fd in fds:
        with suppress(OSError):
            os.close(fd)
    for name in names:
        _ip("netns", "delete", name, check=False)


@contextmanager
def link_namespaces() -> Iterator[LinkNamespaces]:
    """Make the two namespaces and TUN devices; remove them on exit (see the module docstring).

    Raises :class:`BackendUnavailableError` (with the reason) when this cannot
    work here, :class:`BackendError` when a step fails or cleanup left something.
    """
    reason = unavailable_reason()
    if reason is not None:
        raise BackendUnavailableError(reason)
    client, server = namespace_names()
    names = (client, server)
    fds: list[int] = []
    try:
        for name in names:
            if name in existing_namespaces():
                raise BackendError(f"namespace {name} exists already (another run with pid?)")
            _ip("netns", "add", name)
        for name in names:
            fds.append(_open_tun(name))
        _configure(client, client, CLIENT_ADDRESS, SERVER_ADDRESS)
        _configure(server, server, SERVER_ADDRESS, CLIENT_ADDRESS)
        yield LinkNamespaces(client, server, fds[0], fds[1])
    except OSError as exc:
        raise BackendError(f"setting up the emulated link failed: {exc}") from exc
    finally:
        _remove(names, fds)
        left = leftovers(names)
        if left:
            raise BackendError(
                f"could not remove {', '.join(left)}; delete with `ip netns delete`."
            )
