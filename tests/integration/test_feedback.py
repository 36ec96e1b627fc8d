"""Answer feedback over REST with the real model and action server: every stored reply carries an answer_id,
a 👎 and its reason become the answer_feedback SlotSet events in the SQLite tracker store, and the
conversation goes on as if the feedback had not been there."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from actions import reply_contract as contract
from serving.local_servers import Servers

pytestmark = pytest.mark.integration

SYMPTOMS = "Symptoms of childhood acute lymphoblastic leukemia"


def new_sender() -> str:
    return f"feedback-{uuid.uuid4().hex[:10]}"


def payloads(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages if "custom" in m]


def stored_feedback(tracker_db: str | Path, sender: str) -> list[dict[str, Any]]:
    """The values of the answer_feedback slot events stored for ``sender``, oldest first."""
    with sqlite3.connect(tracker_db) as db:
        rows = db.execute(
            "select data from events where sender_id = ? and type_name = 'slot' order by id", (sender,)
        ).fetchall()
    events = [json.loads(row[0]) for row in rows]
    return [e["value"] for e in events if e.get("name") == contract.FEEDBACK_SLOT]


def stored_actions(tracker_db: str | Path, sender: str) -> list[str]:
    with sqlite3.connect(tracker_db) as db:
        rows = db.execute(
            "select action_name from events where sender_id = ? and type_name = 'action' order by id", (sender,)
        ).fetchall()
    return [row[0] for row in rows]


def test_every_stored_reply_payload_has_its_own_answer_id(servers: Servers) -> None:
    sender = new_sender()
    replies = [
        *servers.send(sender, "what are the symptoms of ALL?"),  # disclaimer, then a custom action's answer
        *servers.send(sender, "what is the weather in Paris tomorrow?"),  # the refusal, uttered by action_out_of_scope
        *servers.send(sender, "hello"),  # a rule's utter_greet
    ]
    ids = [p[contract.ANSWER_ID] for p in payloads(replies)]
    assert len(ids) >= 4
    assert all(re.fullmatch(contract.ANSWER_ID_PATTERN, i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert {p[contract.ANSWER_TYPE] for p in payloads(replies)} >= {"answer", "out_of_scope", "chitchat"}


def test_thumbs_down_then_a_reason_are_stored_and_the_conversation_goes_on(servers: Servers) -> None:
    sender = new_sender()
    answer = payloads(servers.send(sender, "what are the symptoms of ALL?"))[-1]
    assert answer[contract.ANSWER_TYPE] == "answer"
    assert answer[contract.CITATIONS][0]["section"] == SYMPTOMS
    answer_id = answer[contract.ANSWER_ID]

    down = servers.send(sender, contract.feedback_payload(answer_id, "down"))
    assert [m.get("text") for m in down if "text" in m] == ["Thank you. What was wrong with it? (optional)"]
    buttons = down[0]["buttons"]
    assert [b["title"] for b in buttons] == ["Didn't answer my question", "Hard to understand", "Wrong topic"]
    assert payloads(down)[-1][contract.ANSWER_TYPE] == "chitchat"

    reason = servers.send(sender, buttons[1]["payload"])
    assert reason[0]["text"] == "Thank you. This helps the people who keep these answers right."

    assert stored_feedback(servers.env["TRACKER_DB"], sender) == [
        {"answer_id": answer_id, "rating": "down", "reason": None, "section": SYMPTOMS, "answer_type": "answer"},
        {"answer_id": answer_id, "rating": "down", "reason": "hard_to_understand", "section": SYMPTOMS,
         "answer_type": "answer"},
    ]  # fmt: skip
    actions = stored_actions(servers.env["TRACKER_DB"], sender)
    assert actions[-4:] == ["action_record_feedback", "action_listen", "action_record_feedback", "action_listen"]

    more = servers.send(sender, "tell me more")  # the slots still say which section and what was shown
    assert payloads(more)[-1][contract.CITATIONS][0]["section"] == SYMPTOMS
    urgent = servers.send(sender, "he has a fever of 39 during chemo")  # safety still checks every message
    assert payloads(urgent)[-1][contract.ANSWER_TYPE] == "urgent"


def test_feedback_on_a_rule_response_and_a_thumbs_up(servers: Servers) -> None:
    sender = new_sender()
    out_of_scope = payloads(servers.send(sender, "what is the weather in Paris tomorrow?"))[-1]
    assert out_of_scope[contract.ANSWER_TYPE] == "out_of_scope"
    up = servers.send(sender, contract.feedback_payload(out_of_scope[contract.ANSWER_ID], "up"))
    assert up[0]["text"] == "Thank you for letting us know."
    assert stored_feedback(servers.env["TRACKER_DB"], sender) == [
        {"answer_id": out_of_scope[contract.ANSWER_ID], "rating": "up", "reason": None, "section": None,
         "answer_type": "out_of_scope"}
    ]  # fmt: skip


def test_feedback_that_names_no_reply_of_the_conversation_stores_nothing(servers: Servers) -> None:
    sender = new_sender()
    servers.send(sender, "what are the symptoms of ALL?")
    unknown = servers.send(sender, contract.feedback_payload("0123456789ab", "down"))
    assert unknown[0]["text"] == "Sorry, I couldn't record that rating. You can keep asking your questions."
    typed = servers.send(sender, '/feedback{"answer_id": "0123456789ab", "rating": "down", "reason": "my son Sam"}')
    assert payloads(typed)[-1][contract.ANSWER_TYPE] != "chitchat" or "rating" not in json.dumps(typed)
    assert stored_feedback(servers.env["TRACKER_DB"], sender) == []


def test_feedback_during_the_risk_group_form_is_recorded_and_the_form_goes_on(servers: Servers) -> None:
    sender = new_sender()
    first = servers.send(sender, "can you check which risk group fits a 4 year old?")
    rated = next(p for p in payloads(first) if p[contract.ANSWER_TYPE] in contract.FEEDBACK_ANSWER_TYPES)
    during = servers.send(sender, contract.feedback_payload(rated[contract.ANSWER_ID], "up"))
    texts = [str(m["text"]) for m in during if "text" in m]
    assert texts[0] == "Thank you for letting us know."
    assert "white blood cell count" in texts[-1]  # the form asks its question again
    result = servers.send(sender, "about 30,000")
    assert "not your child's risk group" in str(result[0].get("text"))
    [stored] = stored_feedback(servers.env["TRACKER_DB"], sender)
    assert (stored["rating"], stored["answer_id"]) == ("up", rated[contract.ANSWER_ID])
