"""Write a synthetic national data set: one project per partnership, from the sample.

    python benchmarks/make_national.py DEST [--count 31] [--national-file]
    apr build --all --project DEST --year 2023

Names and codes are the real partnerships' (apr.catalogue.partnerships()); every figure is the
sample's, perturbed deterministically, so it is invented. With --national-file the indicator
values go into one PHS MI-style file, DEST/national/indicators.csv, named in DEST/batch.toml.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apr.batch.synthetic import make_national  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--count", type=int, default=31)
    parser.add_argument("--national-file", action="store_true")
    args = parser.parse_args(argv)
    projects = make_national(ROOT / "sample_inputs", args.dest, args.count, args.national_file)
    print(f"wrote {len(projects)} partnership projects in {args.dest}")


if __name__ == "__main__":
    main()
