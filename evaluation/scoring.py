"""Scoring: one turn against its expectation, one question, one conversation, and a whole file's summary.

Contract.

- A turn is *correct* when its outcome is in ``accept``, with two special values: ``any`` (always correct)
  and ``not_urgent`` (correct iff the outcome is not ``urgent``). A turn whose ``accept`` holds
  ``personal_advice`` is correct when the outcome is ``personal_advice`` (even if a cited answer followed).
  A turn the bot could not be asked (outcome ``error``) is never correct.
- ``passage_found`` is ``None`` without a key passage, else whether the reply contains it
  (:func:`evaluation.outcome.passage_found`). A turn's passage is *ok* unless it is ``False``.
- The *expected outcome* of an item is ``accept[0]`` when that is ``urgent``, ``out_of_scope``,
  ``personal_advice``, ``any`` or ``not_urgent``, else ``answer`` (a PDQ heading).
- A conversation *succeeds* when every turn is correct and every turn's passage is ok.
- :func:`summarize_questions` / :func:`summarize_conversations` return JSON-ready dicts; the keys of the
  question summary are listed in :func:`summarize_questions`. Counts are :class:`evaluation.stats.Ratio`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from evaluation import outcome as oc
from evaluation.dataset import Conversation, ConversationTurn, Expectation, Question
from evaluation.stats import Ratio, count, median, percentile, ratio

ANY = "any"
NOT_URGENT = "not_urgent"
EXPECTED_ANSWER = "answer"
SPECIAL_ACCEPT = frozenset({oc.URGENT, oc.OUT_OF_SCOPE, oc.PERSONAL_ADVICE, ANY, NOT_URGENT})
NON_HEADINGS = SPECIAL_ACCEPT | {oc.FALLBACK, oc.CLARIFY, oc.NO_REPLY, oc.ERROR}


def is_heading(value: str) -> bool:
    """Whether an outcome / accept value names a PDQ section (as opposed to a special outcome)."""
    return value not in NON_HEADINGS


def is_correct(got: str, accept: Sequence[str]) -> bool:
    if got == oc.ERROR:
        return False
    if ANY in accept:
        return True
    if NOT_URGENT in accept and got != oc.URGENT:
        return True
    return got in accept


def expected_outcome(accept: Sequence[str]) -> str:
    return accept[0] if accept[0] in SPECIAL_ACCEPT else EXPECTED_ANSWER


@dataclass(frozen=True)
class TurnResult:
    """What the bot did with one user message, judged against its expectation."""

    user: str
    accept: tuple[str, ...]
    got: str
    correct: bool
    key_passage: str | None
    passage_found: bool | None
    category: str | None  # expected urgent category
    urgent_category: str | None  # the bot's urgent category
    reply: str
    answer_body: str | None
    latency_ms: float
    error: str | None = None

    @property
    def passage_ok(self) -> bool:
        return self.passage_found is not False

    @property
    def expected(self) -> str:
        return expected_outcome(self.accept)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "accept": list(self.accept), "expected": self.expected}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TurnResult:
        return cls(
            user=str(data.get("user", data.get("question", ""))),
            accept=tuple(data["accept"]),
            got=str(data["got"]),
            correct=bool(data["correct"]),
            key_passage=data.get("key_passage"),
            passage_found=data.get("passage_found"),
            category=data.get("category"),
            urgent_category=data.get("urgent_category"),
            reply=str(data.get("reply", "")),
            answer_body=data.get("answer_body"),
            latency_ms=float(data.get("latency_ms", 0.0)),
            error=data.get("error"),
        )


def score_turn(
    user: str,
    expectation: Expectation,
    messages: Sequence[oc.Message],
    latency_ms: float = 0.0,
    error: str | None = None,
) -> TurnResult:
    """Judge one reply (``error`` set: the bot could not be asked, outcome ``error``)."""
    got = oc.ERROR if error is not None else oc.outcome(messages)
    key = expectation.key_passage
    return TurnResult(
        user=user,
        accept=expectation.accept,
        got=got,
        correct=is_correct(got, expectation.accept),
        key_passage=key,
        passage_found=None if key is None else oc.passage_found(key, messages),
        category=expectation.category,
        urgent_category=oc.urgent_category(messages),
        reply=oc.reply_text(messages) if error is None else f"[error: {error}]",
        answer_body=oc.answer_body(messages),
        latency_ms=round(latency_ms, 1),
        error=error,
    )


@dataclass(frozen=True)
class QuestionResult:
    """One question and how the bot did on it."""

    question: Question
    turn: TurnResult

    @property
    def got(self) -> str:
        return self.turn.got

    @property
    def correct(self) -> bool:
        return self.turn.correct

    def to_dict(self) -> dict[str, Any]:
        """Flat JSON: the question's fields, then the turn's (``question`` instead of ``user``)."""
        turn = self.turn.to_dict()
        del turn["user"]
        q = self.question
        meta = {"id": q.id, "question": q.question, "kind": q.kind, "style": q.style}
        return {**meta, "keyword": q.keyword, "gap": q.gap, **turn}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuestionResult:
        turn = TurnResult.from_dict(data)
        question = Question(
            question=str(data["question"]),
            expectation=Expectation(turn.accept, turn.key_passage, turn.category),
            id=data.get("id"),
            kind=data.get("kind"),
            style=data.get("style"),
            keyword=data.get("keyword"),
            gap=data.get("gap"),
        )
        return cls(question, turn)


def score_question(
    question: Question, messages: Sequence[oc.Message], latency_ms: float = 0.0, error: str | None = None
) -> QuestionResult:
    return QuestionResult(question, score_turn(question.question, question.expectation, messages, latency_ms, error))


@dataclass(frozen=True)
class ConversationResult:
    """One conversation and how the bot did on each of its turns."""

    conversation: Conversation
    turns: tuple[TurnResult, ...]

    @property
    def success(self) -> bool:
        return all(t.correct and t.passage_ok for t in self.turns)

    def to_dict(self) -> dict[str, Any]:
        c = self.conversation
        return {"id": c.id, "kind": list(c.kinds), "success": self.success, "turns": [t.to_dict() for t in self.turns]}


def score_conversation(
    conversation: Conversation, replies: Sequence[tuple[ConversationTurn, Sequence[oc.Message], float, str | None]]
) -> ConversationResult:
    """``replies``: per turn, the turn, the bot's messages, the round trip in ms and an error (or ``None``)."""
    return ConversationResult(
        conversation,
        tuple(score_turn(t.user, t.expectation, m, ms, err) for t, m, ms, err in replies),
    )


T = TypeVar("T")


def _grouped(items: Iterable[T], key: Callable[[T], str | None], hit: Callable[[T], bool]) -> dict[str, Ratio]:
    """Ratio of ``hit`` per value of ``key`` (items whose key is ``None`` are left out)."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for item in items:
        value = key(item)
        if value is not None:
            groups[value].append(hit(item))
    return {k: count(v) for k, v in sorted(groups.items())}


def _keyword(r: QuestionResult) -> str | None:
    return None if r.question.keyword is None else f"keyword={str(r.question.keyword).lower()}"


def reply_lengths(turns: Iterable[TurnResult]) -> dict[str, Any]:
    """Characters of the answer bodies (turns that had an ``answer`` / ``not_in_summary`` message)."""
    lengths = [len(t.answer_body) for t in turns if t.answer_body is not None]
    return {
        "answers": len(lengths),
        "median_chars": median(lengths),
        "p95_chars": percentile(lengths, 95),
        "max_chars": max(lengths) if lengths else None,
    }


def summarize_questions(name: str, results: Sequence[QuestionResult]) -> dict[str, Any]:
    """The summary of a question file.

    Keys: ``file``, ``type`` ("questions"), ``questions``, ``correct``, ``accuracy`` (float),
    ``by_expected`` (ratio per expected outcome), ``right_section`` (among questions whose accept holds a
    heading: outcome is one of those headings; plus ``wrong_section`` and ``not_answered`` counts),
    ``passage_recall`` (questions with a key passage), ``reply_length``, ``urgent_recall`` (float or None,
    items whose accept holds ``urgent``), ``urgent`` (``recall``, ``by_category``, ``by_keyword``,
    ``category_agreement``), ``false_urgent`` (int), ``false_urgent_detail`` (``rate`` among items whose
    accept lacks ``urgent``, ``by_kind``), ``personal_advice`` (``recall``, ``by_kind``), ``by_style``,
    ``median_latency_ms``, ``misses``, ``passage_misses`` (right outcome, key passage missing) and ``results``.
    """
    turns = [r.turn for r in results]
    answerable = [t for t in turns if any(is_heading(a) for a in t.accept)]
    right = [t for t in answerable if is_heading(t.got) and t.got in t.accept]
    wrong = [t for t in answerable if is_heading(t.got) and t.got not in t.accept]
    urgent = [r for r in results if oc.URGENT in r.turn.accept]
    not_urgent = [r for r in results if oc.URGENT not in r.turn.accept]
    advice = [r for r in results if oc.PERSONAL_ADVICE in r.turn.accept]
    urgent_recall = count(r.got == oc.URGENT for r in urgent)
    said_urgent = [r.turn for r in urgent if r.got == oc.URGENT and r.turn.category is not None]
    correct = sum(t.correct for t in turns)
    return {
        "file": name,
        "type": "questions",
        "questions": len(results),
        "correct": correct,
        "accuracy": round(correct / len(results), 4) if results else 0.0,
        "by_expected": _grouped(turns, lambda t: t.expected, lambda t: t.correct),
        "right_section": {
            **ratio(len(right), len(answerable)),
            "wrong_section": len(wrong),
            "not_answered": len(answerable) - len(right) - len(wrong),
        },
        "passage_recall": count(bool(t.passage_found) for t in turns if t.key_passage is not None),
        "reply_length": reply_lengths(turns),
        "urgent_recall": urgent_recall["rate"],
        "urgent": {
            "recall": urgent_recall,
            "by_category": _grouped(urgent, lambda r: r.turn.category, lambda r: r.got == oc.URGENT),
            "by_keyword": _grouped(urgent, _keyword, lambda r: r.got == oc.URGENT),
            "category_agreement": count(t.urgent_category == t.category for t in said_urgent),
        },
        "false_urgent": sum(r.got == oc.URGENT for r in not_urgent),
        "false_urgent_detail": {
            "rate": count(r.got == oc.URGENT for r in not_urgent),
            "by_kind": _grouped(not_urgent, lambda r: r.question.kind, lambda r: r.got == oc.URGENT),
        },
        "personal_advice": {
            "recall": count(r.got == oc.PERSONAL_ADVICE for r in advice),
            "by_kind": _grouped(advice, lambda r: r.question.kind, lambda r: r.got == oc.PERSONAL_ADVICE),
        },
        "by_style": _grouped(results, lambda r: r.question.style, lambda r: r.correct),
        "median_latency_ms": median([t.latency_ms for t in turns]),
        "misses": [r.to_dict() for r in results if not r.correct],
        "passage_misses": [r.to_dict() for r in results if r.correct and r.turn.passage_found is False],
        "results": [r.to_dict() for r in results],
    }


def summarize_conversations(name: str, results: Sequence[ConversationResult]) -> dict[str, Any]:
    """The summary of a conversation file.

    Keys: ``file``, ``type`` ("conversations"), ``conversations``, ``turns``, ``turn_accuracy``, ``success``
    (whole conversations), ``passage_recall`` (turns with a key passage) and ``follow_up_passage_recall``
    (the same on turns with index >= 1), ``urgent_turns_recall`` (turns whose accept is ``["urgent"]``),
    ``false_urgent`` (turns whose accept lacks ``urgent`` answered urgent), ``by_kind`` (success per
    conversation kind; a conversation counts once under each of its kinds), ``reply_length``,
    ``median_latency_ms``, ``failed`` (every failed conversation, every turn) and ``results``.
    """
    turns = [t for r in results for t in r.turns]
    follow_ups = [t for r in results for t in r.turns[1:]]
    kinds: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        for kind in r.conversation.kinds:
            kinds[kind].append(r.success)
    return {
        "file": name,
        "type": "conversations",
        "conversations": len(results),
        "turns": len(turns),
        "turn_accuracy": count(t.correct for t in turns),
        "success": count(r.success for r in results),
        "passage_recall": count(bool(t.passage_found) for t in turns if t.key_passage is not None),
        "follow_up_passage_recall": count(bool(t.passage_found) for t in follow_ups if t.key_passage is not None),
        "urgent_turns_recall": count(t.got == oc.URGENT for t in turns if list(t.accept) == [oc.URGENT]),
        "false_urgent": sum(t.got == oc.URGENT for t in turns if oc.URGENT not in t.accept),
        "by_kind": {k: count(v) for k, v in sorted(kinds.items())},
        "reply_length": reply_lengths(turns),
        "median_latency_ms": median([t.latency_ms for t in turns]),
        "failed": [r.to_dict() for r in results if not r.success],
        "results": [r.to_dict() for r in results],
    }
