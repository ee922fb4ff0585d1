"""liboqs called directly, through the library liboqs-python loaded (``oqs.native()``).

liboqs-python's ``KeyEncapsulation``/``Signature`` objects keep the last key
pair inside themselves (one object shared by threads hands out mixed and
duplicated keys) and allocate every buffer on every call. pqc calls liboqs's
own functions instead, with ctypes:

- one ``OQS_KEM``/``OQS_SIG`` descriptor per object, made by ``OQS_KEM_new`` /
  ``OQS_SIG_new``: liboqs never writes to it after creation, so it is shared by
  every thread (and freed when the object goes);
- inputs are the caller's ``bytes`` themselves (ctypes passes a pointer to the
  object's buffer, no copy): every length is checked *before* the call, here
  against liboqs's own lengths, so liboqs never reads past an input or sees a
  zero-padded one;
- outputs go to buffers kept **per thread** (a :class:`threading.local`) and are
  copied into new ``bytes``: no allocation per call, and no two threads ever
  write to the same buffer (ctypes releases the GIL during the call, so
  threads do run liboqs at the same time). The buffers holding secret keys
  and shared secrets are zeroed with ``OQS_MEM_cleanse`` when their thread or
  object goes away; until then they hold that thread's last output.

Every function called here is a generic liboqs entry point
(``OQS_KEM_encaps``, ``OQS_SIG_sign``, ...), the same a C program calls, so
instruction counts toggled on them compare with a C loop like for like.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pqc.errors import BackendError, InvalidArgumentError

SUCCESS = 0  # OQS_SUCCESS

_P = ctypes.c_void_p
_N = ctypes.c_size_t

# name -> (restype, argtypes) of every liboqs function this module calls. The KEM
# operations take only pointers and are called with ctypes objects and bytes
# (each passed as a pointer), so they go without argtypes: converting four
# arguments cost 2.5 k instructions per call (ML-KEM-768 encaps: 133.5 k).
_PROTOTYPES: dict[str, tuple[Any, tuple[Any, ...] | None]] = {
    "OQS_KEM_new": (_P, (ctypes.c_char_p,)),
    "OQS_KEM_free": (None, (_P,)),
    "OQS_KEM_keypair": (ctypes.c_int, None),
    "OQS_KEM_keypair_derand": (ctypes.c_int, None),
    "OQS_KEM_encaps": (ctypes.c_int, None),
    "OQS_KEM_decaps": (ctypes.c_int, None),
    "OQS_SIG_new": (_P, (ctypes.c_char_p,)),
    "OQS_SIG_free": (None, (_P,)),
    "OQS_SIG_keypair": (ctypes.c_int, (_P, _P, _P)),
    "OQS_SIG_sign": (ctypes.c_int, (_P, _P, ctypes.POINTER(_N), _P, _N, _P)),
    "OQS_SIG_sign_with_ctx_str": (
        ctypes.c_int,
        (_P, _P, ctypes.POINTER(_N), _P, _N, _P, _N, _P),
    ),
    "OQS_SIG_verify": (ctypes.c_int, (_P, _P, _N, _P, _N, _P)),
    "OQS_SIG_verify_with_ctx_str": (ctypes.c_int, (_P, _P, _N, _P, _N, _P, _N, _P)),
    "OQS_MEM_cleanse": (None, (_P, _N)),
}

# Callgrind patterns for the per-algorithm functions each generic one tail-jumps
# to (OQS_KEM_encaps -> OQS_KEM_ml_kem_768_encaps). None calls another: the
# seeded variants (``*_keypair_derand``, ``*_encaps_derand``) and the context
# variants are not matched.
ENTRY_POINTS = (
    "OQS_KEM_*_keypair",
    "OQS_KEM_*_encaps",
    "OQS_KEM_*_decaps",
    "OQS_SIG_*_keypair",
    "OQS_SIG_*_sign",
    "OQS_SIG_*_verify",
)


THREAD_SAFETY = (
    "safe to share: one read-only liboqs descriptor per object, output buffers per "
    "thread, the caller's bytes as inputs"
)


class Functions:
    """liboqs's functions with their C prototypes, bound from one loaded library.

    Each is a fresh ctypes function object (``library[name]``), so setting its
    prototype does not change the ones liboqs-python itself uses.
    """

    def __init__(self, library: ctypes.CDLL) -> None:
        for name, (restype, argtypes) in _PROTOTYPES.items():
            function = library[name]
            function.restype = restype
            if argtypes is not None:
                function.argtypes = argtypes
            setattr(self, name, function)

    def __getattr__(self, name: str) -> Callable[..., Any]:  # typed access for mypy
        raise AttributeError(name)


@cache
def functions() -> Functions:
    """The functions of the liboqs liboqs-python loaded (import ``oqs`` only once it is there)."""
    import oqs

    return Functions(oqs.native())


class _Cleanser:
    """Zeroes secret buffers with ``OQS_MEM_cleanse`` when dropped (with its thread's buffers)."""

    def __init__(self, buffers: list[Any]) -> None:
        self._buffers = buffers
        self._cleanse = functions().OQS_MEM_cleanse

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter exit ctypes may be gone
            for buffer in self._buffers:
                self._cleanse(buffer, len(buffer))


class _Outputs(threading.local):
    """One object's output buffers, one attribute each, and a separate set in every thread.

    :class:`threading.local` runs ``__init__`` again, with the same arguments, the
    first time each thread touches the object, so no thread ever writes to
    another's buffers, and a call reaches its buffers in two attribute look-ups.
    The secret ones are cleansed when their thread or the object goes away.
    """

    # the buffers a kind has (a KEM: no signature; a signature scheme: no ciphertext)
    public_key: ctypes.Array[ctypes.c_char]
    secret_key: ctypes.Array[ctypes.c_char]
    ciphertext: ctypes.Array[ctypes.c_char]
    shared_secret: ctypes.Array[ctypes.c_char]
    signature: ctypes.Array[ctypes.c_char]

    def __init__(self, sizes: dict[str, int], secret: tuple[str, ...]) -> None:
        for name, size in sizes.items():
            setattr(self, name, (ctypes.c_char * size)())
        self.length = _N(0)
        self._cleanser = _Cleanser([getattr(self, name) for name in secret])


def _check(label: str, data: bytes, size: int) -> None:
    """Refuse ``data`` whose length is not what liboqs will read (it would over-read)."""
    if len(data) != size:
        raise InvalidArgumentError(f"{label} must be {size} bytes for liboqs, got {len(data)}.")


@dataclass(frozen=True)
class _Descriptor:
    """The fields of an ``OQS_KEM``/``OQS_SIG`` this module needs."""

    pointer: int
    lengths: dict[str, int]


def _descriptor(kind: str, native_name: str) -> _Descriptor:
    import oqs

    lib = functions()
    new = lib.OQS_KEM_new if kind == "kem" else lib.OQS_SIG_new
    pointer = new(native_name.encode())
    if not pointer:
        raise BackendError(f"liboqs could not create {native_name} (OQS_{kind.upper()}_new).")
    layout = oqs.KeyEncapsulation if kind == "kem" else oqs.Signature
    fields = ctypes.cast(pointer, ctypes.POINTER(layout)).contents
    names = (
        ("public_key", "secret_key", "ciphertext", "shared_secret", "keypair_seed")
        if kind == "kem"
        else ("public_key", "secret_key", "signature")
    )
    lengths = {name: int(getattr(fields, f"length_{name}")) for name in names}
    return _Descriptor(pointer, lengths)


class _Binding:
    """What a KEM and a signature binding share: the descriptor and the per-thread buffers."""

    _outputs: tuple[str, ...]
    _secret_outputs: tuple[str, ...]
    _keypair_function: str

    def __init__(self, kind: str, native_name: str) -> None:
        self.native_name = native_name
        self._lib = functions()
        descriptor = _descriptor(kind, native_name)
        self._pointer = ctypes.c_void_p(descriptor.pointer)  # passed as is, as a pointer
        self.lengths = descriptor.lengths
        free = self._lib.OQS_KEM_free if kind == "kem" else self._lib.OQS_SIG_free
        self._finalizer = weakref.finalize(self, free, descriptor.pointer)
        sizes = {name: self.lengths[name] for name in self._outputs}
        self._out = _Outputs(sizes, self._secret_outputs)
        self._keypair_fn = getattr(self._lib, self._keypair_function)
        self._pk_len = self.lengths["public_key"]
        self._sk_len = self.lengths["secret_key"]

    def keypair(self) -> tuple[bytes, bytes]:
        """A fresh ``(public_key, secret_key)``."""
        out = self._out
        pk, sk = out.public_key, out.secret_key
        if self._keypair_fn(self._pointer, pk, sk):  # OQS_SUCCESS is 0
            raise RuntimeError(f"{self._keypair_function} failed")
        return pk.raw, sk.raw

    def __repr__(self) -> str:
        return f"<liboqs {self.native_name} binding>"


class KEMBinding(_Binding):
    """``OQS_KEM_*`` for one algorithm. Raises RuntimeError when liboqs returns an error."""

    _outputs = ("public_key", "secret_key", "ciphertext", "shared_secret")
    _secret_outputs = ("secret_key", "shared_secret")
    _keypair_function = "OQS_KEM_keypair"

    def __init__(self, native_name: str) -> None:
        super().__init__("kem", native_name)
        self._ct_len = self.lengths["ciphertext"]
        self._encaps_fn, self._decaps_fn = self._lib.OQS_KEM_encaps, self._lib.OQS_KEM_decaps

    def keypair_from_seed(self, seed: bytes) -> tuple[bytes, bytes]:
        """``(public_key, secret_key)`` from ``length_keypair_seed`` bytes (ML-KEM: d||z)."""
        _check("seed", seed, self.lengths["keypair_seed"])
        pk, sk = self._out.public_key, self._out.secret_key
        if self._lib.OQS_KEM_keypair_derand(self._pointer, pk, sk, seed) != SUCCESS:
            raise RuntimeError("OQS_KEM_keypair_derand failed")
        return pk.raw, sk.raw

    def encaps(self, public_key: bytes) -> tuple[bytes, bytes]:
        """``(ciphertext, shared_secret)`` for ``public_key``."""
        if len(public_key) != self._pk_len:
            _check("public key", public_key, self._pk_len)
        out = self._out
        ct, ss = out.ciphertext, out.shared_secret
        if self._encaps_fn(self._pointer, ct, ss, public_key):  # OQS_SUCCESS is 0
            raise RuntimeError("OQS_KEM_encaps failed")
        return ct.raw, ss.raw

    def decaps(self, secret_key: bytes, ciphertext: bytes) -> bytes:
        """The shared secret of ``ciphertext`` under the expanded ``secret_key``."""
        if len(secret_key) != self._sk_len:
            _check("secret key", secret_key, self._sk_len)
        if len(ciphertext) != self._ct_len:
            _check("ciphertext", ciphertext, self._ct_len)
        ss = self._out.shared_secret
        if self._decaps_fn(self._pointer, ss, ciphertext, secret_key):  # OQS_SUCCESS is 0
            raise RuntimeError("OQS_KEM_decaps failed")
        return ss.raw


class SignatureBinding(_Binding):
    """``OQS_SIG_*`` for one algorithm. Raises RuntimeError when liboqs returns an error."""

    _outputs = ("public_key", "secret_key", "signature")
    _secret_outputs = ("secret_key",)
    _keypair_function = "OQS_SIG_keypair"

    def __init__(self, native_name: str) -> None:
        super().__init__("signature", native_name)
        self._sig_len = self.lengths["signature"]

    def sign(self, secret_key: bytes, message: bytes, context: bytes | None = None) -> bytes:
        """The signature of ``message``; with ``context`` through ``OQS_SIG_sign_with_ctx_str``."""
        if len(secret_key) != self._sk_len:
            _check("secret key", secret_key, self._sk_len)
        out = self._out
        signature, length = out.signature, out.length
        length.value = self._sig_len
        if context is None:
            rv = self._lib.OQS_SIG_sign(
                self._pointer, signature, length, message, len(message), secret_key
            )
        else:
            rv = self._lib.OQS_SIG_sign_with_ctx_str(
                self._pointer,
                signature,
                length,
                message,
                len(message),
                context or None,
                len(context),
                secret_key,
            )
        if rv != SUCCESS:
            raise RuntimeError("OQS_SIG_sign failed")
        raw = signature.raw
        return raw if length.value == len(raw) else raw[: length.value]

    def verify(
        self, public_key: bytes, message: bytes, signature: bytes, context: bytes | None = None
    ) -> bool:
        """True when ``signature`` (at most the maximum length) is valid for ``message``."""
        if len(public_key) != self._pk_len:
            _check("public key", public_key, self._pk_len)
        if not 0 < len(signature) <= self._sig_len:
            return False
        if context is None:
            rv = self._lib.OQS_SIG_verify(
                self._pointer, message, len(message), signature, len(signature), public_key
            )
        else:
            rv = self._lib.OQS_SIG_verify_with_ctx_str(
                self._pointer,
                message,
                len(message),
                signature,
                len(signature),
                context or None,
                len(context),
                public_key,
            )
        return bool(rv == SUCCESS)
