"""Backends describe themselves: the GM building blocks each GM backend declares."""

from __future__ import annotations

import pytest

from pqc.backends import backend_capabilities
from pqc.backends.capabilities import GMPrimitives

# What each backend's library offers for the GM standards' examples (pqc verify --gm).
DECLARED = {
    "botan": {"sm3", "sm4_encrypt_block", "sm2_sign_with_nonce", "sm2_encrypt_with_nonce",
              "sm2_decrypt"},
    "gmssl": {"sm3", "sm4_encrypt_block", "sm2_sign_with_nonce", "sm2_encrypt_with_nonce",
              "sm2_decrypt"},
    "gmssl-native": {"sm3", "sm4_encrypt_block", "sm2_decrypt", "sm9_encryption_key"},
}  # fmt: skip


@pytest.mark.parametrize("backend", sorted(DECLARED))
def test_gm_backends_declare_their_building_blocks(backend: str) -> None:
    primitives = backend_capabilities(backend).gm_primitives
    assert primitives is not None
    offered = {name for name, value in vars(primitives).items() if value is not None}
    assert offered == DECLARED[backend]


def test_named_in_takes_only_functions_of_the_field_names() -> None:
    def sm3(data: bytes) -> bytes:
        return data

    found = GMPrimitives.named_in({"sm3": sm3, "sm2_decrypt": "not a function", "other": sm3})
    assert found == GMPrimitives(sm3=sm3)
