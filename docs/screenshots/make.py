"""Make the screenshots under docs/screenshots/: real 80-column terminals and the report.

Each terminal shot runs the command in a tmux session 80 columns wide
(``tmux new-session -d -x 80 -y 50``), captures the pane with its colours
(``tmux capture-pane -p -e``, scrollback included), turns the ANSI text into HTML
with rich and photographs it in headless Chromium. The report is photographed at
1280 and 390 CSS pixels. Run from the repository root (takes a few minutes):

    python3 docs/screenshots/make.py            # every shot
    python3 docs/screenshots/make.py verify     # only those whose name contains 'verify'

It needs tmux and Debian's chromium; it writes PNGs next to this file and leaves
its working files in a temporary folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from io import BytesIO, StringIO
from pathlib import Path

from rich.console import Console
from rich.terminal_theme import MONOKAI
from rich.text import Text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.report.cdp import visit  # noqa: E402

HERE = Path(__file__).resolve().parent
WORK = Path(tempfile.mkdtemp(prefix="pqc-shots-"))
PQC = f"{sys.executable} -m pqc"
QUICK_A, QUICK_B = WORK / "a.json", WORK / "b.json"
ENVIRONMENT = ("PYTHONPATH", "OQS_INSTALL_PATH", "PQC_VECTORS", "PATH", "HOME")

# (file name, command shown, commands run first without being shown)
TERMINALS = (
    ("bench-quick-80", f"pqc bench --quick --json {QUICK_A}", ()),
    ("compare-80", f"pqc compare {QUICK_A} {QUICK_B}",
     (f"{PQC} bench --quick --json {QUICK_A} >/dev/null 2>&1",
      f"{PQC} bench --quick --json {QUICK_B} >/dev/null 2>&1")),
    ("verify-80", f"pqc verify --json {WORK / 'verify.json'}", ()),
    ("handshake-80", "pqc handshake --quick --suite all", ()),
)  # fmt: skip


def terminal(name: str, shown: str, setup: tuple[str, ...]) -> Path:
    """Run ``shown`` in an 80x50 tmux pane; return the PNG of everything it printed."""
    for command in setup:
        subprocess.run(command, shell=True, check=True, cwd=ROOT)
    session = f"pqc-{name}"
    command = shown.replace("pqc ", f"{PQC} ", 1)
    script = WORK / f"{name}.sh"
    script.write_text(f"clear; printf '$ {shown}\\n'; {command}; "
                      f"tmux -L pqc-screenshots wait-for -S {session}\n")
    tmux = ["tmux", "-L", "pqc-screenshots"]  # a server of our own, with this environment
    environment = [f"-e{k}={v}" for k in ENVIRONMENT if (v := os.environ.get(k))]
    subprocess.run([*tmux, "kill-session", "-t", session], capture_output=True, check=False)
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "80", "-y", "50",
                    "-c", str(ROOT), *environment], check=True)  # fmt: skip
    subprocess.run([*tmux, "set-option", "-t", session, "history-limit", "5000"], check=True)
    subprocess.run([*tmux, "send-keys", "-t", session, f"bash {script}", "Enter"], check=True)
    subprocess.run([*tmux, "wait-for", session], check=True, timeout=900)
    time.sleep(0.5)
    capture = subprocess.run([*tmux, "capture-pane", "-p", "-e", "-J", "-S", "-", "-t",
                              session], capture_output=True, text=True, check=True).stdout
    subprocess.run([*tmux, "kill-session", "-t", session], check=True)
    lines = capture.rstrip("\n").splitlines()
    while lines and re.fullmatch(r".*[#$] *", Text.from_ansi(lines[-1]).plain):
        lines.pop()  # the shell's prompt after the command
    start = next(i for i, line in enumerate(lines) if line.startswith("$ pqc"))
    text = "\n".join(lines[start:]).rstrip()
    (HERE / f"{name}.txt").write_text(Text.from_ansi(text).plain + "\n", encoding="utf-8")
    return photograph(text, HERE / f"{name}.png")


def photograph(ansi: str, target: Path) -> Path:
    """The ANSI text on a dark 80-column terminal, as a PNG."""
    console = Console(record=True, width=80, file=StringIO(), force_terminal=True,
                      color_system="truecolor")
    console.print(Text.from_ansi(ansi), soft_wrap=True)
    page = console.export_html(theme=MONOKAI, inline_styles=True, code_format=(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
        "body{{margin:0;background:#0c0c0c;color:#d9d9d9}}"
        "pre{{margin:0;padding:12px 14px;font:14px/1.25 'DejaVu Sans Mono',monospace;"
        "width:max-content}}</style></head><body><pre>{code}</pre></body></html>"))
    html = WORK / (target.stem + ".html")
    html.write_text(page, encoding="utf-8")
    shot = visit(html.as_uri(), 720, height=400)
    target.write_bytes(shot.screenshot)
    return target


def report(width: int, height: int) -> Path:
    """The report of the quick run (and the verify run), the top ``height`` px at ``width``."""
    from PIL import Image

    page = WORK / "report.html"
    extra = ["--verify", str(WORK / "verify.json")] if (WORK / "verify.json").exists() else []
    subprocess.run([sys.executable, "-m", "pqc", "report", str(QUICK_A), "-o", str(page),
                    *extra], check=True, cwd=ROOT)  # fmt: skip
    shot = visit(page.as_uri(), width)
    target = HERE / f"report-{width}.png"
    with Image.open(BytesIO(shot.screenshot)) as image:
        image.crop((0, 0, image.size[0], min(height, image.size[1]))).save(target)
    return target


def main(argv: list[str]) -> int:
    wanted = argv[1] if len(argv) > 1 else ""
    for name, shown, setup in TERMINALS:
        if wanted in name:
            print("wrote", terminal(name, shown, setup))
    if wanted in "report-1280 report-390":
        if not QUICK_A.exists():
            subprocess.run(f"{PQC} bench --quick --json {QUICK_A}", shell=True, check=True)
        print("wrote", report(1280, 2600))
        print("wrote", report(390, 3200))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
