"""Command groups registered from apr/cli.py, one module each."""
