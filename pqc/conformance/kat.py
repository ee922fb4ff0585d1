"""Known-answer checks: Wycheproof vectors and the GM standards' examples, through pqc's interface.

Every check takes an implementation object (anything with the KEM or
signature methods), so tests can hand in deliberately broken doubles. Each
Wycheproof file becomes one :class:`CheckResult` whose evidence counts the
vectors run, passed, failed and skipped (with why), and lists the first few
failing tcIds.
"""

from __future__ import annotations

import functools
import tomllib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pqc.backends import backend_capabilities, backend_names
from pqc.backends.base import KEMImplementation, SignatureImplementation
from pqc.conformance.model import CheckResult, Status, passed, skipped
from pqc.conformance.vectors import gm_kat, load_wycheproof, unhex, wycheproof_tests
from pqc.errors import (
    InvalidArgumentError,
    InvalidCiphertextError,
    InvalidKeyError,
    PQCError,
    UnsupportedOperationError,
)

FAMILY = "kat"
MAX_FAILURES_SHOWN = 5
# Signing runs a full signature per vector; portable or pure-Python backends (PQClean's ML-DSA-65
# signs in about 12 ms) would dominate the run, so on them at most this many signing vectors run
# per file (the evidence counts the rest as skipped). Backends that declare ``signs_fast`` run
# every vector.
MAX_SIGN_VECTORS = 24


def sign_budget(impl: Any) -> int:
    """How many signing vectors to run per file for ``impl``."""
    fast = impl.backend in backend_names() and backend_capabilities(impl.backend).signs_fast
    return 1_000_000 if fast else MAX_SIGN_VECTORS
NO_CONTEXT = (
    "pqc's signature interface has no context parameter (pure ML-DSA, empty context); "
    "vectors with a non-empty context cannot be passed"
)

# (True pass / False fail / None skip / LENIENT accepted-but-not-required, what happened)
Outcome = tuple[bool | str | None, str]
LENIENT = "lenient"


@dataclass
class _Tally:
    """Counts for one vector file."""

    run: int = 0
    passed: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    lenient: list[dict[str, Any]] = field(default_factory=list)
    skips: Counter[str] = field(default_factory=Counter)

    def add(self, test: dict[str, Any], outcome: Outcome) -> None:
        ok, what = outcome
        if ok is None:
            self.skips[what] += 1
            return
        self.run += 1
        entry = {
            "tcId": test.get("tcId"),
            "comment": test.get("comment", ""),
            "expected": test.get("result"),
            "got": what,
        }
        if ok == LENIENT:
            self.lenient.append(entry)
        elif ok:
            self.passed += 1
        else:
            self.failures.append(entry)

    def result(self, backend: str, algorithm: str, name: str) -> CheckResult:
        evidence: dict[str, Any] = {
            "vectors_run": self.run,
            "vectors_passed": self.passed,
            "vectors_failed": len(self.failures),
            "vectors_skipped": sum(self.skips.values()),
        }
        if self.skips:
            evidence["skip_reasons"] = dict(self.skips)
        if self.failures:
            evidence["failures"] = self.failures[:MAX_FAILURES_SHOWN]
            detail = (f"{len(self.failures)} of {self.run} vectors failed "
                      f"(first: tcId {self.failures[0]['tcId']}: {self.failures[0]['got']})")
            return CheckResult(FAMILY, backend, algorithm, name, Status.FAIL, detail, evidence)
        if self.lenient:
            evidence["lenient"] = self.lenient[:MAX_FAILURES_SHOWN]
            first = self.lenient[0]
            detail = (f"{self.passed}/{self.run} vectors passed, {len(self.lenient)} lenient "
                      f"(no check required, or a documented refusal); first: tcId "
                      f"{first['tcId']} {first['comment']}: {first['got']}")
            return CheckResult(FAMILY, backend, algorithm, name, Status.FINDING, detail, evidence)
        if self.run == 0:
            reason = "; ".join(f"{n} x {why}" for why, n in self.skips.items()) or "no vectors"
            return skipped(FAMILY, backend, algorithm, name, reason, **evidence)
        extra = f", {evidence['vectors_skipped']} skipped" if self.skips else ""
        return passed(FAMILY, backend, algorithm, name,
                      f"{self.passed}/{self.run} vectors passed{extra}", **evidence)


def _wrong_length_seed(impl: KEMImplementation | SignatureImplementation, seed: bytes) -> Outcome:
    """A seed of the wrong length: the seeded keygen must refuse it (when there is one)."""
    if not impl.supports_seed:
        return None, "wrong-length seed: backend has no seeded keygen"
    return _raises(lambda: impl.keygen_from_seed(seed), InvalidArgumentError)


def _raises(call: Callable[[], object], expected: type[PQCError]) -> Outcome:
    """Pass when ``call`` raises ``expected``."""
    try:
        value = call()
    except expected:
        return True, f"raised {expected.__name__}"
    except PQCError as exc:
        return False, f"raised {type(exc).__name__} instead of {expected.__name__}: {exc}"
    except Exception as exc:
        return False, f"raised non-PQCError {type(exc).__name__}: {exc}"
    return False, f"returned {type(value).__name__} instead of raising {expected.__name__}"


def _guard(call: Callable[[], Outcome]) -> Outcome:
    """Run a vector; any exception that is not the expected outcome is a failure."""
    try:
        return call()
    except PQCError as exc:
        return False, f"raised {type(exc).__name__}: {exc}"
    except Exception as exc:
        return False, f"raised non-PQCError {type(exc).__name__}: {exc}"


def _skip_file(impl: Any, name: str, reason: str) -> CheckResult:
    return skipped(FAMILY, impl.backend, impl.name, name, reason)


# ---------------------------------------------------------------- ML-KEM
def _expanded_sk(impl: Any) -> bool:
    return int(impl.algorithm.secret_key_size) in tuple(impl.secret_key_sizes)


Case = Callable[[dict[str, Any], dict[str, Any]], Outcome]


def _each_vector(impl: Any, root: Path, name: str, case: Case,
                 refused: str | None = None) -> CheckResult:
    """Run ``case(group, test)`` on every vector of file ``name`` and tally the outcomes.

    The file is skipped when ``root`` lacks it, or else with ``refused`` (the
    reason ``impl`` cannot take these vectors) when that is given.
    """
    data = load_wycheproof(root, name)
    if data is None:
        return _skip_file(impl, name, f"{name} not in {root}")
    if refused is not None:
        return _skip_file(impl, name, refused)
    tally = _Tally()
    for group, test in wycheproof_tests(data):
        tally.add(test, _guard(functools.partial(case, group, test)))
    return tally.result(impl.backend, impl.name, name)


def _not_expanded(impl: Any, what: str) -> str | None:
    """Why ``impl`` cannot take expanded secret keys (``what``), or None when it can."""
    if _expanded_sk(impl):
        return None
    return f"{impl.backend} takes {impl.secret_key_size}-byte seed-form secret keys, not {what}"


def mlkem_keygen_seed(impl: KEMImplementation, root: Path, name: str) -> CheckResult:
    """keygen_from_seed(d||z) gives the vector's ek (and dk, where keys are kept expanded)."""
    def case(_group: dict[str, Any], test: dict[str, Any]) -> Outcome:
        seed = unhex(test["seed"])
        pk, sk = impl.keygen_from_seed(seed)
        if pk != unhex(test["ek"]):
            return False, "public key differs from the vector's ek"
        dk = unhex(test["dk"])
        if len(sk) == len(dk) and sk != dk:
            return False, "expanded secret key differs from the vector's dk"
        if len(sk) == len(seed) and sk != seed:
            return False, "seed-form secret key differs from the seed"
        return True, "ek matches"
    refused = None if impl.supports_seed else f"{impl.backend} offers no seeded key generation"
    return _each_vector(impl, root, name, case, refused)


def _dk_by_seed(impl: Any, root: Path) -> dict[str, str]:
    keygen_file = dict(wycheproof_files(impl.name)).get("mlkem_keygen_seed")
    data = load_wycheproof(root, keygen_file) if keygen_file else None
    if data is None:
        return {}
    return {t["seed"]: t["dk"] for _g, t in wycheproof_tests(data)}


def mlkem_decaps(impl: KEMImplementation, root: Path, name: str) -> CheckResult:
    """Decapsulation vectors (seed, ek, c, K) including wrong-length seeds and ciphertexts."""
    expanded = _dk_by_seed(impl, root) if _expanded_sk(impl) else {}

    def key(seed_hex: str) -> bytes | None:
        if impl.supports_seed:
            return impl.keygen_from_seed(unhex(seed_hex))[1]
        dk = expanded.get(seed_hex)
        return unhex(dk) if dk else None

    def case(_group: dict[str, Any], test: dict[str, Any]) -> Outcome:
        seed, c = unhex(test["seed"]), unhex(test["c"])
        if len(seed) != 64:
            return _wrong_length_seed(impl, seed)
        sk = key(test["seed"])
        if sk is None:
            return None, "no seeded keygen and no expanded dk for this seed"
        if len(c) != impl.ciphertext_size:
            return _raises(lambda: impl.decaps(sk, c), InvalidCiphertextError)
        got = impl.decaps(sk, c)
        if test["result"] == "valid":
            return (got == unhex(test["K"])), "shared secret differs from K"
        return False, "an invalid vector decapsulated"
    return _each_vector(impl, root, name, case)


def mlkem_encaps(impl: KEMImplementation, root: Path, name: str) -> CheckResult:
    """Encapsulation-key checks: non-reduced and wrong-length ek raise InvalidKeyError.

    pqc offers no derandomised encapsulation (no way to pass m), so valid
    vectors check that encaps succeeds with sizes as documented.
    """
    def case(_group: dict[str, Any], test: dict[str, Any]) -> Outcome:
        ek = unhex(test["ek"])
        if test["result"] != "valid":
            return _raises(lambda: impl.encaps(ek), InvalidKeyError)
        ct, ss = impl.encaps(ek)
        ok = len(ct) == impl.ciphertext_size and len(ss) == impl.shared_secret_size
        return ok, f"encaps returned {len(ct)}/{len(ss)} bytes"
    return _each_vector(impl, root, name, case)


def mlkem_semi_expanded(impl: KEMImplementation, root: Path, name: str) -> CheckResult:
    """Expanded decapsulation keys: wrong lengths, corrupted H(ek) or ek must be refused."""
    def case(_group: dict[str, Any], test: dict[str, Any]) -> Outcome:
        dk, c = unhex(test["dk"]), unhex(test["c"])
        flags = test.get("flags", [])
        if "IncorrectCiphertextLength" in flags:
            return _raises(lambda: impl.decaps(dk, c), InvalidCiphertextError)
        if test["result"] != "valid":
            return _raises(lambda: impl.decaps(dk, c), InvalidKeyError)
        return impl.decaps(dk, c) == unhex(test["K"]), "shared secret differs from K"
    return _each_vector(impl, root, name, case, _not_expanded(impl, "expanded dk"))


# ---------------------------------------------------------------- ML-DSA
def _context(test: dict[str, Any]) -> bytes:
    return unhex(test.get("ctx", ""))


def supports_context(impl: Any) -> bool:
    """True when ``impl`` offers ``sign_with_context``/``verify_with_context`` (FIPS 204 ctx)."""
    return bool(getattr(impl, "supports_context", False)) and hasattr(impl, "verify_with_context")


def _verify_ctx(impl: Any, pk: bytes, msg: bytes, sig: bytes, ctx: bytes, valid: bool) -> Outcome:
    """A vector with a context; over-long ones must be refused (False or InvalidArgumentError)."""
    try:
        got = impl.verify_with_context(pk, msg, sig, ctx)
    except UnsupportedOperationError as exc:  # a documented refusal of a legal context
        return LENIENT, f"refused a {len(ctx)}-byte context: {exc}"
    except InvalidArgumentError as exc:
        return (not valid and len(ctx) > 255), f"raised {type(exc).__name__}"
    return got is valid, f"verify_with_context returned {got}"


def mldsa_verify(impl: SignatureImplementation, root: Path, name: str) -> CheckResult:
    """Verify vectors: valid signatures verify True, invalid ones False (or InvalidKeyError)."""
    def case(group: dict[str, Any], test: dict[str, Any]) -> Outcome:
        pk, msg, sig = unhex(group["publicKey"]), unhex(test["msg"]), unhex(test["sig"])
        if _context(test):
            if not supports_context(impl):
                return None, NO_CONTEXT
            return _verify_ctx(impl, pk, msg, sig, _context(test), test["result"] == "valid")
        if len(pk) != impl.public_key_size:
            return _raises(lambda: impl.verify(pk, msg, sig), InvalidKeyError)
        valid = test["result"] == "valid"
        try:
            got = impl.verify(pk, msg, sig)
        except InvalidKeyError:
            return (not valid), "raised InvalidKeyError"
        return got is valid, f"verify returned {got}"
    return _each_vector(impl, root, name, case)


def mldsa_sign_seed(impl: SignatureImplementation, root: Path, name: str) -> CheckResult:
    """keygen_from_seed(xi) gives the vector's public key; its and our signatures verify."""
    signs = 0

    def case(group: dict[str, Any], test: dict[str, Any]) -> Outcome:
        nonlocal signs
        if "msg" not in test:
            return None, "vector gives only mu (external mu is not offered)"
        if _context(test) or ("ctx" in test and test["result"] != "valid"):
            if not supports_context(impl):
                return None, NO_CONTEXT
            return _verify_ctx(impl, unhex(group["publicKey"]), unhex(test["msg"]),
                               unhex(test["sig"]), _context(test), test["result"] == "valid")
        seed, msg = unhex(group["privateSeed"]), unhex(test["msg"])
        if len(seed) != 32:
            return _wrong_length_seed(impl, seed)
        pk = unhex(group["publicKey"])
        if not impl.supports_seed:
            return impl.verify(pk, msg, unhex(test["sig"])), "vector signature rejected"
        got_pk, sk = impl.keygen_from_seed(seed)
        if got_pk != pk:
            return False, "public key from seed differs from the vector's"
        if not impl.verify(pk, msg, unhex(test["sig"])):
            return False, "vector signature rejected"
        if signs < sign_budget(impl):
            signs += 1
            if not impl.verify(pk, msg, impl.sign(sk, msg)):
                return False, "own signature rejected"
        return True, "ok"
    return _each_vector(impl, root, name, case)


def mldsa_sign_noseed(impl: Any, root: Path, name: str) -> CheckResult:
    """Expanded secret keys: sign, then verify under the vector's public key; bad keys refused."""
    expanded = int(impl.algorithm.secret_key_size)
    signs = 0

    def case(group: dict[str, Any], test: dict[str, Any]) -> Outcome:
        nonlocal signs
        if "msg" not in test:
            return None, "vector gives only mu (external mu is not offered)"
        ctx = _context(test)
        if (ctx or "ctx" in test) and not supports_context(impl):
            return None, NO_CONTEXT
        sk, msg = unhex(group["privateKey"]), unhex(test["msg"])
        if len(sk) != expanded:
            return _raises(lambda: impl.sign(sk, msg), InvalidKeyError)
        pk = unhex(group["publicKey"])
        if signs >= sign_budget(impl):
            return None, f"signing budget ({MAX_SIGN_VECTORS} per file) spent"
        signs += 1
        if len(ctx) > 255:
            return _raises(lambda: impl.sign_with_context(sk, msg, ctx), InvalidArgumentError)
        try:
            if "ctx" in test:
                sig = impl.sign_with_context(sk, msg, ctx)
                ok = impl.verify_with_context(pk, msg, sig, ctx)
            else:
                sig = impl.sign(sk, msg)
                ok = impl.verify(pk, msg, sig)
        except UnsupportedOperationError as exc:
            return LENIENT, f"refused a {len(ctx)}-byte context: {exc}"
        except PQCError as exc:
            return (test["result"] != "valid"), f"raised {type(exc).__name__}"
        if test["result"] == "valid":
            return ok, "own signature rejected"
        if ok and "InvalidPrivateKey" in test.get("flags", []):
            # FIPS 204 leaves secret-key validation to the signer; Wycheproof expects refusal.
            return LENIENT, "signed with an out-of-range secret key (signature verifies)"
        return not ok, "a malformed secret key produced a valid signature"
    return _each_vector(impl, root, name, case, _not_expanded(impl, "expanded keys"))


# ---------------------------------------------------------------- classical
def x25519(impl: KEMImplementation, root: Path, name: str) -> CheckResult:
    """RFC 7748 vectors through decaps(private, peer public) == shared."""
    def case(_group: dict[str, Any], test: dict[str, Any]) -> Outcome:
        sk, peer, shared = unhex(test["private"]), unhex(test["public"]), unhex(test["shared"])
        try:
            got = impl.decaps(sk, peer)
        except (InvalidCiphertextError, InvalidKeyError) as exc:
            # 'acceptable' vectors (low-order points, all-zero output) may be refused.
            return test["result"] == "acceptable", f"raised {type(exc).__name__}"
        return got == shared, "shared secret differs"
    return _each_vector(impl, root, name, case)


def _verify_file(impl: SignatureImplementation, root: Path, name: str,
                 public_key: Callable[[dict[str, Any]], bytes]) -> CheckResult:
    def case(group: dict[str, Any], test: dict[str, Any]) -> Outcome:
        pk, msg, sig = public_key(group), unhex(test["msg"]), unhex(test["sig"])
        valid = test["result"] == "valid"
        try:
            got = impl.verify(pk, msg, sig)
        except InvalidKeyError:
            return (not valid), "raised InvalidKeyError"
        if test["result"] == "acceptable":
            return True, f"verify returned {got} (acceptable)"
        return got is valid, f"verify returned {got}"
    return _each_vector(impl, root, name, case)


def ed25519(impl: SignatureImplementation, root: Path, name: str) -> CheckResult:
    """RFC 8032 / Wycheproof EdDSA verify vectors."""
    return _verify_file(impl, root, name, lambda g: unhex(g["publicKey"]["pk"]))


def ecdsa_p256(impl: SignatureImplementation, root: Path, name: str) -> CheckResult:
    """ECDSA P-256 SHA-256 verify vectors in IEEE P1363 (r||s) form."""
    return _verify_file(impl, root, name, lambda g: unhex(g["publicKey"]["uncompressed"]))


# ---------------------------------------------------------------- GM (package data)
def sm2_signature_example(impl: SignatureImplementation) -> CheckResult:
    """GM/T 0003.5 Annex A: the published (r, s) verifies; a changed message does not."""
    example = gm_kat()["sm2_sign"][0]
    pk = unhex(example["public_key"])
    msg = example["msg_ascii"].encode()
    sig = unhex(example["r"]) + unhex(example["s"])
    name = "GM/T 0003.5 SM2 signature example"

    def case() -> Outcome:
        if not impl.verify(pk, msg, sig):
            return False, "the standard's signature did not verify"
        if impl.verify(pk, msg + b"!", sig):
            return False, "the standard's signature verified for a different message"
        return True, "standard signature verifies; altered message rejected"
    ok, what = _guard(case)
    evidence = {"public_key": example["public_key"], "r": example["r"], "s": example["s"],
                "message": example["msg_ascii"]}
    status = Status.PASS if ok else Status.FAIL
    return CheckResult(FAMILY, impl.backend, impl.name, name, status, what, evidence)


Check = Callable[[Any, Path, str], CheckResult]

CHECKS: dict[str, Check] = {
    check.__name__: check
    for check in (mlkem_keygen_seed, mlkem_decaps, mlkem_encaps, mlkem_semi_expanded,
                  mldsa_verify, mldsa_sign_seed, mldsa_sign_noseed, x25519, ed25519, ecdsa_p256)
}


@cache
def wycheproof_plan() -> Mapping[str, tuple[tuple[str, str], ...]]:
    """Algorithm name -> its (check, Wycheproof file) pairs, from ``pqc/data/wycheproof.toml``."""
    text = resources.files("pqc").joinpath("data/wycheproof.toml").read_text(encoding="utf-8")
    plan = {name: tuple(files.items()) for name, files in tomllib.loads(text).items()}
    unknown = {check for pairs in plan.values() for check, _ in pairs} - set(CHECKS)
    if unknown:
        raise ValueError(f"wycheproof.toml names checks kat.py does not have: {sorted(unknown)}")
    return MappingProxyType(plan)


def wycheproof_files(algorithm: str) -> tuple[tuple[str, str], ...]:
    """The (check, file) pairs for ``algorithm`` (a catalog name); empty when none applies."""
    return wycheproof_plan().get(algorithm, ())


def wycheproof_checks(impl: Any) -> tuple[tuple[Check, str], ...]:
    """The Wycheproof checks that apply to ``impl``'s algorithm, each with its file."""
    return tuple((CHECKS[check], name) for check, name in wycheproof_files(impl.name))


def run_kat(impl: Any, root: Path | None, missing_reason: str) -> list[CheckResult]:
    """Every known-answer check for ``impl``; Wycheproof checks skip when ``root`` is None."""
    results: list[CheckResult] = []
    checks = wycheproof_checks(impl)
    if checks and root is None:
        results.append(_skip_file(impl, "wycheproof", missing_reason))
    elif root is not None:
        results.extend(check(impl, root, name) for check, name in checks)
    if impl.name == "SM2":
        results.append(sm2_signature_example(impl))
    return results


