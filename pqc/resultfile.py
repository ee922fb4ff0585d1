"""The one result file: a versioned envelope around every result pqc writes, its reader and writer.

Every result file pqc writes (bench, leak, verify, handshake, and kinds added
later) is one JSON object::

    {
      "format": "pqc-result",          # always this: what the file is
      "schema_version": 1,             # the envelope's layout (ENVELOPE_VERSION)
      "kind": "bench",                 # which result; picks the body's type
      "kind_version": 1,               # the body's layout, per kind
      "created": "2026-12-01T20:05:25+00:00",   # UTC, ISO 8601
      "command": ["pqc", "bench", "--quick"],   # argv as run
      "pqc_version": "0.1.0",
      "complete": true,                # false when the run was interrupted
      "machine": {...},                # pqc.bench.results.Machine
      "backends": [{...}],             # pqc.backends.base.BackendStatus, exact versions
      "settings": {...},               # the kind's settings dataclass
      "body": {...}                    # every other field of the kind's result type
    }

A kind is ONE frozen dataclass (its result type) that has the header fields
:data:`HEADER_FIELDS` (``created``, ``command``, ``pqc_version``,
``machine``, ``backends``, ``settings``, ``complete``) and any body fields.
It registers once, at import of its module::

    BENCH = register_kind(
        "bench", BenchResult, version=1, written_by="`pqc bench --json`",
        upgraders={},                      # {n: envelope data at kind_version n -> n + 1}
        legacy={"pqc-bench-result": {1: from_bench_v1}},   # pre-envelope files
    )
    BENCH.write(result, path)      # atomic; BENCH.dumps(result) -> str (for '--json -')
    BENCH.read(path) -> BenchResult; BENCH.loads(text, source="stdin") -> BenchResult

and :func:`pqc.resultkinds.read_any`/``loads_any``/``dumps``/``write``
take a result of whatever kind (that module imports every built-in kind;
this one never imports them back). A kind-specific reader refuses another
kind: "x.json is a pqc leak result, not a bench result; give a file written
by `pqc bench --json`".
Conversion is generic (:mod:`pqc.jsondata`): field names are the JSON keys;
supported field types are str/int/float/bool/None, ``X | None``, Literal,
enums, tuples, ``Mapping[str, X]``, nested frozen dataclasses and ``Any``
(JSON kept as is). Reading checks every value against its type, so a
damaged file raises :class:`~pqc.errors.ResultFormatError` naming the field
(``cases[3].algorithm: expected a string, got an object``); JSON the parser
refuses (nested too deeply, integers over 4,300 digits) does too.

Changing a kind:

- adding a field WITH a default needs nothing else: files without it load
  with the default, and readers ignore keys they do not know;
- renaming, reshaping or removing a field: bump ``version`` and add an
  upgrader ``{old: function}`` that turns envelope data of the old
  kind_version into the next one (operating on plain JSON data);
- a new kind: a new result dataclass, :func:`register_kind` in its module,
  and that module imported in :mod:`pqc.resultkinds`.

The version map (what this pqc reads: every file an earlier pqc wrote).
Current kind versions: bench 1, leak 2, handshake 2, verify 1, tls 1.

==========================  =========  ===========================================
file says                   version    read as
==========================  =========  ===========================================
format pqc-result           schema 1   its kind; kind_version 1 .. current, upgraded
                                       (leak 1 -> 2: ``median_difference`` is
                                       ``medians``, samples a pair; handshake
                                       1 -> 2: costs flat as HandshakeCost's fields)
format pqc-bench-result     schema 1   bench, kind_version 1 (pqc <= fc017e9)
format pqc-leak-result      schema 1   leak, kind_version 1, then upgraded
format pqc-handshake-result schema 1   handshake, kind_version 1, then upgraded;
                                       its ``definition`` text is dropped (the
                                       report renders the model from the code);
                                       created/pqc_version are the source run's
kind pqc-verify, no format  schema 1   verify, kind_version 1; a machine summary
                                       only: unrecorded fields read "not recorded"
                                       or None, created "not recorded"
==========================  =========  ===========================================

Anything else -- another format, a newer version -- is refused with a
message that says which versions this pqc reads and what to do.

Writing (:func:`atomic_write_text`): a regular file (or a new one) is
replaced atomically -- a temporary file beside it, then a rename -- so a
reader sees the old file or the whole new one. Symlinks are FOLLOWED: the
file a link points to is replaced, the link stays. A target that is not a
regular file -- a device such as /dev/null or /dev/full, a FIFO, or anything
reached through /dev or /proc (/dev/stdout, /dev/fd/1) -- is written
directly, never renamed over. A directory, a missing folder or a file name
the file system cannot encode raises :class:`~pqc.errors.ResultWriteError`
naming the user's path, never the temporary file.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from pqc import jsondata
from pqc.errors import ResultFormatError, ResultWriteError
from pqc.jsondata import ConversionError, JSONData

FORMAT = "pqc-result"
ENVELOPE_VERSION = 1
HEADER_FIELDS = ("created", "command", "pqc_version", "complete", "machine", "backends",
                 "settings")  # fmt: skip
_RESERVED = ("format", "schema_version", "kind", "kind_version", "body")

R = TypeVar("R")
V = TypeVar("V")
Upgrader = Callable[[dict[str, Any]], dict[str, Any]]


class Result(Protocol):
    """What every kind's result type has (the envelope's header), for code that takes any kind."""

    @property
    def created(self) -> str: ...
    @property
    def command(self) -> tuple[str, ...]: ...
    @property
    def pqc_version(self) -> str: ...
    @property
    def complete(self) -> bool: ...


def utc_now() -> str:
    """The current time as ISO 8601 UTC to the second (what ``created`` holds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- kinds
@dataclasses.dataclass(frozen=True)
class ResultKind(Generic[R]):
    """One registered kind: its name, result type, current version and the older versions read."""

    name: str
    result_type: type[R]
    version: int
    written_by: str
    upgraders: Mapping[int, Upgrader]
    legacy: Mapping[str, Mapping[int, Upgrader]]

    def to_data(self, result: R) -> dict[str, Any]:
        """``result`` as envelope data (what :meth:`dumps` writes)."""
        if not isinstance(result, self.result_type):
            raise TypeError(f"expected a {self.result_type.__name__}, got {type(result).__name__}")
        fields = jsondata.to_data(result)
        return {
            "format": FORMAT,
            "schema_version": ENVELOPE_VERSION,
            "kind": self.name,
            "kind_version": self.version,
            **{name: fields.pop(name) for name in HEADER_FIELDS},
            "body": fields,
        }

    def dumps(self, result: R) -> str:
        """The JSON text of ``result`` (no trailing newline): what ``--json -`` prints."""
        return jsondata.dumps(self.to_data(result))

    def write(self, result: R, path: str | os.PathLike[str]) -> None:
        """Write ``result`` to ``path`` (see :func:`atomic_write_text` for what ``path`` may be)."""
        atomic_write_text(path, self.dumps(result) + "\n")

    def from_data(self, data: JSONData, *, source: str = "the data") -> R:
        """Envelope data (any version this pqc reads) as a result; :class:`ResultFormatError`."""
        kind, envelope = _current(data, source, self)
        if kind is not self:
            raise ResultFormatError(
                f"{source} is a pqc {kind.name} result, not a {self.name} result; give a file "
                f"written by {self.written_by}."
            )
        return self.from_envelope(envelope, source)

    def loads(self, text: str, *, source: str = "the text") -> R:
        """Parse JSON text of this kind (any version this pqc reads)."""
        return self.from_data(_parse(text, source, self.written_by), source=source)

    def read(self, path: str | os.PathLike[str]) -> R:
        """Read a file of this kind; :class:`ResultFormatError` when it cannot be read or used."""
        return self.loads(read_text(path), source=display_path(path))

    def from_envelope(self, envelope: Mapping[str, Any], source: str) -> R:
        """Envelope data already at this kind's current version (see :func:`identify`)."""
        body = envelope.get("body")
        if not isinstance(body, dict):
            raise ResultFormatError(f"{source} is a damaged pqc {self.name} result: no body.")
        merged = {**body, **{name: envelope[name] for name in HEADER_FIELDS if name in envelope}}
        try:
            result: R = jsondata.from_data(self.result_type, merged)
        except ConversionError as exc:
            raise ResultFormatError(
                f"{source} is a damaged pqc {self.name} result: {exc}."
            ) from exc
        return result

    def versions(self) -> str:
        """The versions of this kind read, in words (for messages)."""
        current = f"{self.name} {self._range()}"
        older = [f"{name} {', '.join(str(v) for v in sorted(vs))}" for name, vs in
                 self.legacy.items()]  # fmt: skip
        return current + (f" (and {'; '.join(older)})" if older else "")

    def _range(self) -> str:
        low = min([self.version, *self.upgraders])
        return str(self.version) if low == self.version else f"{low}-{self.version}"


_KINDS: dict[str, ResultKind[Any]] = {}


def register_kind(
    name: str,
    result_type: type[R],
    *,
    version: int,
    written_by: str,
    upgraders: Mapping[int, Upgrader] | None = None,
    legacy: Mapping[str, Mapping[int, Upgrader]] | None = None,
) -> ResultKind[R]:
    """Register a kind (see the module docstring); raises TypeError for a type it cannot carry.

    ``upgraders[n]`` turns envelope data of kind_version ``n`` into ``n + 1``;
    ``legacy[format][v]`` turns a pre-envelope file (``format`` or, for old
    verify files, ``kind``; schema_version ``v``) into envelope data.
    """
    if not (dataclasses.is_dataclass(result_type) and isinstance(result_type, type)):
        raise TypeError(f"{result_type!r} is not a dataclass")
    names = {f.name for f in dataclasses.fields(result_type)}
    missing = [field for field in HEADER_FIELDS if field not in names]
    clash = [field for field in _RESERVED if field in names]
    if missing or clash:
        raise TypeError(f"{result_type.__name__}: missing header fields {missing}, "
                        f"reserved names used {clash}")  # fmt: skip
    jsondata.check_convertible(result_type)
    kind: ResultKind[R] = ResultKind(name, result_type, version, written_by, dict(upgraders or {}),
                      {key: dict(value) for key, value in (legacy or {}).items()})  # fmt: skip
    for n in range(min([version, *kind.upgraders]), version):
        if n not in kind.upgraders:
            raise TypeError(f"kind {name}: no upgrader from kind_version {n}")
    _KINDS[name] = kind
    return kind


def registered() -> tuple[ResultKind[Any], ...]:
    """The kinds registered so far (:func:`pqc.resultkinds.kinds` imports every built-in one)."""
    return tuple(_KINDS.values())


def lift_flat(data: Mapping[str, Any], kind: str, kind_version: int) -> dict[str, Any]:
    """A pre-envelope file that kept header and body side by side, as envelope data.

    Header fields go to the top, every other key except ``format`` and
    ``schema_version`` into ``body`` (what the legacy readers of bench and
    leak files use).
    """
    header = {name: data[name] for name in HEADER_FIELDS if name in data}
    body = {key: value for key, value in data.items()
            if key not in HEADER_FIELDS and key not in ("format", "schema_version")}  # fmt: skip
    return {"format": FORMAT, "schema_version": ENVELOPE_VERSION, "kind": kind,
            "kind_version": kind_version, **header, "body": body}  # fmt: skip


# ---------------------------------------------------------------- reading
def _supported() -> str:
    return "; ".join(kind.versions() for kind in registered())


def _what(data: Mapping[str, Any]) -> str | None:
    fmt = data.get("format")
    if isinstance(fmt, str):
        return fmt
    old = data.get("kind")
    return old if isinstance(old, str) and "format" not in data else None


def _foreign(source: str, expected: ResultKind[Any] | None) -> ResultFormatError:
    what = f"pqc {expected.name} result" if expected else "pqc result"
    by = expected.written_by if expected else "`pqc bench/leak/verify/handshake --json`"
    return ResultFormatError(
        f"{source} is not a {what} (no \"format\": \"{FORMAT}\" field); give a file written "
        f"by {by}."
    )


def _known(table: Mapping[Any, V], key: object, key_type: type, refusal: str) -> V:
    """``table[key]`` when ``key`` is a ``key_type`` it holds; else ResultFormatError(refusal)."""
    found = table.get(key) if isinstance(key, key_type) else None
    if found is None:
        raise ResultFormatError(refusal)
    return found


def _current(
    data: JSONData, source: str, expected: ResultKind[Any] | None = None
) -> tuple[ResultKind[Any], dict[str, Any]]:
    """The kind of ``data`` and ``data`` as envelope data of its current kind_version."""
    if not isinstance(data, dict):
        raise _foreign(source, expected)
    what = _what(data)
    if what == FORMAT:
        return _upgraded(data, source)
    for kind in registered():
        if what is not None and what in kind.legacy:
            readers = kind.legacy[what]
            version = data.get("schema_version")
            reader = _known(
                readers, version, int,
                f"{source} is a {what} file of schema_version {version!r}; this pqc reads "
                f"{what} version(s) {', '.join(map(str, sorted(readers)))} and {FORMAT} "
                f"files ({_supported()}); re-run the command or use the pqc that wrote it.",
            )  # fmt: skip
            return _upgraded(reader(data), source)
    raise _foreign(source, expected)


def _upgraded(data: dict[str, Any], source: str) -> tuple[ResultKind[Any], dict[str, Any]]:
    version = data.get("schema_version")
    if version != ENVELOPE_VERSION:
        raise ResultFormatError(
            f"{source} is a {FORMAT} file of schema_version {version!r}; this pqc reads "
            f"schema_version {ENVELOPE_VERSION}; upgrade pqc (pip install -U pqc) to read it."
        )
    name = data.get("kind")
    kind = _known(
        _KINDS, name, str,
        f"{source} holds a {name!r} result, which this pqc does not know (it reads "
        f"{', '.join(_KINDS)}); upgrade pqc (pip install -U pqc) to read it.",
    )  # fmt: skip
    number = data.get("kind_version")
    if not isinstance(number, int) or isinstance(number, bool) or not (
        number == kind.version or number in kind.upgraders
    ):
        raise ResultFormatError(
            f"{source} is a {kind.name} result of kind_version {number!r}; this pqc reads "
            f"{kind.versions()}; upgrade pqc (pip install -U pqc) or re-run "
            f"{kind.written_by}."
        )
    while number < kind.version:
        try:
            data = kind.upgraders[number](data)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise ResultFormatError(
                f"{source} is a damaged pqc {kind.name} result (kind_version {number}): "
                f"{type(exc).__name__}: {exc}."
            ) from exc
        number += 1
        data["kind_version"] = number
    return kind, data


def _parse(text: str, source: str, expected: str) -> JSONData:
    try:
        return jsondata.loads(text)
    except ConversionError as exc:
        raise ResultFormatError(f"{source} is {exc.reason}; give a file written by {expected}.") \
            from exc


def identify(text: str, source: str) -> tuple[ResultKind[Any], dict[str, Any]]:
    """The registered kind of JSON ``text`` and its envelope data at the current version."""
    return _current(_parse(text, source, "a pqc command's --json"), source)


def read_text(path: str | os.PathLike[str]) -> str:
    """The UTF-8 text of ``path``; :class:`ResultFormatError` when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ResultFormatError(f"cannot read {display_path(path)}: {reason}.") from exc


def parse_json(text: str, *, source: str, expected: str) -> JSONData:
    """``text`` as JSON; ``expected`` names the file wanted (e.g. "a `pqc bench --json` file")."""
    try:
        return jsondata.loads(text)
    except ConversionError as exc:
        raise ResultFormatError(f"{source} is {exc.reason}; give {expected}.") from exc


# ---------------------------------------------------------------- writing
def display_path(path: str | os.PathLike[str] | bytes) -> str:
    """``path`` printable in a message whatever bytes it holds."""
    text = os.fsdecode(path) if isinstance(path, bytes) else os.fspath(path)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _goes_through_special(path: bytes) -> bool:
    """True when ``path`` or a link on the way to its target lies in /dev or /proc."""
    current = os.path.abspath(path)
    for _ in range(40):
        real_parent = os.path.realpath(os.path.dirname(current))
        if real_parent.split(b"/")[1:2] in ([b"dev"], [b"proc"]):
            return True
        candidate = os.path.join(real_parent, os.path.basename(current))
        if not os.path.islink(candidate):
            return False
        current = os.path.join(real_parent, os.readlink(candidate))
    return False


_HINTS = {
    errno.ENOENT: "; create the folder first or give another path",
    errno.ENOTDIR: "; create the folder first or give another path",
    errno.EISDIR: "; give a file name, not a directory",
    errno.EACCES: "; choose a folder you can write to",
    errno.EROFS: "; choose a folder you can write to",
}


def _write_error(path: str | os.PathLike[str] | bytes, exc: OSError | None,
                 reason: str | None = None) -> ResultWriteError:
    """A ResultWriteError naming the user's ``path`` (never a temporary file)."""
    number = exc.errno if exc is not None else None
    said = reason or (exc.strerror if exc is not None and exc.strerror else str(exc))
    hint = _HINTS.get(number or 0, "")
    error = ResultWriteError(f"cannot write {display_path(path)}: {said}{hint}.")
    error.errno = number
    return error


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``: atomically for a regular file, directly otherwise.

    See the module docstring for what happens with symlinks, devices, FIFOs
    and /dev/stdout. The new file gets the permissions a plain ``open()``
    would give (0666 less the umask), not mkstemp's private 0600. Raises
    :class:`~pqc.errors.ResultWriteError` (an OSError) naming ``path``.
    """
    try:
        raw = os.fsencode(path)
    except UnicodeError as exc:
        raise _write_error(path, None, "the file name cannot be encoded for this file system; "
                           "choose a name in UTF-8") from exc
    data = text.encode("utf-8")
    try:
        if _goes_through_special(raw) or _not_regular(raw):
            _write_direct(raw, data)
        else:
            _replace(os.path.realpath(raw), data)
    except ResultWriteError:
        raise
    except OSError as exc:
        raise _write_error(path, exc) from exc


def _not_regular(path: bytes) -> bool:
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    return not stat.S_ISREG(mode)


def _write_direct(path: bytes, data: bytes) -> None:
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()


def _replace(target: bytes, data: bytes) -> None:
    folder, name = os.path.split(target)
    handle, temp = tempfile.mkstemp(dir=folder or b".", prefix=b"." + name + b".", suffix=b".tmp")
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(handle, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(os.fsdecode(temp)).unlink(missing_ok=True)
        raise
