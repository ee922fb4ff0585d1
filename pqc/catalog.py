"""The algorithm catalog: names, aliases, standards, security levels and sizes.

The data lives in ``pqc/data/catalog.toml``; this module only reads it into
frozen :class:`Algorithm` values and resolves names.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

from pqc.errors import UnknownAlgorithmError

Kind = Literal["kem", "signature"]

_KEM_SIZES = ("public_key", "secret_key", "ciphertext", "shared_secret")
_SIGNATURE_SIZES = ("public_key", "secret_key", "signature")


@dataclass(frozen=True)
class Algorithm:
    """One catalog entry. Sizes are in bytes; see ``variable_sizes`` for maxima."""

    name: str
    kind: Kind
    family: str
    aliases: tuple[str, ...]
    standard: str
    status: str
    security_bits: int
    quantum_safe: bool
    fips_approved: bool
    origin: str
    sizes: Mapping[str, int]
    implementations: Mapping[str, str]
    nist_level: int | None = None
    construction: str | None = None
    variable_sizes: tuple[str, ...] = ()
    seed_size: int | None = None
    caveats: tuple[str, ...] = ()
    components: tuple[str, ...] = field(default=())
    slow_ops: tuple[str, ...] = ()

    @property
    def backends(self) -> tuple[str, ...]:
        """Names of the backends that implement this algorithm (available or not)."""
        return tuple(self.implementations)

    @property
    def public_key_size(self) -> int:
        return self.sizes["public_key"]

    @property
    def secret_key_size(self) -> int:
        return self.sizes["secret_key"]

    @property
    def ciphertext_size(self) -> int | None:
        return self.sizes.get("ciphertext")

    @property
    def signature_size(self) -> int | None:
        return self.sizes.get("signature")

    @property
    def shared_secret_size(self) -> int | None:
        return self.sizes.get("shared_secret")

    def is_variable(self, size_name: str) -> bool:
        """True when ``sizes[size_name]`` is a maximum rather than an exact length."""
        return size_name in self.variable_sizes


def _entry(raw: dict[str, Any]) -> Algorithm:
    kind = raw["kind"]
    expected = _KEM_SIZES if kind == "kem" else _SIGNATURE_SIZES
    sizes = raw["sizes"]
    if kind not in ("kem", "signature") or set(sizes) != set(expected):
        raise ValueError(
            f"catalog entry {raw['name']!r} has kind {kind!r} and sizes {sorted(sizes)}"
        )
    return Algorithm(
        name=raw["name"],
        kind=kind,
        family=raw["family"],
        aliases=tuple(raw.get("aliases", ())),
        standard=raw["standard"],
        status=raw["status"],
        security_bits=raw["security_bits"],
        quantum_safe=raw["quantum_safe"],
        fips_approved=raw["fips_approved"],
        origin=raw["origin"],
        sizes=MappingProxyType(dict(sizes)),
        implementations=MappingProxyType(dict(raw["implementations"])),
        nist_level=raw.get("nist_level"),
        construction=raw.get("construction"),
        variable_sizes=tuple(raw.get("variable_sizes", ())),
        seed_size=raw.get("seed_size"),
        caveats=tuple(raw.get("caveats", ())),
        components=tuple(raw.get("components", ())),
        slow_ops=tuple(raw.get("slow_ops", ())),
    )


@cache
def all_algorithms() -> tuple[Algorithm, ...]:
    """Every catalog entry, in catalog order."""
    text = resources.files("pqc").joinpath("data/catalog.toml").read_text(encoding="utf-8")
    return tuple(_entry(raw) for raw in tomllib.loads(text)["algorithm"])


def _normalise(name: str) -> str:
    return name.strip().casefold().replace("_", "-")


@cache
def _index() -> Mapping[str, Algorithm]:
    index: dict[str, Algorithm] = {}
    for algorithm in all_algorithms():
        for label in (algorithm.name, *algorithm.aliases):
            key = _normalise(label)
            if key in index and index[key] is not algorithm:
                raise ValueError(f"catalog name {label!r} is used twice")
            index[key] = algorithm
    return MappingProxyType(index)


def lookup(name: str) -> Algorithm:
    """The entry whose name or alias matches ``name`` (case and ``_``/``-`` ignored).

    Raises :class:`UnknownAlgorithmError` with the closest names otherwise.
    """
    if not isinstance(name, str):
        raise UnknownAlgorithmError(repr(name), [])
    found = _index().get(_normalise(name))
    if found is not None:
        return found
    labels = {
        _normalise(label): label
        for algorithm in all_algorithms()
        for label in (algorithm.name, *algorithm.aliases)
    }
    close = difflib.get_close_matches(_normalise(name), list(labels), n=4, cutoff=0.5)
    suggestions: list[str] = []
    for key in close:
        canonical = _index()[key].name
        if canonical not in suggestions:
            suggestions.append(canonical)
    return _raise_unknown(name, suggestions)


def _raise_unknown(name: str, suggestions: list[str]) -> Algorithm:
    raise UnknownAlgorithmError(name, suggestions)

