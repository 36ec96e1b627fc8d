"""A tracker store seeded with known conversations, written by Rasa's own ``SQLTrackerStore`` (SQLite or
PostgreSQL), plus three rows no reader can use. As on the server, every reply carries an ``answer_id`` but only
those of ``FEEDBACK_ANSWER_TYPES`` show feedback buttons (urgent, chitchat: none). The expected report numbers
in the tests are counted by hand from the conversations below (see the comments), not computed.

Days (UTC): OLD = 2026-10-20, D1 = 2026-11-02, D2 = 2026-11-03, D3 = 2026-11-04. Senders sort in the order
c1 < c2 < ... (the store is read one conversation after the other).

- c1-rest (D1): 3 questions (answer Symptoms, answer Types of treatment, personal_advice Types of treatment)
  and one feedback tap (not a question: intent ``feedback``, its thank-you not a reply); a1 rated up.
- c2-socketio (D1): answer Symptoms (a1: down, then down + hard_to_understand: the last counts),
  "will my child lose hair" -> not_in_summary citing Types of treatment (a2);
  (D3): "what is ALL" -> answer What is, WITHOUT an answer_id (a reply that showed no buttons).
- c3-telegram (D2): urgent fever (a1), "will my child lose her hair?" -> not_in_summary Types of treatment
  (a2: down + wrong_topic).
- c4-socketio (D2): "Will my child lose his hair" -> not_in_summary Types of treatment (a1: up, then down +
  didnt_answer), "what is the weather today" -> out_of_scope (a2), "can my child go to school" three times ->
  not_in_summary without a citation (a3, a4, a5): one conversation, so never shown.
- c5-rest (D3): urgent breathing (a1), "asdf qwerty" -> fallback (a2) followed by a payload with an
  answer type the contract does not know (skipped), a feedback slot with rating "meh" (skipped), then a2 rated
  down + didnt_answer, "thanks" -> chitchat (a3); then, written by hand, a user row that is not JSON
  (skipped) and a valid answer after it (belongs to no readable question: not counted).
- c6-rest (OLD): "will my child lose hair" -> not_in_summary (a1).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions import reply_contract as contract

OLD, D1, D2, D3 = dt.date(2026, 10, 20), dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 4)
SYMPTOMS = "Symptoms of childhood acute lymphoblastic leukemia"
TREATMENT = "Types of treatment for childhood acute lymphoblastic leukemia"
WHAT_IS = "What is childhood acute lymphoblastic leukemia?"
HIDDEN_QUESTIONS = ("can my child go to school", "what is the weather today", "asdf qwerty")


def at(day: dt.date, hour: int, minute: int = 0) -> float:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.timezone.utc).timestamp()


class Conversation:
    """Events of one conversation, each a second after the one before."""

    def __init__(self, sender: str, channel: str) -> None:
        self.sender, self.channel = sender, channel
        self.events: list[Event] = []
        self.clock = 0.0

    def start(self, day: dt.date, hour: int) -> Conversation:
        self.clock = at(day, hour)
        self.events += [
            ActionExecuted("action_session_start", timestamp=self._tick()),
            SessionStarted(timestamp=self._tick()),
            ActionExecuted("action_listen", timestamp=self._tick()),
        ]
        return self

    def _tick(self) -> float:
        self.clock += 1
        return self.clock

    def ask(self, text: str, intent: str = "ask_question") -> Conversation:
        self.events.append(
            UserUttered(text, {"name": intent, "confidence": 0.9}, input_channel=self.channel, timestamp=self._tick())
        )
        return self

    def reply(
        self, answer_type: str, section: str | None = None, answer_id: str | None = None, **extra: Any
    ) -> Conversation:
        citations = [dict(zip(contract.CITATION_KEYS, (section, "https://www.cancer.gov/", "2025-02-12"), strict=True))]
        custom = contract.payload(answer_type, citations if section else [])
        if answer_id is not None:
            custom[contract.ANSWER_ID] = answer_id
        custom.update(extra)
        self.events += [
            BotUttered("Some text.", timestamp=self._tick()),
            BotUttered(data={"custom": custom}, timestamp=self._tick()),
        ]
        return self

    def disclaimer(self) -> Conversation:
        custom = {**contract.payload(contract.CHITCHAT), contract.DISCLAIMER: True}
        self.events.append(BotUttered(data={"custom": custom}, timestamp=self._tick()))
        return self

    def rate(
        self, answer_id: str, rating: str, reason: str | None, section: str | None, answer_type: str
    ) -> Conversation:
        value = {
            contract.ANSWER_ID: answer_id, contract.RATING: rating, contract.REASON: reason,
            "section": section, "answer_type": answer_type,
        }  # fmt: skip
        self.events.append(SlotSet(contract.FEEDBACK_SLOT, value, timestamp=self._tick()))
        return self

    def tap_feedback(self) -> Conversation:
        """The feedback message itself and the thank-you after it."""
        self.ask('/feedback{"answer_id": "a1", "rating": "up"}', intent=contract.FEEDBACK_INTENT)
        return self.reply(contract.CHITCHAT)


def conversations() -> list[Conversation]:
    nis, urgent = contract.NOT_IN_SUMMARY, contract.URGENT
    c1 = Conversation("c1-rest", "rest").start(D1, 9)
    c1.ask("what are the symptoms of ALL?").disclaimer().reply(contract.ANSWER, SYMPTOMS, "a1")
    c1.tap_feedback().rate("a1", "up", None, SYMPTOMS, contract.ANSWER)
    c1.ask("how is ALL treated").reply(contract.ANSWER, TREATMENT, "a2")
    c1.ask("should I give him more medicine").reply(contract.PERSONAL_ADVICE, TREATMENT, "a3", advice_kind="dose")

    c2 = Conversation("c2-socketio", "socketio").start(D1, 10)
    c2.ask("what are the symptoms").reply(contract.ANSWER, SYMPTOMS, "a1")
    c2.rate("a1", "down", None, SYMPTOMS, contract.ANSWER).rate("a1", "down", "hard_to_understand", SYMPTOMS, "answer")
    c2.ask("will my child lose hair").reply(nis, TREATMENT, "a2")
    c2.clock = at(D3, 15)
    c2.ask("what is ALL").reply(contract.ANSWER, WHAT_IS)

    c3 = Conversation("c3-telegram", "telegram").start(D2, 8)
    c3.ask("he has a fever of 39 during chemo").reply(urgent, None, "a1", urgent_category="fever")
    c3.ask("will my child lose her hair?").reply(nis, TREATMENT, "a2").rate("a2", "down", "wrong_topic", TREATMENT, nis)

    c4 = Conversation("c4-socketio", "socketio").start(D2, 20)
    c4.ask("Will my child lose his hair").reply(nis, TREATMENT, "a1").rate("a1", "up", None, TREATMENT, nis)
    c4.rate("a1", "down", "didnt_answer", TREATMENT, nis)
    c4.ask("what is the weather today").reply(contract.OUT_OF_SCOPE, None, "a2")
    for answer_id in ("a3", "a4", "a5"):
        c4.ask("can my child go to school").reply(nis, None, answer_id)

    c5 = Conversation("c5-rest", "rest").start(D3, 12)
    c5.ask("she can't breathe properly").reply(urgent, None, "a1", urgent_category="breathing")
    c5.ask("asdf qwerty").reply(contract.FALLBACK, None, "a2").reply("made_up_type", None, "a9")
    c5.events.append(SlotSet(contract.FEEDBACK_SLOT, {contract.ANSWER_ID: "a2", contract.RATING: "meh"}))
    c5.events[-1].timestamp = c5._tick()
    c5.rate("a2", "down", "didnt_answer", None, contract.FALLBACK)
    c5.ask("thanks").reply(contract.CHITCHAT, None, "a3")

    c6 = Conversation("c6-rest", "rest").start(OLD, 11)
    c6.ask("will my child lose hair").reply(nis, TREATMENT, "a1")
    return [c1, c2, c3, c4, c5, c6]


def seed(store: SQLTrackerStore) -> None:
    """Save every conversation through Rasa's store, then add the two hand-written rows of c5."""
    for conversation in conversations():
        tracker = DialogueStateTracker.from_events(conversation.sender, conversation.events)
        asyncio.run(store.save(tracker))
    broken_answer = {"event": "bot", "text": "x", "data": {"custom": contract.payload(contract.ANSWER)}}
    rows = [
        ("user", at(D3, 13), "{not json"),
        ("bot", at(D3, 13) + 1, json.dumps(broken_answer)),
    ]
    with store.engine.begin() as connection:
        for type_name, timestamp, data in rows:
            connection.execute(
                sa.text("insert into events (sender_id, type_name, timestamp, data) values ('c5-rest', :t, :ts, :d)"),
                {"t": type_name, "ts": timestamp, "d": data},
            )
