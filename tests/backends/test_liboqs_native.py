"""The direct liboqs binding: lengths checked against liboqs's own before any call, output
buffers reused within a thread and never shared between threads, outputs copied out."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import pqc
from pqc.backends import liboqs
from pqc.errors import InvalidArgumentError

pytestmark = pytest.mark.skipif(
    not liboqs.status().available, reason=f"liboqs unavailable: {liboqs.status().reason}"
)


def _binding(name: str = "ML-KEM-768") -> Any:
    return pqc.api.implementation(name, "liboqs")._native  # type: ignore[union-attr]


@pytest.mark.parametrize("short", [1183, 1185, 0])
def test_wrong_length_public_key_never_reaches_liboqs(short: int) -> None:
    with pytest.raises(InvalidArgumentError, match="1184 bytes for liboqs"):
        _binding().encaps(b"\x01" * short)


def test_wrong_length_secret_key_and_ciphertext_are_refused() -> None:
    binding = _binding()
    pk, sk = binding.keypair()
    ct, _ = binding.encaps(pk)
    with pytest.raises(InvalidArgumentError, match="secret key"):
        binding.decaps(sk[:-1], ct)
    with pytest.raises(InvalidArgumentError, match="ciphertext"):
        binding.decaps(sk, ct + b"\x00")
    signer = _binding("ML-DSA-65")
    with pytest.raises(InvalidArgumentError, match="secret key"):
        signer.sign(b"\x00" * 10, b"m")
    spk, _ = signer.keypair()
    assert signer.verify(spk, b"m", b"") is False  # an empty signature is not a call


def test_buffers_are_reused_in_a_thread_and_separate_between_threads() -> None:
    binding = _binding()
    mine = binding._out.public_key
    binding.keypair()
    assert binding._out.public_key is mine
    theirs: list[object] = []

    def other_thread() -> None:
        binding.keypair()
        theirs.append(binding._out.public_key)

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert theirs and theirs[0] is not mine and len(theirs[0]) == len(mine)  # type: ignore[arg-type]


def test_secret_buffers_are_cleansed_when_their_thread_ends() -> None:
    binding = _binding()
    kept: list[object] = []

    def other_thread() -> None:
        binding.keypair()
        kept.append(binding._out.secret_key)  # outlives the thread's buffer set

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    del worker
    import gc

    gc.collect()
    assert kept and bytes(kept[0]) == bytes(len(kept[0]))  # type: ignore[arg-type]


def test_outputs_are_copies_not_views_of_the_reused_buffers() -> None:
    binding = _binding()
    first_pk, first_sk = binding.keypair()
    second_pk, second_sk = binding.keypair()
    assert type(first_pk) is bytes and first_pk != second_pk and first_sk != second_sk
    assert len(first_pk) == 1184 and len(first_sk) == 2400
