"""Ask the real bot (trained model + action server, over REST) every question of evaluation files.

Usage: python -m evaluation [FILE.jsonl ...] [--out reports/]
(also ``scripts/evaluate_bot.py``; ``make eval [FILE="a.jsonl b.jsonl"]``)

Without files: every *.jsonl of ../shared/eval/ and eval/. Question files and conversation files (a file
whose first object has "turns") are in the format of ../shared/eval/README.md. Writes
reports/eval-<stem>.md and .json per file and prints one line per file. Scoring, outcomes and reports are
the package evaluation/ (see its module docstrings). Exit 0 (a measurement, not a gate); 2 if a file cannot
be read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from evaluation.dataset import EvalFileError
from evaluation.pipeline import load_files, run
from serving.local_servers import running_servers
from serving.paths import ROOT

DEFAULT_DIRS = [ROOT.parent / "shared" / "eval", ROOT / "eval"]


def default_files() -> list[Path]:
    return [path for directory in DEFAULT_DIRS for path in sorted(directory.glob("*.jsonl"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help="question or conversation files (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="report directory (default: reports/)")
    args = parser.parse_args(argv)
    paths = args.files or default_files()
    if not paths:
        print(f"eval: no evaluation files in {', '.join(map(str, DEFAULT_DIRS))}", file=sys.stderr)
        return 2
    try:
        files = load_files(paths)
    except EvalFileError as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as workdir, running_servers(Path(workdir)) as servers:
        run(servers.send, files, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
