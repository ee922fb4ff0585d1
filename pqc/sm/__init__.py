"""Everything about SM2/curveSM2 and SM9 that is not a library call, in one place.

- :mod:`pqc.sm.curve`: curve constants, the generator, point checks and the two
  point forms (X||Y 64 bytes, 04||X||Y 65 bytes), pure-Python arithmetic;
- :mod:`pqc.sm.keys`: key ranges and random scalars as GB/T 32918 asks, and the
  checks backends raise errors from;
- :mod:`pqc.sm.digest`: Z_A, the signed digest e, the encryption check C3;
- :mod:`pqc.sm.der`: DER <-> r||s signatures and C1C3C2 ciphertexts;
- :mod:`pqc.sm.sm9`: SM9 constants and the key encodings GmSSL uses.

Nothing here loads a third-party library (GmSSL's point functions are bound in
:mod:`pqc.backends.gmssl_z256`); hash functions are passed in, so each backend
hashes with its own SM3.
"""
