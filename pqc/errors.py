"""The one exception hierarchy of pqc.

Every error the library raises is a :class:`PQCError`. Messages say what was
expected, what was given, and what to do.
"""

from __future__ import annotations


class PQCError(Exception):
    """Base class of every error raised by pqc."""


class UnknownAlgorithmError(PQCError, LookupError):
    """The name matches no algorithm or alias in the catalog."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"unknown algorithm {name!r}.{hint} Run `pqc list` to see every algorithm."
        )

    def __str__(self) -> str:  # LookupError would quote the message otherwise
        return str(self.args[0])


class UnknownBackendError(PQCError, LookupError):
    """The name matches no backend pqc knows."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"unknown backend {name!r}; expected one of: {', '.join(known)}.")

    def __str__(self) -> str:
        return str(self.args[0])


class BackendUnavailableError(PQCError):
    """The backend is known but cannot be used on this machine (with the reason and fix)."""


class UnsupportedAlgorithmError(PQCError):
    """The backend exists but does not implement the algorithm (the message names those that do)."""


class UnsupportedOperationError(PQCError):
    """The implementation does not offer this operation (e.g. seeded key generation)."""


class InvalidArgumentError(PQCError, ValueError):
    """An argument has the wrong type or length."""


class InvalidKeyError(InvalidArgumentError):
    """A key is malformed: wrong length, not on the curve, not reduced, ..."""


class InvalidCiphertextError(InvalidArgumentError):
    """A ciphertext is malformed (wrong length or encoding)."""


class DecryptionError(PQCError):
    """A well-formed ciphertext failed its integrity check (SM2 C3, SM9 MAC, RSA-OAEP padding)."""


class BackendError(PQCError):
    """The underlying library failed in a way pqc did not foresee; the cause is chained."""


class ResultFormatError(PQCError):
    """A result file is unreadable, foreign, or of an unknown schema version."""


class ResultWriteError(PQCError, OSError):
    """A result, report or image could not be written to the path the user gave."""


class WorkerError(PQCError):
    """A benchmark worker process could not be started or ran another pqc than this one."""
