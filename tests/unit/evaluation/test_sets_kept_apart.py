"""No evaluation sentence stands word for word in what the bot is trained on.

The evaluation sets (eval/, eval/blind/, ../shared/eval/) measure the bot on wording it has not been trained
on; a question or conversation turn that also stands in the NLU data, the stories and rules, or the safety
classifier's examples is measured on its own training sentence. Compared after lower-casing and keeping only
letters and digits, so "What is X?" and "what is x" are the same sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
EVAL_FILES = sorted([*ROOT.glob("eval/**/*.jsonl"), *(ROOT.parent / "shared" / "eval").glob("*.jsonl")])
TRAINING_FILES = sorted([*ROOT.glob("data/**/*.yml"), ROOT / "knowledge" / "safety" / "training.yml"])
_ENTITY_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")
_LIST_ITEM = re.compile(r"^\s*-\s+(?:user:\s*)?(.+?)\s*$")
_STORY_USER = re.compile(r"^\s*(?:-\s+)?user:\s*[|>]?\s*(.*?)\s*$")


def _key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _training_sentences() -> set[str]:
    sentences = set()
    for path in TRAINING_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            for pattern in (_LIST_ITEM, _STORY_USER):
                found = pattern.match(line)
                if found:
                    text = found.group(1).strip().strip("\"'")
                    sentences.add(_key(_ENTITY_MARKUP.sub(lambda m: m.group(1) or m.group(2), text)))
    sentences.discard("")
    return sentences


def _evaluation_sentences() -> Iterator[tuple[str, str]]:
    for path in EVAL_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            texts = [item.get("question"), *(turn.get("user") for turn in item.get("turns") or [])]
            for text in texts:
                if isinstance(text, str) and text.strip():
                    yield (path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).as_posix(), text


def test_the_evaluation_and_training_files_are_found() -> None:
    assert len(EVAL_FILES) >= 10
    assert len(TRAINING_FILES) >= 5
    assert len(_training_sentences()) > 1000


def test_no_evaluation_sentence_is_a_training_sentence() -> None:
    training = _training_sentences()
    shared = [f"{path}: {text}" for path, text in _evaluation_sentences() if _key(text) in training]
    assert shared == []


def test_a_training_sentence_in_an_evaluation_set_would_be_found() -> None:
    # The check itself: an NLU example written with entity markup is still the evaluation sentence.
    assert _key("What does [vincristine](drug) do?") != _key("What does vincristine do?")
    assert _key(_ENTITY_MARKUP.sub(lambda m: m.group(1) or m.group(2), "What does [vincristine](drug) do?")) == _key(
        "what does Vincristine do"
    )
