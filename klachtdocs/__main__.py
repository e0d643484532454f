"""Run the command line with ``python -m klachtdocs``."""

from klachtdocs.cli import main

main()
