"""Command line: ``energymodel run | operate | sweep | validate | diagnose | summary | plot | report | compare |
export | init``. The group and its shared helpers are in group.py; each module below adds its commands to it.
"""

from . import case_commands, results_commands, run_commands  # noqa: F401 - each adds its commands to main
from .group import cli_option, cli_wording, default_run_file, main

__all__ = ["cli_option", "cli_wording", "default_run_file", "main"]
