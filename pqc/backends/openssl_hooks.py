"""What pqc's checks call in OpenSSL (pyca/cryptography) beside the one interface.

- :func:`secret_target`: the public key OpenSSL derives from a chosen private
  key (X25519, Ed25519: the 32-byte key; P-256: the scalar d), for the leak
  screen's key-generation classes;
- :data:`GM_PRIMITIVES`: OpenSSL's SM3 and SM4 (it has no SM2), for the GM
  standards' examples.
"""

from __future__ import annotations

from pqc.backends.capabilities import GMPrimitives, Implementation, SecretTarget

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def _x25519(secret: bytes) -> object:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    return X25519PrivateKey.from_private_bytes(secret).public_key().public_bytes_raw()


def _ed25519(secret: bytes) -> object:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(secret).public_key().public_bytes_raw()


def _p256(secret: bytes) -> object:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.derive_private_key(int.from_bytes(secret, "big"), ec.SECP256R1())
    return key.public_key().public_numbers()


def secret_target(impl: Implementation) -> SecretTarget | None:
    """OpenSSL's private -> public key computation for ``impl``'s algorithm, where reachable."""
    if impl.name == "X25519":
        return SecretTarget(32, _x25519, "X25519 public key from the private key")
    if impl.name == "Ed25519":
        return SecretTarget(32, _ed25519, "Ed25519 public key from the private key")
    if impl.name in ("ECDH-P256", "ECDSA-P256"):
        return SecretTarget(32, _p256, "P-256 public key d*G from the scalar d", limit=P256_ORDER)
    return None


def _sm3(data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes

    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def _sm4_encrypt_block(key: bytes, block: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


GM_PRIMITIVES = GMPrimitives(sm3=_sm3, sm4_encrypt_block=_sm4_encrypt_block)
