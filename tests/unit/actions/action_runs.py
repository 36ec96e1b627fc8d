"""Running a custom action as the action server does: a real rasa_sdk Tracker for one user message, a
CollectingDispatcher, the project's domain; and the checks that answers share."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_base import KnowledgeBase

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[3] / "domain.yml").read_text(encoding="utf-8"))


def make_tracker(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    ranking: list[tuple[str, float]] | None = None,
) -> Tracker:
    intent_ranking = [{"name": name, "confidence": confidence} for name, confidence in ranking or [(intent, 0.99)]]
    return Tracker(
        sender_id="test-user",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": intent_ranking[0],
            "intent_ranking": intent_ranking,
            "entities": entities or [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action: Action, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The values the events set, by slot name."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def assert_cited_answer(message: dict[str, Any], kb: KnowledgeBase, section_id: str) -> None:
    section = kb.section(section_id)
    payload = message["custom"]
    assert payload["answer_type"] == "answer"
    assert payload["citations"][0] == {
        "section": section.heading,
        "url": section.url,
        "updated": "2025-02-12",
    }
    assert section.heading in message["text"] and section.url in message["text"]
