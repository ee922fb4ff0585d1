"""What a result was measured on: CPU, frequency policy, OS, Python, backend and package versions.

Everything is read from /proc, /sys and the standard library; whatever
cannot be read on this platform is recorded as None, never guessed.
"""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

from pqc.backends import backend_capabilities, backend_names, backend_status
from pqc.backends.base import BackendStatus
from pqc.bench.results import Machine

# CPU features that change crypto speed (x86 and Arm spellings as /proc/cpuinfo prints them).
CRYPTO_FLAGS = (
    "sse4_2", "avx", "avx2", "bmi2", "adx", "avx512f", "avx512bw", "avx512vl", "avx512ifma",
    "aes", "vaes", "pclmulqdq", "vpclmulqdq", "sha_ni", "asimd", "sha2", "sha3", "sha512",
    "pmull", "sve", "sve2",
)  # fmt: skip

# pqc's own dependencies; each backend adds the packages it wraps (``Capabilities.packages``).
OWN_PACKAGES = ("numpy", "click", "rich")

_CPUFREQ = Path("/sys/devices/system/cpu/cpu0/cpufreq")


def _read(path: Path | str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _khz_to_mhz(text: str | None) -> float | None:
    try:
        return round(int(text or "") / 1000.0, 1)
    except ValueError:
        return None


def _cpuinfo() -> tuple[str | None, tuple[str, ...], int | None]:
    """CPU model, crypto-relevant flags, physical core count from /proc/cpuinfo."""
    text = _read("/proc/cpuinfo") or ""
    model: str | None = None
    flags: set[str] = set()
    cores: set[tuple[str, str]] = set()
    physical_id = core_id = ""
    for line in text.splitlines():
        name, _, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if name in ("model name", "Model", "cpu model", "Hardware") and model is None:
            model = value or None
        elif name in ("flags", "Features"):
            flags.update(value.split())
        elif name == "physical id":
            physical_id = value
        elif name == "core id":
            core_id = value
            cores.add((physical_id, core_id))
    if model is None:
        model = platform.processor() or None
    return model, tuple(f for f in CRYPTO_FLAGS if f in flags), len(cores) or None


def _boost() -> str | None:
    boost = _read("/sys/devices/system/cpu/cpufreq/boost")
    if boost is not None:
        return "on" if boost == "1" else "off"
    no_turbo = _read("/sys/devices/system/cpu/intel_pstate/no_turbo")
    if no_turbo is not None:
        return "off" if no_turbo == "1" else "on"
    return None


def _distribution() -> str | None:
    for line in (_read("/etc/os-release") or "").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.partition("=")[2].strip().strip('"') or None
    return None


def collect_machine() -> Machine:
    """The machine this process runs on (see :class:`~pqc.bench.results.Machine`)."""
    model, flags, physical = _cpuinfo()
    try:
        usable: int | None = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = None
    try:
        load: tuple[float, float, float] | None = tuple(  # type: ignore[assignment]
            round(v, 2) for v in os.getloadavg()
        )
    except OSError:
        load = None
    return Machine(
        cpu_model=model,
        architecture=platform.machine(),
        cpu_flags=flags,
        logical_cpus=os.cpu_count(),
        physical_cores=physical,
        usable_cpus=usable,
        governor=_read(_CPUFREQ / "scaling_governor"),
        frequency_mhz=_khz_to_mhz(_read(_CPUFREQ / "scaling_cur_freq")),
        max_frequency_mhz=_khz_to_mhz(_read(_CPUFREQ / "cpuinfo_max_freq")),
        boost=_boost(),
        os=platform.system(),
        kernel=platform.release(),
        distribution=_distribution(),
        python_version=platform.python_version(),
        python_implementation=platform.python_implementation(),
        python_compiler=platform.python_compiler(),
        load_average=load,
    )


def collect_backends() -> tuple[BackendStatus, ...]:
    """Every backend's status with its exact version (or why it is unavailable)."""
    statuses = []
    for name in backend_names():
        try:
            statuses.append(backend_status(name))
        except ImportError as exc:  # a backend module missing from this install of pqc
            statuses.append(
                BackendStatus(
                    name=name,
                    available=False,
                    version=None,
                    language="unknown",
                    library="unknown",
                    reason=f"pqc's backend module for {name} cannot be imported ({exc}).",
                )
            )
    return tuple(statuses)


def package_versions() -> dict[str, str | None]:
    """Installed versions of the Python packages pqc uses (None when not installed)."""
    wrapped = [p for backend in backend_names() for p in backend_capabilities(backend).packages]
    versions: dict[str, str | None] = {}
    for name in dict.fromkeys(("pqc", *wrapped, *OWN_PACKAGES)):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions
