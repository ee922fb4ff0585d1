"""The handshake suites are data (pqc/data/suites.toml) checked against the catalog."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pqc.catalog import lookup
from pqc.cli import main
from pqc.errors import InvalidArgumentError
from pqc.handshake.suites import ALL_SUITES, DEFAULT_SUITES, suite


def test_suites_pair_a_catalog_kem_with_a_catalog_signature() -> None:
    assert DEFAULT_SUITES and len(ALL_SUITES) > len(DEFAULT_SUITES)
    assert len({s.name for s in ALL_SUITES}) == len(ALL_SUITES)
    for item in ALL_SUITES:
        assert lookup(item.kem).kind == "kem" and lookup(item.signature).kind == "signature"
        assert item.title and suite(item.name) == item


def test_custom_pairs_and_unknown_names() -> None:
    assert suite("ML-KEM-768+ML-DSA-44").kem == "ML-KEM-768"
    with pytest.raises(InvalidArgumentError, match="unknown suite"):
        suite("no-such-suite")


def test_cli_help_lists_the_suites_from_the_data() -> None:
    text = " ".join(CliRunner().invoke(main, ["handshake", "--help"]).output.split())
    for item in ALL_SUITES:
        assert item.name in text
