"""Hybrid (post-quantum + classical) KEMs composed from any backends of their parts.

Byte layouts follow the TLS 1.3 groups: see each catalog entry's ``construction``
and :mod:`pqc.hybrid.kem`.
"""

from pqc.hybrid.compose import compose, hybrid_algorithms
from pqc.hybrid.kem import HybridKEM

__all__ = ["HybridKEM", "compose", "hybrid_algorithms"]
