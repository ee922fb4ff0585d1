"""liboqs (C) through liboqs-python: ML-KEM, ML-DSA, FN-DSA (Falcon), SLH-DSA, HQC.

liboqs is found **without importing** ``oqs``: importing liboqs-python when the
C library is missing sleeps 5 s, runs ``git clone`` + cmake and raises
``SystemExit``. :func:`status` probes the same paths liboqs-python's loader
tries, in its order, with :mod:`ctypes`, reads ``OQS_version()``, and only
then imports ``oqs`` with its logger disabled and stdout suppressed.

Byte formats are liboqs's own: expanded secret keys (ML-KEM 1632/2400/3168
bytes, ML-DSA 2560/4032/4896). ML-KEM decapsulation also accepts the 64-byte
seed d||z (OpenSSL's secret-key format) and expands it, so keys move freely
between backends. Signatures use the empty context; :meth:`LiboqsSignature.
sign_with_context` / :meth:`~LiboqsSignature.verify_with_context` take one.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import importlib.metadata
import importlib.util
import io
import logging
import os
import platform
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from pqc.backends import liboqs_findings
from pqc.backends.base import (
    BackendStatus,
    KEMImplementation,
    KeyCache,
    SignatureImplementation,
)
from pqc.backends.capabilities import Capabilities, Implementation, Observation, PublishedKATs
from pqc.backends.installed import unavailable, usable
from pqc.backends.liboqs_native import ENTRY_POINTS, THREAD_SAFETY, KEMBinding, SignatureBinding
from pqc.catalog import Algorithm
from pqc.errors import (
    BackendUnavailableError,
    InvalidKeyError,
    UnsupportedAlgorithmError,
)

NAME = "liboqs"
LANGUAGE = "C"
LIBRARY = "liboqs via liboqs-python"
DOCS_URL = "https://github.com/open-quantum-safe/liboqs#quickstart"


# ---------------------------------------------------------------- detection
@dataclass(frozen=True)
class _Probe:
    """Where liboqs was looked for, and what loaded (if anything)."""

    tried: tuple[str, ...]
    path: str | None = None
    version: str | None = None
    handle: ctypes.CDLL | None = None


def install_dir() -> Path:
    """liboqs-python's install prefix: ``$OQS_INSTALL_PATH``, else ``~/_oqs``."""
    if "OQS_INSTALL_PATH" in os.environ:
        return Path(os.environ["OQS_INSTALL_PATH"])
    return Path.home() / "_oqs"


def _file_names(directory: Path) -> list[Path]:
    system = platform.system()
    if system == "Darwin":
        return [directory.absolute() / "liboqs.dylib"]
    if system == "Windows":
        return [directory.absolute() / "oqs.dll", directory.absolute() / "liboqs.dll"]
    return [directory.absolute() / "liboqs.so"]


def candidates() -> list[str]:
    """The paths liboqs-python's loader tries, in its order.

    ``find_library("liboqs")``, ``find_library("oqs")`` (ldconfig cache,
    ``LD_LIBRARY_PATH``), then ``<prefix>/lib`` and ``<prefix>/lib64``
    (``<prefix>/bin`` on Windows).
    """
    prefix = install_dir()
    windows = platform.system() == "Windows"
    directories = (
        [prefix / "bin", prefix / "bin"] if windows else [prefix / "lib", prefix / "lib64"]
    )
    paths = [str(p) for d in directories for p in _file_names(d)]
    for name in ("oqs", "liboqs"):  # each is inserted at the front, as liboqs-python does
        try:
            found = ctypes.util.find_library(name)
        except Exception:  # find_library runs ldconfig/gcc and can fail oddly
            found = None
        if found:
            paths.insert(0, found)
    return list(dict.fromkeys(paths))


_MAX_LINK_TEXT = 255  # a flattened link holds one file name: at most NAME_MAX bytes


def _flattened_link_target(path: Path) -> Path | None:
    """The shared library a *flattened* symbolic link at ``path`` stands for, else None.

    A copy that does not preserve symbolic links (some archivers, ``cp`` without ``-a``
    onto some file systems, upload tools) turns ``liboqs.so -> liboqs.so.9`` into a text
    file holding ``liboqs.so.9``. Neither ctypes nor liboqs-python can load that. The chain
    of such files is followed to the real library in the same directory.
    """
    current = path
    for _ in range(8):  # liboqs.so -> liboqs.so.N -> liboqs.so.X.Y.Z is two steps
        try:
            if current.is_symlink() or not current.is_file():
                return None
            if current.stat().st_size > _MAX_LINK_TEXT:
                return current if current != path else None
            name = current.read_bytes().decode("utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if not name or "/" in name or "\n" in name or not (current.parent / name).exists():
            return None
        current = current.parent / name
    return None


def _flattened_link_reasons(tried: tuple[str, ...]) -> list[str]:
    """One sentence with the fix for every candidate path that is a flattened link."""
    reasons = []
    for candidate in tried:
        path = Path(candidate)
        if not path.is_absolute():
            continue
        target = _flattened_link_target(path)
        if target is None:
            continue
        reasons.append(
            f"{path} is not a library but a {path.stat().st_size}-byte text file naming "
            f"{path.read_text().strip()!r}: a symbolic link flattened by a copy. Fix: "
            f"ln -sf {target.name} {path} (where that directory is read-only, make a "
            f"prefix elsewhere whose lib/{path.name} links to {target} and set "
            "OQS_INSTALL_PATH to it)"
        )
    return reasons


def _probe() -> _Probe:
    tried = candidates()
    for path in tried:
        try:
            handle = ctypes.CDLL(path)
            handle.OQS_version.restype = ctypes.c_char_p
            raw = handle.OQS_version()
        except (OSError, AttributeError):
            continue
        version = raw.decode("ascii", "replace") if isinstance(raw, bytes) else "unknown"
        return _Probe(tuple(tried), path, version, handle)
    return _Probe(tuple(tried))


def _loaded_path(path: str) -> str:
    """The file behind ``path``; a bare soname (from find_library) is resolved via /proc."""
    if os.path.isabs(path):
        return str(Path(path).resolve())
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/maps").read_text().splitlines():
            fields = line.split()
            if len(fields) >= 6 and Path(fields[5]).name.startswith("liboqs"):
                return str(Path(fields[5]).resolve())
    return path


def _read_build_flags(library_path: str) -> list[tuple[str, str]]:
    """Build settings from the oqsconfig.h installed beside the library, where readable."""
    header = Path(library_path).parent.parent / "include" / "oqs" / "oqsconfig.h"
    try:
        text = header.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return [("build_flags", f"unreadable (no {header})")]
    defines = dict(re.findall(r"^#define\s+(\w+)(?:[ \t]+(.*?))?\s*$", text, re.MULTILINE))
    flags: list[tuple[str, str]] = []
    for key, label in (
        ("CMAKE_BUILD_TYPE", "build_type"),
        ("OQS_COMPILE_BUILD_TARGET", "build_target"),
        ("OQS_OPT_TARGET", "opt_target"),
    ):
        if key in defines:
            flags.append((label, defines[key].strip('"')))
    flags.append(("dist_build", "yes" if "OQS_DIST_BUILD" in defines else "no"))
    flags.append(("uses_openssl", "yes" if "OQS_USE_OPENSSL" in defines else "no"))
    instructions = sorted(
        m.group(1) for k in defines if (m := re.fullmatch(r"OQS_USE_(\w+)_INSTRUCTIONS", k))
    )
    flags.append(("compiled_cpu_extensions", ",".join(instructions) or "none"))
    optimised = sorted(
        k.removeprefix("OQS_ENABLE_")
        for k in defines
        if re.fullmatch(r"OQS_ENABLE_(KEM|SIG)_\w+_(avx2|x86_64|aarch64|neon)", k)
    )
    flags.append(("optimised_variants", ",".join(optimised) or "none"))
    common = header.with_name("common.h")
    with contextlib.suppress(OSError):
        block = re.search(r"OQS_CPU_EXT_INIT,(.*?)OQS_CPU_EXT_COUNT", common.read_text(), re.S)
        if block:
            flags.append(("cpu_extension_enum", block.group(1)))
    return flags


def _runtime_cpu_extensions(handle: ctypes.CDLL, flags: list[tuple[str, str]]) -> str | None:
    """CPU extensions a distributable build detects at run time (OQS_CPU_has_extension).

    Only a dist build (OQS_DIST_BUILD) dispatches at run time; other builds use the
    extensions they were compiled for, and the function then returns 0 for every one.
    """
    enum_text = dict(flags).get("cpu_extension_enum")
    if dict(flags).get("dist_build") != "yes":
        return None
    if enum_text is None or not hasattr(handle, "OQS_CPU_has_extension"):
        return None
    names = re.findall(r"OQS_CPU_EXT_(\w+)", enum_text)
    return ",".join(n for i, n in enumerate(names, start=1) if handle.OQS_CPU_has_extension(i))


def _import_oqs() -> tuple[ModuleType, list[str]]:
    """Import liboqs-python quietly: no stdout line, warnings returned rather than shown."""
    logging.getLogger("oqs.oqs").disabled = True
    with (
        warnings.catch_warnings(record=True) as caught,
        contextlib.redirect_stdout(io.StringIO()),
    ):
        warnings.simplefilter("always")
        import oqs
    return oqs, [str(w.message) for w in caught]


def _unavailable(reason: str, version: str | None = None) -> BackendStatus:
    return unavailable(NAME, LANGUAGE, LIBRARY, reason, version)


def _fix(wrapper_version: str | None = None) -> str:
    """How to install liboqs; the release tag matches liboqs-python's version when known."""
    match = re.match(r"\d+\.\d+\.\d+", wrapper_version or "")
    release = f"release {match.group(0)} of " if match else ""
    return (
        f"build {release}liboqs from its source as a shared library, following liboqs's "
        f"own build instructions ({DOCS_URL}), and install it to ~/_oqs or set "
        "OQS_INSTALL_PATH to its install prefix"
    )


@cache
def status() -> BackendStatus:
    """liboqs's version, liboqs-python's version and build flags; or why it is unavailable."""
    if importlib.util.find_spec("oqs") is None:
        return _unavailable(
            "liboqs-python is not installed; fix: pip install liboqs-python, then " + _fix() + "."
        )
    try:
        wrapper_version = importlib.metadata.version("liboqs-python")
    except importlib.metadata.PackageNotFoundError:
        wrapper_version = "unknown"
    probe = _probe()
    if probe.path is None or probe.handle is None:
        looked = ", ".join(
            [
                "ctypes.util.find_library('liboqs') and find_library('oqs') "
                "(ldconfig cache, LD_LIBRARY_PATH)",
                *probe.tried,
            ]
        )
        flattened = _flattened_link_reasons(probe.tried)
        if flattened:
            return _unavailable(
                f"liboqs (the C library) is there but cannot be loaded: {'; '.join(flattened)}."
            )
        return _unavailable(
            "liboqs (the C library) is not installed: liboqs-python "
            f"{wrapper_version} is, but no liboqs shared library loaded (looked for: {looked}). "
            f"Fix: {_fix(wrapper_version)}. (pqc does not import liboqs-python without it: "
            "that import would try to download and build liboqs.)"
        )
    try:
        oqs, caught = _import_oqs()
    except (Exception, SystemExit) as exc:  # SystemExit: liboqs-python's failed auto-install
        return _unavailable(
            f"liboqs {probe.version} loaded from {probe.path}, but importing liboqs-python "
            f"{wrapper_version} failed ({type(exc).__name__}: {exc}); fix: reinstall "
            f"liboqs-python or {_fix(wrapper_version)}."
        )
    library_version = str(oqs.oqs_version())
    real_path = _loaded_path(probe.path)
    flags = _read_build_flags(real_path)
    details: list[tuple[str, str]] = [
        ("liboqs", library_version),
        ("liboqs-python", wrapper_version),
        ("library_path", real_path),
    ]
    details += [(k, v) for k, v in flags if k != "cpu_extension_enum"]
    runtime = _runtime_cpu_extensions(probe.handle, flags)
    if runtime is not None:
        details.append(("runtime_cpu_extensions", runtime))
    details.append(("enabled_kems", ",".join(oqs.get_enabled_kem_mechanisms())))
    details.append(("enabled_signatures", ",".join(oqs.get_enabled_sig_mechanisms())))
    if caught:
        details.append(("warnings", " | ".join(caught)))
    version = f"liboqs {library_version} (liboqs-python {wrapper_version})"
    return usable(NAME, LANGUAGE, LIBRARY, version, dict(details))


def _oqs() -> Any:
    """The imported liboqs-python module; only after :func:`status` said liboqs is there."""
    current = status()
    if not current.available:
        raise BackendUnavailableError(f"backend {NAME!r} is unavailable: {current.reason}")
    import oqs

    return oqs


# ---------------------------------------------------------------- KEMs
class LiboqsKEM(KEMImplementation):
    """A liboqs KEM (ML-KEM, HQC): liboqs's expanded secret keys.

    Calls liboqs through :class:`~pqc.backends.liboqs_native.KEMBinding`: safe to
    share between threads, no buffer allocated per call.
    """

    _seed_size = 0  # the length of a seed secret key (ML-KEM: 64), 0 where there is none

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        _oqs()  # raises BackendUnavailableError before any library call
        self._native = KEMBinding(native_name)

    def _keygen(self) -> tuple[bytes, bytes]:
        return self._native.keypair()

    def _encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        try:
            return self._native.encaps(public_key)
        except RuntimeError as exc:  # ML-KEM: FIPS 203 modulus check on the public key
            raise InvalidKeyError(
                f"liboqs rejected the {self.name} public key (not a valid encoding: {exc})."
            ) from exc

    def _expand_seed(self, seed: bytes) -> bytes:
        """The expanded secret key of a seed secret key (only where ``_seed_size`` is set)."""
        raise InvalidKeyError(f"{self.name} has no seed form of its secret key.")

    def _decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        if len(secret_key) == self._seed_size:  # a seed: expanded once, then from the cache
            secret_key = self._expand_seed(secret_key)
        try:
            return self._native.decaps(secret_key, ciphertext)
        except RuntimeError as exc:  # ML-KEM: FIPS 203 hash check H(ek) on the secret key
            raise InvalidKeyError(
                f"liboqs rejected the {self.name} secret key ({exc}; for ML-KEM: the "
                "hash of the public key embedded in it does not match, FIPS 203 section 7.3)."
            ) from exc


class LiboqsMLKEM(LiboqsKEM):
    """ML-KEM: expanded secret keys from keygen; decaps also takes the 64-byte seed d||z."""

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._seed_size = self._native.lengths["keypair_seed"]
        # A seed secret key is expanded once (a keygen) and the expanded key kept.
        self._expanded: KeyCache[bytes, bytes] = KeyCache(self._expand)

    def _expand(self, seed: bytes) -> bytes:
        return self._native.keypair_from_seed(seed)[1]

    @property
    def secret_key_sizes(self) -> tuple[int, ...]:
        return (self.algorithm.secret_key_size, self.algorithm.seed_size or 64)

    @property
    def supports_seed(self) -> bool:
        return True

    def _expand_seed(self, seed: bytes) -> bytes:
        return self._expanded.get(seed)

    def _keygen_from_seed(self, seed: bytes) -> tuple[bytes, bytes]:
        return self._native.keypair_from_seed(seed)


# ---------------------------------------------------------------- signatures
class LiboqsSignature(SignatureImplementation):
    """A liboqs signature scheme (ML-DSA, FN-DSA/Falcon, SLH-DSA), empty context.

    Calls liboqs through :class:`~pqc.backends.liboqs_native.SignatureBinding`:
    safe to share between threads, no buffer allocated per call.
    """

    def __init__(self, algorithm: Algorithm, status: BackendStatus, native_name: str) -> None:
        super().__init__(algorithm, status, native_name)
        self._oqs = _oqs()
        self._native = SignatureBinding(native_name)
        self._context_support = bool(self._oqs.sig_supports_context(native_name))

    @property
    def supports_context(self) -> bool:
        """True when the scheme takes a FIPS 204/205 context string (ML-DSA, SLH-DSA)."""
        return self._context_support

    def _keygen(self) -> tuple[bytes, bytes]:
        return self._native.keypair()

    def _sign(self, secret_key: bytes, message: bytes) -> bytes:
        return self._native.sign(secret_key, message)

    def _verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        return self._native.verify(public_key, message, signature)

    def _sign_with_context(self, secret_key: bytes, message: bytes, context: bytes) -> bytes:
        # liboqs's only failure here (RuntimeError) becomes InvalidKeyError in the public method
        return self._native.sign(secret_key, message, context)

    def _verify_with_context(
        self, public_key: bytes, message: bytes, signature: bytes, context: bytes
    ) -> bool:
        return self._native.verify(public_key, message, signature, context)


# ---------------------------------------------------------------- known answers
# liboqs publishes the SHA-256 of the first NIST KAT response of each algorithm; pqc ships
# them (with their source) in this data file and reproduces them through kat_operations.
KAT_DIGESTS = "data/liboqs_kats.json"


def kat_operations(kind: str, native_name: str) -> Any:
    """Operations whose randomness a known-answer run can redirect (process-wide!)."""
    from pqc.backends.liboqs_kat import operations

    return operations(_oqs(), kind, native_name)


# ---------------------------------------------------------------- entry points
def supports(algorithm: Algorithm, native_name: str) -> bool:
    """True when the loaded liboqs build enables ``native_name`` (minimal builds may not)."""
    if not status().available:
        return False
    oqs = _oqs()
    enabled = (
        oqs.get_enabled_kem_mechanisms()
        if algorithm.kind == "kem"
        else oqs.get_enabled_sig_mechanisms()
    )
    return native_name in enabled


def unsupported_reason(algorithm: Algorithm, native_name: str) -> str | None:
    """Why the loaded liboqs cannot run ``native_name``, or None when it can.

    A build made without the algorithm (``OQS_MINIMAL_BUILD``) is "not enabled in the
    loaded build"; a name liboqs does not know at all (another release) says so.
    """
    if supports(algorithm, native_name):
        return None
    if not status().available:
        return f"backend {NAME!r} is unavailable: {status().reason}"
    oqs = _oqs()
    known = (
        oqs.get_supported_kem_mechanisms()
        if algorithm.kind == "kem"
        else oqs.get_supported_sig_mechanisms()
    )
    version = dict(status().details).get("liboqs", "?")
    others = ", ".join(b for b in algorithm.backends if b != NAME) or "none"
    if native_name in known:
        return (
            f"not enabled in the loaded liboqs {version} build: it was built without "
            f"{native_name} ({algorithm.name}; a minimal build, OQS_MINIMAL_BUILD). Rebuild "
            f"liboqs with it enabled, or use another backend: {others}."
        )
    return (
        f"liboqs {version} has no algorithm named {native_name} ({algorithm.name}); "
        f"other backends: {others}."
    )


def implementation(
    algorithm: Algorithm, native_name: str
) -> KEMImplementation | SignatureImplementation:
    """The liboqs implementation of ``algorithm`` (``native_name`` is liboqs's name for it)."""
    reason = unsupported_reason(algorithm, native_name)
    if reason is not None:
        raise UnsupportedAlgorithmError(reason)
    if algorithm.kind == "kem":
        cls: type[KEMImplementation] = LiboqsMLKEM if algorithm.family == "ML-KEM" else LiboqsKEM
        return cls(algorithm, status(), native_name)
    return LiboqsSignature(algorithm, status(), native_name)


__all__ = [
    "CAPABILITIES",
    "KAT_DIGESTS",
    "NAME",
    "LiboqsKEM",
    "LiboqsMLKEM",
    "LiboqsSignature",
    "candidates",
    "implementation",
    "install_dir",
    "kat_operations",
    "status",
    "supports",
    "unsupported_reason",
]


# ---------------------------------------------------------------- capabilities
def _findings(selected: Sequence[Implementation]) -> Sequence[Observation]:
    return liboqs_findings.findings(selected, _oqs())


CAPABILITIES = Capabilities(
    supports=supports,
    unsupported_reason=unsupported_reason,
    findings=_findings,
    published_kats=PublishedKATs(KAT_DIGESTS, kat_operations),
    signs_fast=True,
    thread_safety=THREAD_SAFETY,
    native_entry_symbols=ENTRY_POINTS,
    packages=("liboqs-python",),
)
