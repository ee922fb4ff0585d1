"""Shared SM2 machinery for the GM/SM backends: curve constants, point checks, encodings, Z_A.

Nothing here imports a third-party library; hash functions are passed in, so
each backend hashes with its own SM3 (pure Python or GmSSL's C).
"""
