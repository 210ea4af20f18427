"""`python -m apr` runs the apr command (useful where the apr script is not on PATH, as on some
Windows machines)."""
from apr.cli import main

main()
