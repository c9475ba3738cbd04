"""Leaves that only draw: each module turns the model (and the shared layout) into one
kind of output. Nothing here reads YAML or decides exit codes."""
