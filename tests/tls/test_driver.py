"""In-process handshakes: what OpenSSL negotiates for each default combination, byte and
record counting, and failures reported as pqc errors."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pqc.errors import BackendError, InvalidArgumentError
from pqc.tls import (
    Endpoints,
    RunSettings,
    build_chain,
    certificate_type,
    default_combinations,
    group,
    offered_groups,
    run_combination,
)
from pqc.tls.catalog import Combination
from pqc.tls.probe import probe
from pqc.tls.records import CLIENT_TO_SERVER, SERVER_TO_CLIENT, flight, record_lengths
from pqc.tls.run import check_combinations

DEFAULTS = default_combinations()


def _params() -> list[object]:
    offered = {g.name for g in offered_groups()}
    return [
        pytest.param(c, id=c.label, marks=() if c.group in offered else
                     pytest.mark.skip(reason=f"this OpenSSL does not offer {c.group}"))
        for c in DEFAULTS
    ]  # fmt: skip


def test_default_set_covers_every_family() -> None:
    families = {group(c.group).family for c in DEFAULTS}
    assert families == {"classical", "nist-pq", "hybrid", "gm", "gm-hybrid"}


@pytest.mark.parametrize("combination", _params())
def test_openssl_negotiates_the_group_and_scheme_asked_for(combination: Combination) -> None:
    chosen = group(combination.group)
    kind = certificate_type(combination.certificate)
    seen = probe(Endpoints(chosen, build_chain(kind, 1)))
    assert seen.handshake.negotiated_group == chosen.stack_name
    assert seen.server_hello_group == chosen.name
    assert seen.signature_scheme == kind.scheme
    names = [m.name for m in seen.messages]
    assert names[:1] == ["ClientHello"] and "CertificateVerify" in names


def test_records_add_up_to_the_bytes_moved() -> None:
    endpoints = Endpoints(group("X25519MLKEM768"), build_chain("ML-DSA-65", 2))
    seen = probe(endpoints)
    done = seen.handshake
    assert [f.direction for f in done.flights] == [CLIENT_TO_SERVER, SERVER_TO_CLIENT,
                                                   CLIENT_TO_SERVER]  # fmt: skip
    assert done.client_to_server_bytes + done.server_to_client_bytes == sum(
        f.bytes for f in done.flights
    )
    # every handshake message the server sent fits inside the records of its flight
    server_messages = sum(m.bytes for m in seen.messages if m.sender == "server"
                          and m.name != "NewSessionTicket")  # fmt: skip
    server_flight = done.flights[1]
    assert server_messages < server_flight.bytes
    assert server_flight.bytes - server_messages < 40 * server_flight.records  # headers, tags
    assert done.ticket_bytes > 0  # OpenSSL sends session tickets after the handshake


def test_record_lengths_split_a_stream_and_refuse_a_cut_one() -> None:
    stream = bytes([22, 3, 3, 0, 2, 1, 2]) + bytes([23, 3, 3, 0, 0])
    assert record_lengths(stream) == (7, 5)
    assert flight(CLIENT_TO_SERVER, stream).records == 2
    with pytest.raises(ValueError, match="runs past"):
        record_lengths(stream[:6])
    with pytest.raises(ValueError, match="partial record header"):
        record_lengths(stream[:9])


def test_a_client_with_the_wrong_root_fails_the_handshake() -> None:
    endpoints = Endpoints(group("X25519"), build_chain("ECDSA-P256", 1))
    other = Endpoints(group("X25519"), build_chain("ECDSA-P256", 1))
    with pytest.raises(BackendError, match="verification error"):
        endpoints.handshake(other.client_context)


def test_the_client_checks_the_host_name() -> None:
    leaf_for_other = build_chain("Ed25519", 1, host="other.pqc.test")
    asked = replace(leaf_for_other, host="server.pqc.test")  # a name the leaf lacks
    with pytest.raises(BackendError):
        Endpoints(group("X25519"), asked).handshake()


def test_run_combination_summarises_real_handshakes() -> None:
    settings = RunSettings(handshakes=12, min_handshakes=12, warmup=1, chain=1)
    run = run_combination(Combination("X25519", "Ed25519"), settings)
    assert run.handshakes == len(run.samples_ns) == 12
    assert run.latency.q1_ns <= run.latency.median_ns <= run.latency.q3_ns
    assert run.client_cpu.median_ns > 0 and run.server_cpu.median_ns > 0
    assert run.certificate_sizes and run.root_size > 0
    assert run.signature_scheme == "ed25519" and run.negotiated_group == "x25519"


def test_unknown_names_say_what_is_available() -> None:
    with pytest.raises(InvalidArgumentError, match="X25519MLKEM768"):
        check_combinations([Combination("X448", "Ed25519")])
    with pytest.raises(InvalidArgumentError, match="ML-DSA-44"):
        check_combinations([Combination("X25519", "Falcon")])
