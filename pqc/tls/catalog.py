"""What `pqc tls` offers, read from ``pqc/data/tls.toml``: groups, certificate types, the
default combinations, link profiles, and the names of TLS SignatureScheme code points."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from pqc import asn1
from pqc.errors import InvalidArgumentError


@dataclass(frozen=True)
class Group:
    """A TLS 1.3 key-exchange group: its pqc name, the TLS stack's name for it, IANA code
    point, family, and the catalog KEM ``pqc handshake`` models it with (None if not)."""

    name: str
    stack_name: str
    codepoint: int
    family: str
    model: str | None = None


@dataclass(frozen=True)
class Family:
    """A family of key exchanges (classical, NIST PQ, hybrid, GM, GM hybrid) and how charts
    show it."""

    name: str
    title: str
    colour: str


@dataclass(frozen=True)
class CertificateType:
    """A server certificate type: key family, certificate signature algorithm, TLS scheme."""

    name: str
    key: str
    signature_oid: str
    signature_parameters: str
    scheme: str
    model: str | None = None

    def algorithm_identifier(self) -> bytes:
        """The DER AlgorithmIdentifier a certificate signed with this key type carries."""
        parameters = asn1.tlv(asn1.NULL, b"") if self.signature_parameters == "null" else b""
        return asn1.sequence(asn1.oid(self.signature_oid), parameters)


@dataclass(frozen=True)
class Combination:
    """One handshake configuration: a group and a server certificate type."""

    group: str
    certificate: str

    @property
    def label(self) -> str:
        return f"{self.group} + {self.certificate}"


@dataclass(frozen=True)
class LinkProfile:
    """An emulated link: round-trip time (ms), per-packet loss in each direction (0-1), and a
    rate limit in kbit/s each way (0 = none)."""

    name: str
    title: str
    rtt_ms: float
    loss: float
    rate_kbit: int


@cache
def _data() -> dict[str, Any]:
    text = resources.files("pqc.data").joinpath("tls.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def groups() -> tuple[Group, ...]:
    """Every group pqc knows (whether or not the loaded OpenSSL offers it)."""
    return tuple(Group(**entry) for entry in _data()["group"])


@cache
def families() -> MappingProxyType[str, Family]:
    """Key-exchange families by name."""
    return MappingProxyType({e["name"]: Family(**e) for e in _data()["family"]})


@cache
def certificate_types() -> tuple[CertificateType, ...]:
    return tuple(CertificateType(**entry) for entry in _data()["certificate"])


@cache
def default_combinations() -> tuple[Combination, ...]:
    return tuple(Combination(e["group"], e["certificate"]) for e in _data()["default"])


@cache
def renamed_result_fields() -> MappingProxyType[int, MappingProxyType[str, str]]:
    """kind_version -> {field name in files of that version: its name in the next one}."""
    table = _data()["renamed_result_fields"]
    return MappingProxyType({int(v): MappingProxyType(dict(names)) for v, names in table.items()})


@cache
def link_profiles() -> tuple[LinkProfile, ...]:
    return tuple(LinkProfile(**entry) for entry in _data()["profile"])


@cache
def scheme_names() -> MappingProxyType[int, str]:
    """IANA TLS SignatureScheme code point -> name."""
    return MappingProxyType({int(k, 16): v for k, v in _data()["schemes"].items()})


def _find(kind: str, name: str, entries: tuple[Any, ...]) -> Any:
    wanted = name.strip().lower()
    for entry in entries:
        if wanted in {entry.name.lower(), getattr(entry, "stack_name", entry.name).lower()}:
            return entry
    known = ", ".join(entry.name for entry in entries)
    raise InvalidArgumentError(f"unknown {kind} {name!r}; expected one of: {known}.")


def group(name: str) -> Group:
    """The group called ``name`` (pqc's or OpenSSL's spelling, any case)."""
    found: Group = _find("group", name, groups())
    return found


def certificate_type(name: str) -> CertificateType:
    """The certificate type called ``name`` (any case)."""
    found: CertificateType = _find("certificate type", name, certificate_types())
    return found


def link_profile(name: str) -> LinkProfile:
    found: LinkProfile = _find("link profile", name, link_profiles())
    return found


def group_by_codepoint(codepoint: int) -> Group | None:
    return next((g for g in groups() if g.codepoint == codepoint), None)
