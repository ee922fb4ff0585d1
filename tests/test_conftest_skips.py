"""The test run reports a missing backend once, in one short line (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests import conftest

LONG = "libfoo (the C library) is not installed: " + "looked here and there; " * 40


@pytest.fixture
def one_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "unavailable_backends", lambda: {"foo": LONG})


@pytest.mark.usefixtures("one_missing")
def test_skips_naming_a_missing_backend_fold_into_one_short_line() -> None:
    first = conftest.folded_skip(("tests/a.py", 10, f"Skipped: backend foo unavailable: {LONG}"))
    second = conftest.folded_skip(("tests/b.py", 99, f"foo backend unavailable: {LONG}"))
    assert first is not None and first == second  # one location and reason: one summary line
    assert len(first[2]) < 120 and "foo" in first[2] and "pqc backends" in first[2]


@pytest.mark.usefixtures("one_missing")
def test_other_skips_keep_their_own_reason() -> None:
    assert conftest.folded_skip(("tests/a.py", 10, "Skipped: SM9 signatures not offered")) is None
    assert conftest.folded_skip(None) is None


@pytest.mark.usefixtures("one_missing")
def test_parametrised_skips_carry_the_short_reason() -> None:
    reason = conftest._unavailable_reason("foo")
    assert reason is not None and len(reason) < 120
    assert conftest._unavailable_reason("bar") is None
