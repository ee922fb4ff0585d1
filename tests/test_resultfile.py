"""pqc.resultfile: the one reader and writer; atomic writes that respect what the target is."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from pqc import resultkinds
from pqc.bench.results import read_result
from pqc.cli import main
from pqc.errors import ResultFormatError, ResultWriteError
from pqc.resultfile import atomic_write_text, parse_json, read_text

HERE = Path(__file__).resolve().parent


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


# ---------------------------------------------------------------- what the target is
def test_a_device_is_written_directly_never_replaced() -> None:
    before = os.stat("/dev/null")
    atomic_write_text("/dev/null", "discarded")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_device_is_an_error_naming_it_and_stays_a_device() -> None:
    with pytest.raises(ResultWriteError, match=r"^cannot write /dev/full: No space left"):
        atomic_write_text("/dev/full", "x" * 10_000)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    atomic_write_text(fifo, "through the pipe")
    reader.join(timeout=10)
    assert got == ["through the pipe"] and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_dev_fd_paths_are_written_directly_not_renamed_over() -> None:
    read_end, write_end = os.pipe()
    try:
        atomic_write_text(f"/dev/fd/{write_end}", "to the pipe")
        os.close(write_end)
        write_end = -1
        assert os.read(read_end, 100) == b"to the pipe"
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "runs" / "2026.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    atomic_write_text(link, "new")
    assert link.is_symlink() and target.read_text() == "new"
    dangling = tmp_path / "next.json"
    dangling.symlink_to(tmp_path / "runs" / "2027.json")
    atomic_write_text(dangling, "created")
    assert dangling.is_symlink() and (tmp_path / "runs" / "2027.json").read_text() == "created"


def test_errors_name_the_users_path_never_the_temporary_file(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ResultWriteError) as caught:
        atomic_write_text(folder, "x")
    message = str(caught.value)
    assert message.startswith(f"cannot write {folder}: Is a directory") and ".tmp" not in message
    assert list(folder.iterdir()) == []
    with pytest.raises(ResultWriteError, match="create the folder first") as caught:
        atomic_write_text(tmp_path / "missing" / "r.json", "x")
    assert ".tmp" not in str(caught.value) and "missing/r.json" in str(caught.value)


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    escaped = os.fsdecode(os.fsencode(str(tmp_path)) + b"/r\xff.json")  # how argv arrives
    atomic_write_text(escaped, "ok")
    assert (os.fsencode(str(tmp_path)) + b"/r\xff.json") in [
        os.fsencode(str(p)) for p in tmp_path.iterdir()
    ]
    with pytest.raises(ResultWriteError, match=r"cannot write .*r\\ud800\.json: the file name "
                                               r"cannot be encoded"):
        atomic_write_text(str(tmp_path / "r\ud800.json"), "x")


# ---------------------------------------------------------------- JSON a parser chokes on
DEEP = "[" * 100_000 + "]" * 100_000
LONG_INT = '{"format": "pqc-result", "n": ' + "7" * 5000 + "}"


@pytest.mark.parametrize("text", [DEEP, LONG_INT], ids=["nested-100000-deep", "5000-digits"])
def test_json_the_parser_refuses_is_a_result_format_error(text: str, tmp_path: Path) -> None:
    with pytest.raises(ResultFormatError, match="is not JSON this program reads"):
        resultkinds.loads_any(text, source="x.json")
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ResultFormatError, match=r"bad.json is not JSON this program reads"):
        read_result(path)


@pytest.mark.parametrize("text", [DEEP, LONG_INT], ids=["nested-100000-deep", "5000-digits"])
def test_every_reading_verb_says_so_in_one_line(text: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    good = HERE / "fixtures" / "results" / "bench-v1.json"
    for args in (["show", str(bad)], ["compare", str(bad), str(good)],
                 ["plot", str(bad), "-o", str(tmp_path / "c.png")],
                 ["report", str(bad), "-o", str(tmp_path / "r.html")],
                 ["report", str(good), "-o", str(tmp_path / "r.html"), "--leak", str(bad)],
                 ["handshake", "--from", str(bad)]):  # fmt: skip
        outcome = CliRunner().invoke(main, args)
        assert outcome.exit_code == 1, (args, outcome.output)
        assert "Traceback" not in outcome.output and outcome.exception is not None
        assert isinstance(outcome.exception, SystemExit), (args, outcome.exception)
        lines = outcome.output.strip().splitlines()
        assert len(lines) == 1 and "is not JSON this program reads" in lines[0], (args, lines)


def test_a_field_of_the_wrong_type_is_refused_before_any_rendering(tmp_path: Path) -> None:
    data = json.loads((HERE / "fixtures" / "results" / "bench-v1.json").read_text())
    data["cases"][0]["algorithm"] = {"name": "ML-KEM-768"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    outcome = CliRunner().invoke(main, ["show", str(bad)])
    assert outcome.exit_code == 1 and "Traceback" not in outcome.output
    assert "cases[0].algorithm: expected a string, got an object" in outcome.output


def test_results_print_as_the_file_would_hold_them() -> None:
    result = resultkinds.read_any(HERE / "fixtures" / "results" / "leak-v1.json")
    text = resultkinds.dumps(result)
    assert json.loads(text)["kind"] == "leak" and resultkinds.loads_any(text) == result
    assert text.count("\n") < 400  # 4,000 samples, each list on one line
