"""Where the known-answer data comes from: Wycheproof files on disk, GM examples in the package.

Wycheproof files are found in ``--vectors DIR``, else ``$PQC_VECTORS`` (the
variable the tests use), else ``shared/vectors`` beside the source checkout pqc
runs from (the layout the tests use) -- never a path relative to the working
directory, so the result does not depend on where the command is run. The
GM/SM examples (short published facts from the standards) ship
with pqc as ``pqc/data/gm_kat.json``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pqc.errors import InvalidArgumentError

VECTORS_ENV = "PQC_VECTORS"


def default_vectors_dir() -> Path:
    """``shared/vectors`` beside the checkout that holds this pqc package (absolute)."""
    checkout = Path(__file__).resolve().parents[2]
    return checkout.parent / "shared" / "vectors"

HOW_TO_GET = (
    f"pass --vectors DIR or set {VECTORS_ENV} to a directory holding wycheproof/ "
    "(C2SP Wycheproof testvectors_v1 files)"
)


def resolve_vectors(explicit: str | os.PathLike[str] | None) -> tuple[Path | None, str]:
    """The vectors directory and how it was chosen (or None and the reason none was found).

    An explicit directory that does not exist is an error; a missing
    ``$PQC_VECTORS`` or default directory only makes the Wycheproof checks skip.
    """
    if explicit is not None:
        path = Path(explicit)
        if not path.is_dir():
            raise InvalidArgumentError(
                f"vectors directory {str(path)!r} does not exist or is not a directory; "
                "point --vectors at the directory holding wycheproof/."
            )
        return path, f"--vectors {path}"
    env = os.environ.get(VECTORS_ENV)
    if env:
        path = Path(env)
        if path.is_dir():
            return path, f"${VECTORS_ENV}={path}"
        return None, f"${VECTORS_ENV}={env} is not a directory; {HOW_TO_GET}"
    default = default_vectors_dir()
    if default.is_dir():
        return default, f"default {default}"
    return None, f"no vectors directory found (looked at {default}); {HOW_TO_GET}"


def wycheproof_path(root: Path, filename: str) -> Path:
    """The path of a Wycheproof file under ``root`` (``root/wycheproof/`` or ``root`` itself)."""
    nested = root / "wycheproof" / filename
    return nested if nested.exists() or not (root / filename).exists() else root / filename


@cache
def _load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def load_wycheproof(root: Path, filename: str) -> dict[str, Any] | None:
    """The parsed Wycheproof file, or None when ``root`` does not hold it."""
    path = wycheproof_path(root, filename)
    if not path.is_file():
        return None
    return _load(str(path))


def wycheproof_tests(data: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every ``(group, test)`` pair of a Wycheproof file, in file order."""
    return [(group, test) for group in data["testGroups"] for test in group["tests"]]


@cache
def gm_kat() -> dict[str, Any]:
    """The SM3/SM4/SM2/SM9 examples of the GM standards, embedded in the package."""
    text = resources.files("pqc").joinpath("data/gm_kat.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def unhex(value: str) -> bytes:
    """Bytes from hex of either case."""
    return bytes.fromhex(value)
