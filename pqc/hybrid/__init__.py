"""Hybrid (post-quantum + classical) KEMs composed from any backends of their parts.

Byte layouts follow the TLS 1.3 groups: see each catalog entry's ``construction``
and :mod:`pqc.backends.hybrid`, where :class:`HybridKEM` lives.
"""

from pqc.backends.hybrid import HybridKEM
from pqc.hybrid.compose import compose, hybrid_algorithms

__all__ = ["HybridKEM", "compose", "hybrid_algorithms"]
