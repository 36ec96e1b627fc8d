"""evaluation.dataset: question files, conversation files and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.dataset import ConversationFile, EvalFileError, QuestionFile, load_eval_file


def write(path: Path, *objects: object, raw: str = "") -> Path:
    path.write_text("\n".join(json.dumps(o) for o in objects) + "\n" + raw, encoding="utf-8")
    return path


def test_question_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "q.jsonl",
        {"question": "what is ALL", "accept": ["What is ALL?"], "source": "x"},
        {"question": "he can't breathe", "accept": ["urgent"], "category": "breathing", "keyword": False, "id": 7},
        {"question": "my son's dose?", "accept": ["personal_advice"], "kind": "dose", "style": "terse", "gap": True},
    )
    loaded = load_eval_file(path)
    assert isinstance(loaded, QuestionFile)
    first, second, third = loaded.questions
    assert first.expectation.accept == ("What is ALL?",)
    assert first.keyword is None
    assert (second.expectation.category, second.keyword, second.id) == ("breathing", False, "7")
    assert (third.kind, third.style, third.gap) == ("dose", "terse", True)


def test_conversation_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.jsonl",
        {"id": "c-01", "turns": [{"user": "phases?", "accept": ["Phases"]}], "kind": ["follow-up"]},
        {
            "id": "c-02",
            "turns": [{"user": "a", "accept": ["any"], "key_passage": "x y"}, {"user": "b", "accept": ["urgent"]}],
        },
    )
    loaded = load_eval_file(path)
    assert isinstance(loaded, ConversationFile)
    assert [c.id for c in loaded.conversations] == ["c-01", "c-02"]
    assert loaded.conversations[0].kinds == ("follow-up",)
    assert loaded.conversations[1].turns[0].expectation.key_passage == "x y"


@pytest.mark.parametrize(
    ("objects", "raw", "message"),
    [
        ((), "", "holds no questions"),
        (({"question": "a", "accept": ["x"]},), "{not json", ":2: invalid JSON"),
        (({"question": "a"},), "", "'accept' must be a non-empty list"),
        (({"question": "a", "accept": []},), "", "'accept' must be a non-empty list"),
        (({"question": "a", "accept": ["x"], "keyword": "yes"},), "", "'keyword' must be true or false"),
        (({"turns": [{"user": "a", "accept": ["x"]}]}, {"question": "b", "accept": ["x"]}), "", "'turns'"),
        (({"turns": [{"accept": ["x"]}]},), "", "turn 0: 'user'"),
    ],
)
def test_bad_files_raise_a_clear_error(tmp_path: Path, objects: tuple[object, ...], raw: str, message: str) -> None:
    path = write(tmp_path / "bad.jsonl", *objects, raw=raw)
    with pytest.raises(EvalFileError, match=message):
        load_eval_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvalFileError, match="cannot read"):
        load_eval_file(tmp_path / "nope.jsonl")
