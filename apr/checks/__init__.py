"""Checks of the project's inputs against each other, run by `apr build` and `apr check`."""
