"""Accuracy side by side on the same question files: this bot, plain BM25, Rasa's stock knowledge-base action.

Scoring is the one of ``make eval`` (:mod:`evaluation`): each system gives one *outcome* per question (a
section heading, ``out_of_scope``, ``urgent``, ``fallback``, ...); it is correct when it is in the
question's ``accept`` list.

- **this bot**: the real servers over REST, asked and scored by :mod:`evaluation` (:func:`evaluate`).
- **plain BM25** (``rank_bm25.BM25Okapi``): one document per knowledge-base section (heading + text,
  lower-cased ``\\w+`` tokens, no lemmas, no stop-word list, no heading weight, no aliases); the
  outcome is the heading of the top-1 section. Rule for non-answers: when no section scores above 0
  the outcome is ``out_of_scope``; it never says ``urgent``. No threshold is tuned on these files.
- **stock KB action** (``rasa_sdk.knowledge_base``: ``InMemoryKnowledgeBase`` + ``ActionQueryKnowledgeBase``,
  run for real in-process): the knowledge base is built from ``knowledge/sections.yml`` (object type
  ``section``, key ``id``, name = heading, attribute ``text`` = the section's text). It needs an entity
  naming the object; we simulate the best NER it could have: the *longest* run of question words (not
  only stop words) that is a substring of some section name becomes the ``section`` entity, the
  attribute is ``text`` (a run naming exactly one section is preferred, as the action's own lookup,
  ``get_object``, answers only when the key or exactly one section name matches the mention). With no
  such run, or a mention naming several sections, the stock action does not apply (it lists every
  section or says ``utter_ask_rephrase``): outcome ``out_of_scope``, the same rule as the bot's
  "nothing found" fallback without suggestions. It never says ``urgent``. "Applies" counts the questions
  it answered with a section.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from actions.knowledge_base import KnowledgeBase
from actions.text_processing import STOP_WORDS
from evaluation.dataset import parse_question
from evaluation.runner import ask_questions
from evaluation.scoring import QuestionResult, summarize_questions
from serving.local_servers import Servers


def evaluate(servers: Servers, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ask the real bot every question (dicts as in the question files); one result dict each, scored as make eval."""
    parsed = [parse_question(q, f"question {i}") for i, q in enumerate(questions)]
    return [r.to_dict() for r in ask_questions(servers.send, parsed)]


def summarize(name: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    """The summary ``make eval`` prints for a file, from :func:`evaluate`'s result dicts."""
    return summarize_questions(name, [QuestionResult.from_dict(r) for r in results])


TOKEN = re.compile(r"\w+")


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


class PlainBM25:
    """rank_bm25 over the sections, plain lower-case tokens."""

    def __init__(self, kb: KnowledgeBase) -> None:
        from rank_bm25 import BM25Okapi

        self._headings = [s.heading for s in kb.sections.values()]
        self._bm25 = BM25Okapi([_tokens(f"{s.heading} {s.full_text}") for s in kb.sections.values()])

    def outcome(self, question: str) -> str:
        scores = self._bm25.get_scores(_tokens(question))
        best = max(range(len(scores)), key=lambda i: scores[i])
        return self._headings[best] if scores[best] > 0 else "out_of_scope"


class StockKnowledgeBaseAction:
    """Rasa's ``ActionQueryKnowledgeBase`` over the sections, with a simulated mention extractor."""

    def __init__(self, kb: KnowledgeBase, workdir: Path) -> None:
        from rasa_sdk.knowledge_base.actions import ActionQueryKnowledgeBase
        from rasa_sdk.knowledge_base.storage import InMemoryKnowledgeBase

        data = {"section": [{"id": s.id, "name": s.heading, "text": s.full_text} for s in kb.sections.values()]}
        path = workdir / "stock-kb.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        self._kb = InMemoryKnowledgeBase(str(path))
        self._action = ActionQueryKnowledgeBase(self._kb)
        self._names = [s.heading.lower() for s in kb.sections.values()]
        self._heading_by_id = {s.id: s.heading for s in kb.sections.values()}
        self.applied = 0

    def mention(self, question: str) -> str | None:
        """The longest run of question words naming exactly one section, else the longest naming several."""
        words = _tokens(question)
        fallback: str | None = None
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                span = words[start : start + size]
                if all(w in STOP_WORDS for w in span):
                    continue
                phrase = " ".join(span)
                matches = sum(phrase in name for name in self._names)
                if matches == 1:
                    return phrase
                if matches > 1 and fallback is None:
                    fallback = phrase
        return fallback

    async def _run(self, question: str, mention: str) -> str:
        from rasa_sdk import Tracker
        from rasa_sdk.executor import CollectingDispatcher

        tracker = Tracker(
            sender_id="bench",
            slots={"object_type": "section", "section": mention, "attribute": "text", "mention": None},
            latest_message={
                "text": question,
                "intent": {"name": "query_knowledge_base", "confidence": 1.0},
                "entities": [
                    {"entity": "section", "value": mention},
                    {"entity": "attribute", "value": "text"},
                ],
            },
            events=[],
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )
        events = await self._action.run(CollectingDispatcher(), tracker, {})
        for event in events:
            if event.get("name") == "knowledge_base_last_object" and event.get("value"):
                return self._heading_by_id[str(event["value"])]
        return "out_of_scope"  # utter_ask_rephrase: no answer, no suggestions

    def outcome(self, question: str) -> str:
        mention = self.mention(question)
        if mention is None:
            return "out_of_scope"
        got = asyncio.run(self._run(question, mention))
        self.applied += got != "out_of_scope"
        return got


def category(accept: list[str]) -> str:
    return accept[0] if accept[0] in ("out_of_scope", "urgent") else "answer"


def score(results: list[tuple[dict[str, Any], str]]) -> dict[str, Any]:
    """Accuracy overall and by expected outcome for (question, outcome) pairs."""
    totals: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for q, got in results:
        cat = category(q["accept"])
        totals[cat] += 1
        correct[cat] += got in q["accept"]
    n = sum(totals.values())
    return {
        "questions": n,
        "correct": sum(correct.values()),
        "accuracy": round(sum(correct.values()) / n, 4) if n else None,
        "by_category": {
            c: {"total": totals[c], "correct": correct[c], "accuracy": round(correct[c] / totals[c], 4)}
            for c in sorted(totals)
        },
    }


def baselines(kb: KnowledgeBase, question_sets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Plain BM25 and the stock KB action on every question file."""
    result: dict[str, Any] = {"plain_bm25": {}, "stock_kb_action": {}}
    bm25 = PlainBM25(kb)
    with tempfile.TemporaryDirectory() as workdir:
        stock = StockKnowledgeBaseAction(kb, Path(workdir))
        for name, questions in question_sets.items():
            result["plain_bm25"][name] = score([(q, bm25.outcome(q["question"])) for q in questions])
            stock.applied = 0
            outcomes = [(q, stock.outcome(q["question"])) for q in questions]
            applied = [(q, got) for q, got in outcomes if got != "out_of_scope"]
            summary = score(outcomes)
            summary["applies_to"] = stock.applied
            summary["accuracy_where_it_applies"] = score(applied)["accuracy"] if applied else None
            summary["examples"] = [
                {"question": q["question"], "mention": stock.mention(q["question"]), "got": got}
                for q, got in outcomes[:8]
            ]
            result["stock_kb_action"][name] = summary
    return result
