"""Namespaces for link runs: made, used for real TCP + TLS, and removed without a trace."""

from __future__ import annotations

import subprocess

import pytest

from pqc.tls.catalog import Combination, link_profile
from pqc.tls.link import LinkSettings, run_links
from pqc.tls.netns import (
    existing_namespaces,
    leftovers,
    link_namespaces,
    namespace_names,
    unavailable_reason,
)

REASON = unavailable_reason()
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"{REASON}")


def test_namespaces_exist_inside_the_context_and_nothing_is_left_after() -> None:
    names = namespace_names()
    with link_namespaces() as made:
        assert {made.client, made.server} <= set(existing_namespaces())
        inside = subprocess.run([*made.exec_prefix("client"), "ip", "-o", "addr"],
                                capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert "192.0.2.1 peer 192.0.2.2/32" in inside
    assert leftovers(names) == ()


def test_an_error_inside_still_removes_everything() -> None:
    names = namespace_names()
    with pytest.raises(RuntimeError, match="boom"), link_namespaces():
        raise RuntimeError("boom")
    assert leftovers(names) == ()


def test_a_real_handshake_crosses_the_emulated_link() -> None:
    settings = LinkSettings(handshakes=2, chain=1, seconds=20.0, attempt_timeout=10.0)
    (run,) = run_links([Combination("X25519", "Ed25519")], [link_profile("wan")], settings)
    assert run.completed == 2, run.failures
    assert run.completion is not None
    assert run.completion.min_ns >= 2 * 50e6  # TCP's round trip + TLS's, at 50 ms each
    assert leftovers(namespace_names()) == ()
