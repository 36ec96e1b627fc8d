"""The benchmarks' questions: both evaluation files and the load mix built from them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from serving.paths import ROOT

QUESTION_FILES = {
    "external": ROOT.parent / "shared" / "eval" / "external_questions.jsonl",
    "own": ROOT / "eval" / "own_questions.jsonl",
}


def read_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def question_mix(question_sets: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The load mix: every question of both files, interleaved so each user gets a varied conversation."""
    mix = [q["question"] for pair in zip(*question_sets.values(), strict=False) for q in pair]
    return mix + [q["question"] for q in question_sets["own"][len(question_sets["external"]) :]]
