"""`python -m escalation_charts` runs the command-line tool."""

from escalation_charts.cli import main

# Guarded: `-j N` worker processes started with spawn/forkserver (macOS, Windows, Python
# 3.14 on Linux) import this module again, and must not run the command a second time.
if __name__ == "__main__":
    main()
