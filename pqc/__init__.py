"""pqc: test and time post-quantum, SM and classical public-key cryptography side by side.

    >>> import pqc
    >>> kem = pqc.kem("ML-KEM-768")
    >>> pk, sk = kem.keygen()
    >>> ct, ss = kem.encaps(pk)
    >>> kem.decaps(sk, ct) == ss
    True
"""

from pqc.api import algorithms, available_backends, backends, implementation, kem, signature
from pqc.backends.base import BackendStatus, KEMImplementation, SignatureImplementation
from pqc.catalog import Algorithm, lookup
from pqc.errors import (
    BackendError,
    BackendUnavailableError,
    DecryptionError,
    InvalidArgumentError,
    InvalidCiphertextError,
    InvalidKeyError,
    PQCError,
    ResultFormatError,
    UnknownAlgorithmError,
    UnknownBackendError,
    UnsupportedAlgorithmError,
    UnsupportedOperationError,
)

__version__ = "0.1.0"

__all__ = [
    "Algorithm",
    "BackendError",
    "BackendStatus",
    "BackendUnavailableError",
    "DecryptionError",
    "InvalidArgumentError",
    "InvalidCiphertextError",
    "InvalidKeyError",
    "KEMImplementation",
    "PQCError",
    "ResultFormatError",
    "SignatureImplementation",
    "UnknownAlgorithmError",
    "UnknownBackendError",
    "UnsupportedAlgorithmError",
    "UnsupportedOperationError",
    "__version__",
    "algorithms",
    "available_backends",
    "backends",
    "implementation",
    "kem",
    "lookup",
    "signature",
]
