"""End to end over real HTTP: trained model + Rasa server + action server + SQLite tracker store."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from actions.knowledge_base import KnowledgeBase
from scripts.local_servers import Servers

pytestmark = pytest.mark.integration


def texts(messages: list[dict[str, object]]) -> list[str]:
    return [str(m["text"]) for m in messages if "text" in m]


def payloads(messages: list[dict[str, object]]) -> list[dict[str, object]]:
    return [m["custom"] for m in messages if "custom" in m]  # type: ignore[misc]


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def test_first_message_gets_disclaimer_then_greeting(servers: Servers) -> None:
    messages = servers.send(new_sender(), "hello")
    assert "not medical advice" in texts(messages)[0]
    assert "childhood acute lymphoblastic leukemia" in texts(messages)[1]
    assert [p["answer_type"] for p in payloads(messages)] == ["chitchat", "chitchat"]


def test_symptom_question_is_answered_verbatim_with_citation(servers: Servers, kb: KnowledgeBase) -> None:
    sender = new_sender()
    servers.send(sender, "hi")
    messages = servers.send(sender, "what are the symptoms of ALL?")
    section = kb.section("symptoms")
    answer = texts(messages)[0]
    assert section.blocks[0].text in answer
    assert section.url in answer
    assert payloads(messages)[0] == {
        "answer_type": "answer",
        "citations": [{"section": section.heading, "url": section.url, "updated": "2025-02-12"}],
    }


def test_urgent_message_gets_the_fixed_reply(servers: Servers) -> None:
    messages = servers.send(new_sender(), "my daughter is on chemo and has a fever of 38.9")
    urgent = [t for t in texts(messages) if "call your child's care team now" in t]
    assert urgent and "911" in urgent[0] and "988" in urgent[0]
    assert payloads(messages)[-1] == {"answer_type": "urgent", "citations": []}


def test_button_payload_opens_a_section(servers: Servers, kb: KnowledgeBase) -> None:
    messages = servers.send(new_sender(), '/show_section{"section":"lumbar-puncture"}')
    assert payloads(messages)[-1]["citations"][0]["section"] == "Lumbar puncture (spinal tap)"  # type: ignore[index]


def test_conversation_survives_a_rasa_restart(servers: Servers) -> None:
    sender = new_sender()
    first = servers.send(sender, "what is childhood ALL?")
    assert payloads(first)[-1]["citations"][0]["section"] == "What is childhood acute lymphoblastic leukemia?"  # type: ignore[index]
    servers.stop_rasa()
    with sqlite3.connect(servers.env["TRACKER_DB"]) as db:
        stored = db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]
    assert stored > 0
    servers.start_rasa()
    more = servers.send(sender, "tell me more")
    assert "ALL usually worsens quickly if it is not treated." in texts(more)[0]


def test_risk_group_form_end_to_end(servers: Servers, kb: KnowledgeBase) -> None:
    sender = new_sender()
    servers.send(sender, "hello")
    first = servers.send(sender, "can you check which risk group fits a 4 year old?")
    assert payloads(first)[0]["citations"][0]["section"] == kb.section("risk-groups").heading  # type: ignore[index]
    assert "white blood cell count" in texts(first)[-1]  # the age was in the question: only the count is asked
    unreadable = servers.send(sender, "it was quite high")
    assert "couldn't read a white blood cell count" in texts(unreadable)[0]
    result = servers.send(sender, "about 30,000")
    standard = next(g for g in kb.risk_groups.groups if g.id == "standard")
    assert standard.definition in texts(result)[0]
    assert "not your child's risk group" in texts(result)[0]
