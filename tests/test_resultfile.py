"""pqc.resultfile: atomic writes with ordinary permissions, one error for unreadable files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pqc.errors import ResultFormatError
from pqc.resultfile import atomic_write_text, parse_json, read_text


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_gives_the_permissions_open_would(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "shared.json", "{}")
    finally:
        os.umask(umask)
    assert (tmp_path / "shared.json").stat().st_mode & 0o777 == 0o644


def test_atomic_write_into_missing_folder_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        atomic_write_text(tmp_path / "missing" / "out.txt", "x")


def test_unreadable_and_non_json_files_are_result_format_errors(tmp_path: Path) -> None:
    with pytest.raises(ResultFormatError, match="cannot read"):
        read_text(tmp_path / "absent.json")
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ResultFormatError, match="cannot read"):
        read_text(tmp_path / "binary.json")
    with pytest.raises(ResultFormatError, match="give a `pqc bench --json` file"):
        parse_json("{not json", source="x.json", expected="a `pqc bench --json` file")
