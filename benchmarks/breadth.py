"""The README's breadth figures in one command: conservative KEMs, HQC/BIKE, Botan's SM2.

Runs, on whatever backends are available here, and prints as Markdown:

1. ``pqc bench --quick`` of FrodoKEM-640/976/1344-AES, Classic McEliece 348864 /
   460896f / 6688128f, HQC-128, BIKE-L1 and ML-KEM-768 (KEMs, against X25519), and SM2
   and SM2-ENC on every SM2 backend (gmssl, gmssl-native, botan), against ECDSA-P256
   (the baselines are timed too, on every backend that has them);
2. ``pqc leak SM2 --op keygen`` on the three SM2 implementations (10 s per case);
3. the load average before and after, so a reader can judge the noise.

Usage: ``python benchmarks/breadth.py [--seconds S]``; about 4 minutes on an idle
2-core machine (Classic McEliece key generation is 50-300 ms a call in C, seconds in Rust).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

KEMS = ("X25519", "ML-KEM-768", "HQC-128", "BIKE-L1", "FrodoKEM-640-AES", "FrodoKEM-976-AES",
        "FrodoKEM-1344-AES", "Classic-McEliece-348864", "Classic-McEliece-460896f",
        "Classic-McEliece-6688128f")
SM2 = ("ECDSA-P256", "SM2", "SM2-ENC")


def _run(argv: list[str]) -> str:
    done = subprocess.run([sys.executable, "-m", "pqc", *argv], capture_output=True, text=True,
                          check=False, env={**os.environ, "COLUMNS": "100"})
    if done.returncode != 0:
        return f"(pqc {' '.join(argv)} exited {done.returncode}: {done.stderr.strip()[-400:]})"
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0, help="leak budget per case")
    args = parser.parse_args()
    start = time.perf_counter()
    print(f"load average before: {os.getloadavg()}\n")
    print("## KEMs (pqc bench --quick)\n")
    print(_run(["bench", "--quick", *KEMS, "--markdown", "-"]))
    print("## SM2 (pqc bench --quick)\n")
    print(_run(["bench", "--quick", *SM2, "--markdown", "-"]))
    print("## SM2 key generation (pqc leak SM2 --op keygen)\n")
    print("```text")
    print(_run(["leak", "SM2", "--op", "keygen", "--seconds", str(args.seconds)]).rstrip())
    print("```")
    print(f"\nload average after: {os.getloadavg()}; wall {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
