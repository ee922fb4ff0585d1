"""``python -m pqc``: the same command line as the ``pqc`` script."""

from pqc.cli import main

if __name__ == "__main__":
    main(prog_name="pqc")
