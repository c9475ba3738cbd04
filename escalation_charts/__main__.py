"""`python -m escalation_charts` runs the command-line tool."""

from .cli import main

main()
