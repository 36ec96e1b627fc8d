"""Answer feedback on WhatsApp (Cloud API) end to end: real Rasa + action servers, the channel sending through the
local Graph API stand-in, the feedback read back from the SQLite tracker store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from actions.knowledge_base import KnowledgeBase
from channels.pseudonyms import conversation_id
from serving.local_servers import Servers
from tests.integration.channels.messaging.conftest import APP_SECRET
from tests.integration.channels.messaging.standins import Recorder
from tests.integration.channels.messaging.test_whatsapp import bodies, choices, cites, new_wa_id, send, tap, text

pytestmark = pytest.mark.integration

PROMPT = "Did this answer help?"


def stored_feedback(tracker_db: str | Path, sender: str) -> list[dict[str, Any]]:
    """The values of the answer_feedback slot events stored for ``sender``, oldest first."""
    with sqlite3.connect(tracker_db) as db:
        rows = db.execute(
            "select data from events where sender_id = ? and type_name = 'slot' order by id", (sender,)
        ).fetchall()
    return [e["value"] for e in map(json.loads, (r[0] for r in rows)) if e.get("name") == "answer_feedback"]


def thumbs(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in sent if m["type"] == "interactive" and m["interactive"]["body"]["text"] == PROMPT]


def test_thumbs_down_and_a_reason_tapped_on_whatsapp_are_stored_and_urgent_replies_get_no_thumbs(
    servers: Servers, graph_api: Recorder, kb: KnowledgeBase
) -> None:
    wa_id = new_wa_id()
    sender = conversation_id("whatsapp", APP_SECRET, wa_id)
    section = kb.section("symptoms")

    sent = send(servers, graph_api, wa_id, text("what are the symptoms of leukemia?"))
    assert cites(bodies(sent)[-2], section)  # the answer with its citation as text, its options kept
    assert sent[-2]["interactive"]["type"] == "list"
    assert sent[-1] == thumbs(sent)[0]  # one 👍 / 👎 message, last
    [(up_id, up), (down_id, down)] = choices(sent[-1])
    assert (up, down) == ("👍 Yes", "👎 No")
    answer_id = json.loads(down_id.removeprefix("/feedback"))["answer_id"]
    assert (up_id, down_id) == (
        f'/feedback{{"answer_id":"{answer_id}","rating":"up"}}',
        f'/feedback{{"answer_id":"{answer_id}","rating":"down"}}',
    )

    asked = send(servers, graph_api, wa_id, tap("button_reply", down_id, down))
    assert bodies(asked) == ["Thank you. What was wrong with it? (optional)"]
    assert asked[0]["interactive"]["type"] == "button"
    reasons = choices(asked[0])
    assert [t for _, t in reasons] == ["Didn't answer", "Hard to understand", "Wrong topic"]

    thanked = send(servers, graph_api, wa_id, tap("button_reply", reasons[1][0], reasons[1][1]))
    assert bodies(thanked) == ["Thank you. This helps the people who keep these answers right."]

    section_title = "Symptoms of childhood acute lymphoblastic leukemia"
    assert stored_feedback(servers.env["TRACKER_DB"], sender) == [
        {"answer_id": answer_id, "rating": "down", "reason": None, "section": section_title, "answer_type": "answer"},
        {"answer_id": answer_id, "rating": "down", "reason": "hard_to_understand", "section": section_title,
         "answer_type": "answer"},
    ]  # fmt: skip

    urgent = send(servers, graph_api, wa_id, text("my daughter has a fever of 39 and she is on chemo"))
    assert "911" in bodies(urgent)[0]
    assert thumbs(urgent) == []
    again = send(servers, graph_api, wa_id, text("what is chemotherapy?"))  # the next answer gets them again
    [(up_id, up), _] = choices(thumbs(again)[0])
    rated_id = json.loads(up_id.removeprefix("/feedback"))["answer_id"]
    assert rated_id != answer_id
    assert bodies(send(servers, graph_api, wa_id, tap("button_reply", up_id, up))) == ["Thank you for letting us know."]
    assert stored_feedback(servers.env["TRACKER_DB"], sender)[-1] == {
        "answer_id": rated_id, "rating": "up", "reason": None, "section": "Chemotherapy", "answer_type": "answer"
    }  # fmt: skip
