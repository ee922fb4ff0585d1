"""The liboqs backend: detection without side effects, the guarded liboqs quirks,
ML-KEM seed keys, minimal builds, contexts, and catalog sizes against liboqs."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import pqc
from pqc.backends import liboqs
from pqc.catalog import all_algorithms, lookup

REPO = Path(__file__).resolve().parents[2]
LIBOQS_MISSING = f"liboqs unavailable: {liboqs.status().reason}"
needs_liboqs = pytest.mark.skipif(not liboqs.status().available, reason=LIBOQS_MISSING)


def _oqs() -> Any:
    import oqs

    return oqs


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


# ---------------------------------------------------------------- detection
def test_candidates_follow_liboqs_python_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    found = {"liboqs": "/from/find_library/liboqs.so", "oqs": "/from/find_library/oqs.so"}
    monkeypatch.setattr(liboqs.ctypes.util, "find_library", found.get)
    monkeypatch.setattr(liboqs.platform, "system", lambda: "Linux")
    monkeypatch.setenv("OQS_INSTALL_PATH", str(tmp_path))
    assert liboqs.candidates() == [
        found["liboqs"],
        found["oqs"],
        str(tmp_path / "lib" / "liboqs.so"),
        str(tmp_path / "lib64" / "liboqs.so"),
    ]
    monkeypatch.delenv("OQS_INSTALL_PATH")
    monkeypatch.setattr(liboqs.ctypes.util, "find_library", lambda name: None)
    assert liboqs.candidates()[0] == str(Path.home() / "_oqs" / "lib" / "liboqs.so")


@needs_liboqs
def test_candidates_match_liboqs_python_loader_exactly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Drive liboqs-python's own loader with a recording DLL loader and compare paths."""
    import oqs.oqs as loader

    tried: list[str] = []

    class Recorder:
        @staticmethod
        def LoadLibrary(path: str) -> None:  # ctypes' spelling
            tried.append(path)
            raise OSError("recording only")

    monkeypatch.setenv("OQS_INSTALL_PATH", str(tmp_path))
    monkeypatch.setattr(loader.ct, "cdll", Recorder)
    install = Path(os.environ["OQS_INSTALL_PATH"])
    with pytest.raises(RuntimeError):
        loader._load_shared_obj("oqs", [install / "lib", install / "lib64"])
    assert tried == liboqs.candidates()


def test_missing_liboqs_is_reported_without_importing_oqs(tmp_path: Path) -> None:
    """No 5-second countdown, no git clone, no SystemExit, no output: a reason with the fix."""
    code = (
        "import sys, json, pqc\n"
        "from pqc.backends import liboqs\n"
        "s = liboqs.status()\n"
        "print(json.dumps({'available': s.available, 'reason': s.reason,\n"
        "  'oqs_imported': 'oqs' in sys.modules,\n"
        "  'default_768': pqc.kem('ML-KEM-768').backend,\n"
        "  'names': [b.name for b in pqc.backends()]}))\n"
    )
    started = time.monotonic()
    result = _run(code, OQS_INSTALL_PATH=str(tmp_path / "nowhere"), LD_LIBRARY_PATH="")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    import json

    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, f"unexpected output: {result.stdout!r}"
    report = json.loads(lines[0])
    if report["available"]:
        pytest.skip("a system-wide liboqs is on the loader path; cannot simulate its absence")
    assert report["oqs_imported"] is False
    assert elapsed < 5, "must not run liboqs-python's install countdown"
    reason = report["reason"]
    assert "liboqs (the C library) is not installed" in reason
    assert str(tmp_path / "nowhere" / "lib" / "liboqs.so") in reason
    assert "shared library" in reason and "OQS_INSTALL_PATH" in reason
    assert "release 0.16.0 of liboqs" in reason  # the release matching liboqs-python 0.16.0.x
    assert "~/_oqs" in reason and "https://github.com/open-quantum-safe/liboqs" in reason
    assert report["default_768"] != "liboqs"
    assert "liboqs" in report["names"]


def test_flattened_symlinks_are_named_with_the_fix(tmp_path: Path) -> None:
    """A copy that flattened lib/liboqs.so -> liboqs.so.9 -> liboqs.so.0.16.0 into text files."""
    lib = tmp_path / "prefix" / "lib"
    lib.mkdir(parents=True)
    (lib / "liboqs.so.0.16.0").write_bytes(b"\x7fELF" + bytes(4096))  # stands in: never loads
    (lib / "liboqs.so.9").write_text("liboqs.so.0.16.0")
    (lib / "liboqs.so").write_text("liboqs.so.9\n")
    code = (
        "import sys, json\n"
        "from pqc.backends import liboqs\n"
        "s = liboqs.status()\n"
        "print(json.dumps({'available': s.available, 'reason': s.reason,\n"
        "  'oqs_imported': 'oqs' in sys.modules}))\n"
    )
    result = _run(code, OQS_INSTALL_PATH=str(tmp_path / "prefix"), LD_LIBRARY_PATH="")
    assert result.returncode == 0, result.stderr
    import json

    report = json.loads(result.stdout.strip().splitlines()[-1])
    if report["available"]:
        pytest.skip("a system-wide liboqs is on the loader path; cannot simulate a broken copy")
    assert report["oqs_imported"] is False
    reason = report["reason"]
    assert "not installed" not in reason
    assert "flattened" in reason and "'liboqs.so.9'" in reason
    assert f"ln -sf liboqs.so.0.16.0 {lib / 'liboqs.so'}" in reason
    assert "OQS_INSTALL_PATH" in reason


def test_ci_prefix_turns_flattened_links_into_links(tmp_path: Path) -> None:
    """.ci/liboqs-prefix links to the shared files (never copies) and repairs flattened links."""
    source = tmp_path / "shared"
    (source / "lib").mkdir(parents=True)
    (source / "include" / "oqs").mkdir(parents=True)
    (source / "lib" / "liboqs.so.0.16.0").write_bytes(bytes(4096))
    (source / "lib" / "liboqs.so.9").write_text("liboqs.so.0.16.0")
    (source / "lib" / "liboqs.so").write_text("liboqs.so.9")
    target = tmp_path / "prefix"
    done = subprocess.run(
        [str(REPO / ".ci" / "liboqs-prefix"), str(source), str(target)],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(target)
    lib = target / "lib"
    assert all((lib / n).is_symlink() for n in ("liboqs.so", "liboqs.so.9", "liboqs.so.0.16.0"))
    assert os.readlink(lib / "liboqs.so") == "liboqs.so.9"
    assert os.readlink(lib / "liboqs.so.9") == "liboqs.so.0.16.0"
    assert (lib / "liboqs.so").resolve() == (source / "lib" / "liboqs.so.0.16.0").resolve()
    assert (target / "include").resolve() == (source / "include").resolve()


@needs_liboqs
def test_import_prints_nothing() -> None:
    result = _run("import pqc; [b.available for b in pqc.backends()]; pqc.kem('HQC-128', 'liboqs')")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "faulthandler" not in result.stderr


@needs_liboqs
def test_status_records_versions_and_build() -> None:
    status = liboqs.status()
    details = dict(status.details)
    oqs = _oqs()
    assert details["liboqs"] == oqs.oqs_version()
    assert details["liboqs-python"] == oqs.oqs_python_version()
    assert (
        status.version == f"liboqs {details['liboqs']} (liboqs-python {details['liboqs-python']})"
    )
    assert status.language == "C"
    assert Path(details["library_path"]).exists()
    assert details["enabled_kems"].split(",") == list(oqs.get_enabled_kem_mechanisms())
    assert details["enabled_signatures"].split(",") == list(oqs.get_enabled_sig_mechanisms())
    if "unreadable" not in details.get("build_flags", ""):
        assert {"build_type", "build_target", "opt_target", "compiled_cpu_extensions"} <= set(
            details
        )


# ---------------------------------------------------------------- catalog vs liboqs
LIBOQS_ALGORITHMS = [a for a in all_algorithms() if "liboqs" in a.implementations]


@needs_liboqs
@pytest.mark.parametrize("algorithm", LIBOQS_ALGORITHMS, ids=lambda a: a.name)
def test_catalog_names_and_sizes_match_liboqs(algorithm: pqc.Algorithm) -> None:
    oqs = _oqs()
    native = algorithm.implementations["liboqs"]
    if algorithm.kind == "kem":
        assert native in oqs.get_supported_kem_mechanisms(), f"liboqs has no {native}"
        if native not in oqs.get_enabled_kem_mechanisms():
            pytest.skip(f"the loaded liboqs build does not enable {native}")
        with oqs.KeyEncapsulation(native) as kem:
            d = kem.details
        assert (d["length_public_key"], d["length_secret_key"]) == (
            algorithm.public_key_size,
            algorithm.secret_key_size,
        )
        assert d["length_ciphertext"] == algorithm.ciphertext_size
        assert d["length_shared_secret"] == algorithm.shared_secret_size
        assert d["claimed_nist_level"] == algorithm.nist_level
        if algorithm.seed_size:
            assert d["length_keypair_seed"] == algorithm.seed_size
    else:
        assert native in oqs.get_supported_sig_mechanisms(), f"liboqs has no {native}"
        if native not in oqs.get_enabled_sig_mechanisms():
            pytest.skip(f"the loaded liboqs build does not enable {native}")
        with oqs.Signature(native) as sig:
            d = sig.details
        assert (d["length_public_key"], d["length_secret_key"], d["length_signature"]) == (
            algorithm.public_key_size,
            algorithm.secret_key_size,
            algorithm.signature_size,
        )
        assert d["claimed_nist_level"] == algorithm.nist_level


@needs_liboqs
def test_algorithm_missing_from_a_minimal_build_is_explained() -> None:
    oqs = _oqs()
    missing = [
        n for n in oqs.get_supported_kem_mechanisms() if n not in oqs.get_enabled_kem_mechanisms()
    ]
    if not missing:
        pytest.skip("this liboqs build enables every KEM it knows (not a minimal build)")
    base = lookup("ML-KEM-512")
    fake = dataclasses.replace(base, implementations={"liboqs": missing[0]})
    assert liboqs.supports(fake, missing[0]) is False
    with pytest.raises(pqc.UnsupportedAlgorithmError, match="not enabled in the loaded") as info:
        liboqs.implementation(fake, missing[0])
    assert "OQS_MINIMAL_BUILD" in str(info.value)
    with pytest.raises(pqc.UnsupportedAlgorithmError, match="has no algorithm named"):
        liboqs.implementation(fake, "No-Such-KEM")


# ---------------------------------------------------------------- quirks guarded
@needs_liboqs
def test_short_input_is_refused_although_liboqs_would_zero_pad_it() -> None:
    oqs = _oqs()
    kem = pqc.kem("ML-KEM-768", "liboqs")
    pk, sk = kem.keygen()
    ct, _ = kem.encaps(pk)
    with oqs.KeyEncapsulation("ML-KEM-768") as raw:  # the defect being guarded
        raw_ct, _ = raw.encap_secret(pk[:-1])
        assert len(raw_ct) == kem.ciphertext_size
    with oqs.KeyEncapsulation("ML-KEM-768", sk) as raw:
        assert len(raw.decap_secret(ct[:-1])) == 32
    with pytest.raises(pqc.InvalidKeyError, match="must be 1184 bytes, got 1183"):
        kem.encaps(pk[:-1])
    with pytest.raises(pqc.InvalidCiphertextError, match="must be 1088 bytes, got 1087"):
        kem.decaps(sk, ct[:-1])
    with pytest.raises(pqc.InvalidKeyError, match="must be 2400 or 64 bytes, got 2399"):
        kem.decaps(sk[:-1], ct)
    sig = pqc.signature("ML-DSA-65", "liboqs")
    spk, ssk = sig.keygen()
    with pytest.raises(pqc.InvalidKeyError, match="must be 4032 bytes, got 4031"):
        sig.sign(ssk[:-1], b"m")
    with pytest.raises(pqc.InvalidKeyError, match="must be 1952 bytes, got 1951"):
        sig.verify(spk[:-1], b"m", sig.sign(ssk, b"m"))


def _non_canonical(public_key: bytes) -> bytes:
    """The first coefficient set to 4095 >= q = 3329 (fails the FIPS 203 modulus check)."""
    changed = bytearray(public_key)
    changed[0] = 0xFF
    changed[1] |= 0x0F
    return bytes(changed)


@needs_liboqs
@pytest.mark.parametrize("name", ["ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"])
def test_non_canonical_public_key_is_invalid_key(name: str) -> None:
    kem = pqc.kem(name, "liboqs")
    pk, _ = kem.keygen()
    with pytest.raises(pqc.InvalidKeyError, match="liboqs rejected"):
        kem.encaps(_non_canonical(pk))


@needs_liboqs
def test_secret_key_with_wrong_public_key_hash_is_invalid_key() -> None:
    kem = pqc.kem("ML-KEM-768", "liboqs")
    pk, sk = kem.keygen()
    ct, _ = kem.encaps(pk)
    corrupted = bytearray(sk)
    corrupted[-40] ^= 0x01  # inside H(ek): bytes [-64:-32]
    with pytest.raises(pqc.InvalidKeyError, match="FIPS 203"):
        kem.decaps(bytes(corrupted), ct)


# ---------------------------------------------------------------- ML-KEM seeds
@needs_liboqs
@pytest.mark.parametrize("name", ["ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"])
def test_mlkem_seed_keys(name: str) -> None:
    kem = pqc.kem(name, "liboqs")
    assert kem.supports_seed
    assert kem.secret_key_sizes == (kem.algorithm.secret_key_size, 64)
    seed = os.urandom(64)
    pk, sk = kem.keygen_from_seed(seed)
    assert (pk, sk) == kem.keygen_from_seed(seed), "seeded keygen is deterministic"
    assert len(sk) == kem.algorithm.secret_key_size
    ct, ss = kem.encaps(pk)
    assert kem.decaps(seed, ct) == ss == kem.decaps(sk, ct)
    with pytest.raises(pqc.InvalidArgumentError, match="must be 64 bytes"):
        kem.keygen_from_seed(seed[:-1])


@needs_liboqs
def test_only_mlkem_offers_seeded_keygen() -> None:
    kem = pqc.kem("HQC-128", "liboqs")
    assert not kem.supports_seed
    with pytest.raises(pqc.UnsupportedOperationError):
        kem.keygen_from_seed(bytes(64))
    with pytest.raises(pqc.InvalidKeyError):
        kem.decaps(bytes(64), bytes(kem.ciphertext_size))


# ---------------------------------------------------------------- contexts
@needs_liboqs
@pytest.mark.parametrize("name", ["ML-DSA-44", "SLH-DSA-SHA2-128f"])
def test_context_signing(name: str) -> None:
    sig = pqc.signature(name, "liboqs")
    assert getattr(sig, "supports_context", False)
    pk, sk = sig.keygen()
    signature = sig.sign_with_context(sk, b"msg", b"ctx")  # type: ignore[attr-defined]
    assert sig.verify_with_context(pk, b"msg", signature, b"ctx") is True  # type: ignore[attr-defined]
    assert sig.verify_with_context(pk, b"msg", signature, b"cty") is False  # type: ignore[attr-defined]
    assert sig.verify(pk, b"msg", signature) is False, "empty context differs from b'ctx'"
    empty = sig.sign_with_context(sk, b"msg", b"")  # type: ignore[attr-defined]
    assert sig.verify(pk, b"msg", empty) is True
    with pytest.raises(pqc.InvalidArgumentError, match="at most 255"):
        sig.sign_with_context(sk, b"msg", bytes(256))  # type: ignore[attr-defined]
    with pytest.raises(pqc.InvalidArgumentError, match="at most 255"):
        sig.verify_with_context(pk, b"msg", signature, bytes(256))  # type: ignore[attr-defined]


@needs_liboqs
def test_falcon_takes_no_context() -> None:
    sig = pqc.signature("FN-DSA-512", "liboqs")
    assert not getattr(sig, "supports_context", True)
    _, sk = sig.keygen()
    with pytest.raises(pqc.UnsupportedOperationError, match="no context"):
        sig.sign_with_context(sk, b"m", b"c")  # type: ignore[attr-defined]


@needs_liboqs
def test_default_backend_skips_an_algorithm_the_build_lacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pqc.kem(name) falls back to the next backend when liboqs's build lacks the algorithm."""
    assert pqc.kem("ML-KEM-768").backend == "liboqs"
    real = liboqs.supports
    monkeypatch.setattr(
        liboqs,
        "CAPABILITIES",
        dataclasses.replace(
            liboqs.CAPABILITIES,
            supports=lambda algorithm, native: native != "ML-KEM-768" and real(algorithm, native),
        ),
    )
    assert "liboqs" not in pqc.available_backends("ML-KEM-768")
    assert pqc.kem("ML-KEM-768").backend in {"openssl", "pqclean"}
    assert pqc.kem("ML-KEM-1024").backend == "liboqs"
