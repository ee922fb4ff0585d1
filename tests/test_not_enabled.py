"""An algorithm the loaded build of an available backend lacks (a minimal liboqs build) is
"not enabled in the loaded build" everywhere: list, info, the test parameters, bench plans.

The build is simulated by hiding HQC-1 from liboqs's list of enabled KEMs (what
``OQS_MINIMAL_BUILD`` without HQC gives); liboqs itself is real.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

import pqc
from pqc.backends import liboqs
from pqc.bench.cases import plan_cases
from pqc.cli import main
from tests.conftest import implementation_params

pytestmark = pytest.mark.skipif(
    not liboqs.status().available, reason=f"liboqs unavailable: {liboqs.status().reason}"
)


@pytest.fixture
def without_hqc_1(monkeypatch: pytest.MonkeyPatch) -> None:
    import oqs

    enabled = [n for n in oqs.get_enabled_kem_mechanisms() if n != "HQC-1"]
    monkeypatch.setattr(oqs, "get_enabled_kem_mechanisms", lambda: list(enabled))


def _reason() -> str:
    reason = pqc.api.unserved_reason("HQC-128", "liboqs")
    assert reason is not None
    return reason


@pytest.mark.usefixtures("without_hqc_1")
def test_the_reason_says_not_enabled_in_the_loaded_build() -> None:
    reason = _reason()
    assert reason.startswith("not enabled in the loaded liboqs")
    assert "HQC-1" in reason and "OQS_MINIMAL_BUILD" in reason and "pqclean" in reason
    assert pqc.api.unserved_reason("HQC-192", "liboqs") is None
    assert "liboqs" not in pqc.available_backends("HQC-128")


@pytest.mark.usefixtures("without_hqc_1")
def test_pqc_list_and_info_say_not_enabled() -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["list", "--json", "-"])
    assert listed.exit_code == 0, listed.output
    entry = next(a for a in json.loads(listed.output)["algorithms"] if a["name"] == "HQC-128")
    assert "liboqs" not in entry["available_backends"]
    assert entry["not_enabled"]["liboqs"].startswith("not enabled in the loaded")
    info = runner.invoke(main, ["info", "HQC-128"])
    assert info.exit_code == 0, info.output
    line = next(x for x in info.output.splitlines() if "(HQC-1)" in x)
    assert "not enabled in the loaded" in line and "available, C" not in line
    as_json = runner.invoke(main, ["info", "HQC-128", "--json", "-"]).output
    info_json: dict[str, Any] = json.loads(as_json)
    row = next(i for i in info_json["implementations"] if i["backend"] == "liboqs")
    assert row["available"] is False and row["enabled"] is False


@pytest.mark.usefixtures("without_hqc_1")
def test_catalog_parameters_skip_the_pair_with_that_reason() -> None:
    params: list[Any] = implementation_params("kem")
    hqc = next(p for p in params if p.id == "HQC-128-liboqs")
    (mark,) = hqc.marks
    assert mark.name == "skip" and "not enabled in the loaded" in mark.kwargs["reason"]
    assert not next(p for p in params if p.id == "HQC-192-liboqs").marks


@pytest.mark.usefixtures("without_hqc_1")
def test_bench_plans_leave_the_pair_out() -> None:
    plan = plan_cases(["HQC-128"], ops=["keygen"])
    assert {c.backend for c in plan.cases} == {"pqclean"}
    with pytest.raises(pqc.UnsupportedAlgorithmError, match="not enabled in the loaded"):
        plan_cases(["HQC-128"], backends=["liboqs"], ops=["keygen"])
