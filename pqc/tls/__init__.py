"""Real TLS 1.3 handshakes: certificates pqc builds, an in-process driver, an emulated link.

- :mod:`pqc.tls.certificates`: X.509 chains assembled as DER (ML-DSA and SM2 included).
- :mod:`pqc.tls.driver`: one client and one server over memory BIOs.
- :mod:`pqc.tls.run`: many handshakes per (group, certificate, chain) and their statistics.
- :mod:`pqc.tls.model`: the `pqc handshake` model next to the real handshake.
- :mod:`pqc.tls.link`: handshakes over TCP between two network namespaces on an emulated link.
"""

from pqc.tls.catalog import (
    CertificateType,
    Combination,
    Group,
    LinkProfile,
    certificate_type,
    certificate_types,
    default_combinations,
    group,
    groups,
    link_profile,
    link_profiles,
)
from pqc.tls.certificates import Chain, build_chain
from pqc.tls.driver import Endpoints, Handshake
from pqc.tls.openssl import library_version, offered_groups
from pqc.tls.results import HandshakeRun, LinkRun, ModelRow, TLSResult, TLSSettings
from pqc.tls.run import RunSettings, new_result, run_all, run_combination, settings_record

__all__ = [
    "CertificateType",
    "Chain",
    "Combination",
    "Endpoints",
    "Group",
    "Handshake",
    "HandshakeRun",
    "LinkProfile",
    "LinkRun",
    "ModelRow",
    "RunSettings",
    "TLSResult",
    "TLSSettings",
    "build_chain",
    "certificate_type",
    "certificate_types",
    "default_combinations",
    "group",
    "groups",
    "library_version",
    "link_profile",
    "link_profiles",
    "new_result",
    "offered_groups",
    "run_all",
    "run_combination",
    "settings_record",
]
