"""``python -m knowledge_builder [--source FILE] [--check]``: rebuild knowledge/*.yml from the PDQ page.

Without ``--source`` the committed page text (knowledge/source/...) is used. With it (the flattened page text,
or the page's HTML as saved from a browser) the build prints what changed against the committed
sections.yml, and on success replaces the committed page text and the generated files. ``--check`` writes
nothing and fails when a generated file differs from what is committed. Exit status: 0 ok, 1 failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge_builder.build import build
from knowledge_builder.errors import KnowledgeBuildError

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge_builder", description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="a new version of the page (flattened text or saved HTML)")
    parser.add_argument("--check", action="store_true", help="write nothing; fail if a generated file differs")
    parser.add_argument("--knowledge-dir", type=Path, default=REPO / "knowledge", help=argparse.SUPPRESS)
    parser.add_argument("--code-dir", type=Path, action="append", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    knowledge_dir: Path = args.knowledge_dir
    try:
        result = build(knowledge_dir, args.source, args.code_dir if args.code_dir is not None else [REPO / "actions"])
    except KnowledgeBuildError as error:
        print("knowledge build FAILED:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    report = result.changes.report()
    print("\n".join(report) if report else "no change to the summary's text")
    for line in result.attention:
        print(f"re-read: {line}")
    if args.check:
        stale = [name for name, text in result.outputs.items() if _read(knowledge_dir / name) != text]
        for name in stale:
            print(f"knowledge/{name} differs from the generated version", file=sys.stderr)
        return 1 if stale else 0
    if args.source is not None and _read(result.source_file) != result.page_text:
        result.source_file.write_text(result.page_text, encoding="utf-8")
        print(f"replaced {result.source_file}: update knowledge/source/PROVENANCE.md (date, size, SHA-256)")
    for name, text in result.outputs.items():
        if _read(knowledge_dir / name) != text:
            (knowledge_dir / name).write_text(text, encoding="utf-8")
            print(f"wrote {knowledge_dir / name}")
    return 0


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


if __name__ == "__main__":
    sys.exit(main())
