"""A whole evaluation run: read every file first, ask the bot, write the reports, return the summary lines.

Contract: :func:`load_files` reads all files before the bot is started and raises
:class:`evaluation.dataset.EvalFileError` on the first one it cannot use. :func:`evaluate_file` asks the bot
(through ``send``) and returns the file's summary dict. :func:`write_report` writes
``<out>/eval-<stem>.json`` (the summary, with every result) and ``<out>/eval-<stem>.md``. :func:`run` does
all files in order and returns one stdout line per file. Nothing here decides pass or fail: the run measures.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from evaluation.dataset import ConversationFile, EvalFile, load_eval_file
from evaluation.report import markdown, summary_line
from evaluation.runner import Progress, Send, ask_questions, play_conversations
from evaluation.scoring import summarize_conversations, summarize_questions


def load_files(paths: Iterable[Path]) -> list[EvalFile]:
    return [load_eval_file(path) for path in paths]


def _progress(name: str) -> Progress:
    def report(done: int, total: int) -> None:
        if done % 25 == 0 or done == total:
            print(f"eval: {name}: {done}/{total}", file=sys.stderr, flush=True)

    return report


def evaluate_file(send: Send, eval_file: EvalFile) -> dict[str, Any]:
    name = eval_file.path.name
    if isinstance(eval_file, ConversationFile):
        return summarize_conversations(name, play_conversations(send, eval_file.conversations, _progress(name)))
    return summarize_questions(name, ask_questions(send, eval_file.questions, _progress(name)))


def write_report(out: Path, stem: str, summary: dict[str, Any]) -> Path:
    """Write the JSON and markdown reports; returns the markdown's path."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"eval-{stem}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    report = out / f"eval-{stem}.md"
    report.write_text(markdown(summary), encoding="utf-8")
    return report


def run(send: Send, files: Sequence[EvalFile], out: Path) -> list[str]:
    lines = []
    for eval_file in files:
        summary = evaluate_file(send, eval_file)
        line = summary_line(summary, str(write_report(out, eval_file.path.stem, summary)))
        print(line, flush=True)
        lines.append(line)
    return lines
