"""``python -m apr`` (``py -m apr`` on Windows) runs the apr command, where pip's ``apr``
launcher is not on the PATH."""
from __future__ import annotations

from .cli import main

if __name__ == "__main__":  # pragma: no cover
    main(prog_name="apr")
