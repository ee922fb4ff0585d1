"""The `pqc` command line: thin over the library. Only this package talks to the terminal."""

from __future__ import annotations

import click

from pqc.cli.bench import bench_command, compare_command, show_command
from pqc.cli.catalog_commands import info_command, list_command
from pqc.cli.common import PQCGroup
from pqc.cli.leak import leak_command
from pqc.cli.migration import handshake_command, plot_command, report_command
from pqc.cli.tls import tls_command
from pqc.cli.verify import verify_command


@click.group(cls=PQCGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pqc", prog_name="pqc")
def main() -> None:
    """Test and time post-quantum, SM and classical public-key cryptography side by side."""


main.add_command(list_command)
main.add_command(info_command)
main.add_command(handshake_command)
main.add_command(plot_command)
main.add_command(report_command)
main.add_command(bench_command)
main.add_command(show_command)
main.add_command(compare_command)
main.add_command(leak_command)
main.add_command(verify_command)
main.add_command(tls_command)
