"""The TLS stack: OpenSSL 4 as bundled with cryptography, driven through pyOpenSSL.

The few calls pyOpenSSL does not wrap (the groups list, the negotiated group,
the message callback) go through cryptography's own binding of the same
library, on the raw pointers pyOpenSSL holds.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.bindings.openssl.binding import Binding
from OpenSSL import SSL, crypto

from pqc.errors import BackendError, InvalidArgumentError
from pqc.tls.catalog import Group, groups

_lib: Any = Binding.lib
_ffi: Any = Binding.ffi

MessageCallback = Callable[[bool, int, bytes], None]


def library_version() -> str:
    """The OpenSSL that runs the handshakes, e.g. ``"OpenSSL 4.0.3 29 Sep 2026"``."""
    return SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode("ascii", "replace")


def new_context() -> SSL.Context:
    """A TLS 1.3-only context."""
    context = SSL.Context(SSL.TLS_METHOD)
    context.set_min_proto_version(SSL.TLS1_3_VERSION)
    context.set_max_proto_version(SSL.TLS1_3_VERSION)
    return context


def set_groups(context: SSL.Context, names: str) -> bool:
    """Restrict ``context`` to the colon-separated OpenSSL group ``names``; False if refused."""
    return bool(_lib.SSL_CTX_set1_curves_list(context._context, names.encode("ascii")) == 1)


@cache
def offered_groups() -> tuple[Group, ...]:
    """The groups of :func:`pqc.tls.catalog.groups` the loaded OpenSSL accepts."""
    probe = new_context()
    return tuple(g for g in groups() if set_groups(probe, g.stack_name))


def negotiated_group(connection: SSL.Connection) -> str | None:
    """The group OpenSSL reports for a finished handshake (``SSL_get0_group_name``)."""
    name = _lib.SSL_get0_group_name(connection._ssl)
    return None if name == _ffi.NULL else str(_ffi.string(name).decode("ascii"))


def verify_result(connection: SSL.Connection) -> int:
    """``SSL_get_verify_result``: 0 (X509_V_OK) when the peer's chain verified."""
    return int(_lib.SSL_get_verify_result(connection._ssl))


def require_host(connection: SSL.Connection, host: str) -> None:
    """Make certificate verification also check the leaf's subjectAltName against ``host``."""
    param = _lib.SSL_get0_param(connection._ssl)
    if _lib.X509_VERIFY_PARAM_set1_host(param, host.encode("ascii"), len(host)) != 1:
        raise BackendError(f"OpenSSL refused the host name {host!r} for verification.")


def watch_messages(context: SSL.Context, callback: MessageCallback) -> Any:
    """Call ``callback(sent, content_type, message)`` for every TLS message on connections of
    ``context`` (OpenSSL's message callback: plaintext handshake messages, record headers).

    Returns the native callback handle; keep it referenced while connections live.
    """

    def forward(write_p: int, _version: int, content_type: int, buf: Any, size: int,
                _ssl: Any, _arg: Any) -> None:  # fmt: skip
        callback(bool(write_p), int(content_type), bytes(_ffi.buffer(buf, size)))

    native = _ffi.callback("void(int, int, int, const void *, size_t, SSL *, void *)", forward)
    _lib.SSL_CTX_set_msg_callback(context._context, native)
    return native


def load_certificate(der: bytes) -> x509.Certificate:
    """A certificate as pyOpenSSL wants it (cryptography's object)."""
    return x509.load_der_x509_certificate(der)


def use_private_key(context: SSL.Context, pem: bytes) -> None:
    """Give ``context`` the PKCS#8 PEM key. OpenSSL's own loader parses it, because
    cryptography cannot load every key type OpenSSL serves (SM2); pyOpenSSL's warning
    about its own key objects is therefore silenced here."""
    try:
        key = crypto.load_privatekey(crypto.FILETYPE_PEM, pem)
    except crypto.Error as exc:
        raise InvalidArgumentError(f"OpenSSL cannot load this private key: {exc}.") from exc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.use_privatekey(key)
