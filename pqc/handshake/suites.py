"""The handshake suites compared: a key exchange (a KEM) and a server signature scheme.

The suites are data, beside the algorithm catalog: ``pqc/data/suites.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from pqc.catalog import lookup
from pqc.errors import InvalidArgumentError


@dataclass(frozen=True)
class Suite:
    """A TLS-1.3-style suite: ``kem`` for the key exchange, ``signature`` for the certificates."""

    name: str
    title: str
    kem: str
    signature: str
    note: str = ""


def _load() -> tuple[tuple[Suite, ...], tuple[Suite, ...]]:
    """The default and the other suites of ``pqc/data/suites.toml``, each checked on the catalog."""
    text = resources.files("pqc").joinpath("data/suites.toml").read_text(encoding="utf-8")
    default: list[Suite] = []
    extra: list[Suite] = []
    for raw in tomllib.loads(text)["suite"]:
        item = Suite(raw["name"], raw["title"], raw["kem"], raw["signature"], raw.get("note", ""))
        if lookup(item.kem).kind != "kem" or lookup(item.signature).kind != "signature":
            raise ValueError(f"suite {item.name!r} must pair a KEM with a signature scheme")
        (default if raw.get("default", False) else extra).append(item)
    return tuple(default), tuple(extra)


DEFAULT_SUITES, EXTRA_SUITES = _load()
ALL_SUITES: tuple[Suite, ...] = DEFAULT_SUITES + EXTRA_SUITES


def suite(name: str) -> Suite:
    """The suite called ``name`` (see :data:`ALL_SUITES`), or ``KEM+SIGNATURE`` for any pair.

    Raises :class:`InvalidArgumentError` for an unknown suite, and
    :class:`~pqc.errors.UnknownAlgorithmError` for an unknown algorithm in a pair.
    """
    for item in ALL_SUITES:
        if item.name == name.strip().lower():
            return item
    if "+" in name:
        kem_name, signature_name = (part.strip() for part in name.split("+", 1))
        kem, signature = lookup(kem_name), lookup(signature_name)
        if kem.kind != "kem" or signature.kind != "signature":
            raise InvalidArgumentError(
                f"a custom suite is KEM+SIGNATURE; {name!r} gives a {kem.kind} and a "
                f"{signature.kind}."
            )
        return Suite(f"{kem.name}+{signature.name}", f"{kem.name} + {signature.name}", kem.name,
                     signature.name)  # fmt: skip
    known = ", ".join(s.name for s in ALL_SUITES)
    raise InvalidArgumentError(
        f"unknown suite {name!r}; expected one of: {known}, or KEM+SIGNATURE (e.g. "
        "ML-KEM-768+ML-DSA-44)."
    )
