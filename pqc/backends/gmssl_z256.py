"""curveSM2 scalar multiplication in C, from the GmSSL 3.2 that gmssl-pyx bundles.

gmssl-pyx's Python API offers no ECDH, but its extension module is GmSSL
statically linked with the ``sm2_z256_*`` point functions exported. This module
binds the five it needs with ctypes:

- ``sm2_z256_from_bytes(k, in32)``: a big-endian scalar into GmSSL's 4x64-bit form;
- ``sm2_z256_point_from_bytes(P, in64)``: X||Y into a point; returns 1 only for a
  point on the curve (-1 otherwise, with a debug line on fd 2);
- ``sm2_z256_point_mul(R, k, P)``: R = k*P;
- ``sm2_z256_point_to_bytes(P, out64)``: the affine X||Y of P;
- ``sm2_z256_point_mul_generator(R, k)``: R = k*G, the computation GmSSL's
  ``sm2_key_generate`` does (used by ``pqc leak`` to feed it chosen secrets).

The layout (``sm2_z256_t`` = ``uint64_t[4]``, ``SM2_Z256_POINT`` = three of
them, Jacobian) is GmSSL 3.2's; :func:`binding` checks the symbols are there
and the answer for the generator is right before anything uses it.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import cache
from typing import Any

from pqc.errors import BackendUnavailableError
from pqc.sm import curve

_Z256 = ctypes.c_uint64 * 4


class _Point(ctypes.Structure):
    _fields_ = [("X", _Z256), ("Y", _Z256), ("Z", _Z256)]


@dataclass(frozen=True)
class Z256:
    """The bound GmSSL functions (see the module docstring)."""

    lib: Any

    def multiply(self, scalar: bytes, point_xy: bytes) -> bytes | None:
        """k*P as X||Y (64 bytes) for a 32-byte big-endian k and a 64-byte X||Y point.

        Returns None when ``point_xy`` is not on curveSM2. The caller keeps
        GmSSL's debug line off the terminal (it prints one for such a point).
        """
        k = _Z256()
        self.lib.sm2_z256_from_bytes(k, scalar)
        p = _Point()
        if self.lib.sm2_z256_point_from_bytes(ctypes.byref(p), point_xy) != 1:
            return None
        r = _Point()
        self.lib.sm2_z256_point_mul(ctypes.byref(r), k, ctypes.byref(p))
        return self._affine(r)

    def multiply_generator(self, scalar: bytes) -> bytes:
        """k*G as X||Y (64 bytes) for a 32-byte big-endian k, as GmSSL's key generation."""
        k = _Z256()
        self.lib.sm2_z256_from_bytes(k, scalar)
        r = _Point()
        self.lib.sm2_z256_point_mul_generator(ctypes.byref(r), k)
        return self._affine(r)

    def _affine(self, point: _Point) -> bytes:
        out = ctypes.create_string_buffer(64)
        self.lib.sm2_z256_point_to_bytes(ctypes.byref(point), out)
        return out.raw


def _bind(path: str) -> Z256:
    lib = ctypes.CDLL(path)
    z256_ptr = ctypes.POINTER(ctypes.c_uint64)
    point_ptr = ctypes.POINTER(_Point)
    lib.sm2_z256_from_bytes.argtypes = [z256_ptr, ctypes.c_char_p]
    lib.sm2_z256_from_bytes.restype = None
    lib.sm2_z256_point_from_bytes.argtypes = [point_ptr, ctypes.c_char_p]
    lib.sm2_z256_point_from_bytes.restype = ctypes.c_int
    lib.sm2_z256_point_mul.argtypes = [point_ptr, z256_ptr, point_ptr]
    lib.sm2_z256_point_mul.restype = None
    lib.sm2_z256_point_to_bytes.argtypes = [point_ptr, ctypes.c_char_p]
    lib.sm2_z256_point_to_bytes.restype = None
    lib.sm2_z256_point_mul_generator.argtypes = [point_ptr, z256_ptr]
    lib.sm2_z256_point_mul_generator.restype = None
    return Z256(lib)


@cache
def binding() -> Z256:
    """The GmSSL point functions of the installed gmssl-pyx, checked on 2*G.

    Raises :class:`BackendUnavailableError` when the extension does not export
    them or computes a wrong answer (a gmssl-pyx built on another GmSSL layout).
    """
    try:
        import gmssl_pyx.gmsslext as extension

        bound = _bind(str(extension.__file__))
    except (ImportError, OSError, AttributeError) as exc:
        raise BackendUnavailableError(
            f"gmssl-pyx's bundled GmSSL does not export the sm2_z256 point functions ({exc}); "
            "fix: pip install gmssl-pyx==2.1.0 (GmSSL 3.2.0), or use backend 'gmssl-ecdh'."
        ) from exc
    two = (2).to_bytes(curve.SCALAR_SIZE, "big")
    doubled = curve.point_add(curve.GENERATOR, curve.GENERATOR)
    expected = curve.encode_xy(doubled) if doubled is not None else None
    if not bound.multiply(two, curve.GENERATOR_XY) == bound.multiply_generator(two) == expected:
        raise BackendUnavailableError(
            "gmssl-pyx's bundled GmSSL gave a wrong 2*G through sm2_z256_point_mul (an "
            "unexpected GmSSL layout); fix: pip install gmssl-pyx==2.1.0, or use 'gmssl-ecdh'."
        )
    return bound
