"""Every result kind pqc writes, and reading a file of whichever kind it holds.

:mod:`pqc.resultfile` is the envelope every kind registers with; this module
imports each built-in kind, so code that takes any result (``pqc report``,
``--json -``) finds them all, without :mod:`pqc.resultfile` importing the
modules that import it. A new kind adds its module to the imports below.

- :func:`read_any` / :func:`loads_any`: the result a file holds, whatever its kind;
- :func:`dumps` / :func:`write`: a result of any kind as JSON text / to a file;
- :func:`kind_named` / :func:`kind_of` / :func:`kinds`: the registered kinds.
"""

from __future__ import annotations

import os
from typing import Any

from pqc.bench import results as _bench
from pqc.conformance import result as _verify
from pqc.errors import ResultFormatError
from pqc.handshake import document as _handshake
from pqc.leak import results as _leak
from pqc.resultfile import ResultKind, display_path, identify, read_text, registered
from pqc.tls import results as _tls

BUILT_IN = (_bench.BENCH, _leak.LEAK, _handshake.HANDSHAKE, _verify.VERIFY, _tls.TLS)


def kinds() -> tuple[ResultKind[Any], ...]:
    """Every kind this pqc reads."""
    return registered()


def kind_named(name: str) -> ResultKind[Any]:
    """The kind called ``name``; :class:`ResultFormatError` naming the known ones."""
    known = {kind.name: kind for kind in kinds()}
    if name not in known:
        raise ResultFormatError(f"no result kind {name!r}; this pqc knows {', '.join(known)}.")
    return known[name]


def kind_of(result: object) -> ResultKind[Any]:
    """The kind whose result type ``result`` is; TypeError when none."""
    for kind in kinds():
        if type(result) is kind.result_type:
            return kind
    raise TypeError(f"{type(result).__name__} is not a registered result kind")


def loads_any(text: str, *, source: str = "the text") -> Any:
    """A result of whatever kind JSON ``text`` holds (any version this pqc reads)."""
    kind, envelope = identify(text, source)
    return kind.from_envelope(envelope, source)


def read_any(path: str | os.PathLike[str]) -> Any:
    """A result of whatever kind the file at ``path`` holds; :class:`ResultFormatError`."""
    return loads_any(read_text(path), source=display_path(path))


def dumps(result: object) -> str:
    """The JSON text of a result of any kind (what ``--json -`` prints)."""
    return str(kind_of(result).dumps(result))


def write(result: object, path: str | os.PathLike[str]) -> None:
    """Write a result of any kind to ``path`` atomically (see pqc.resultfile.atomic_write_text)."""
    kind_of(result).write(result, path)
