"""End to end over real HTTP: trained model + Rasa server + action server + SQLite tracker store."""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest

from actions.knowledge_base import KnowledgeBase
from serving.local_servers import Servers

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


def test_asking_for_the_disclaimer_is_a_complete_answer(servers: Servers, kb: KnowledgeBase) -> None:
    # The notice asked for mid-conversation was taken for a session start whose answer went missing,
    # so the channel added "can't look that up" (87 of 688 turns under load were this question).
    # After the notice comes what the summary says of its own use, cited from "About This PDQ Summary".
    about = {kb.section(s).heading for s in ("about-this-summary", *kb.section("about-this-summary").children)}
    sender = new_sender()
    servers.send(sender, "hello")
    for question in ("is this summary medical advice?", "can I trust this information"):
        messages = servers.send(sender, question)
        assert "not medical advice" in texts(messages)[0]
        assert [p["answer_type"] for p in payloads(messages)] == ["chitchat", "answer"], question
        assert payloads(messages)[1]["citations"][0]["section"] in about, question  # type: ignore[index]
        assert not any("look that up" in t for t in texts(messages)), question
    messages = servers.send(sender, "is this summary medical advice?")
    assert payloads(messages)[1]["citations"][0]["section"] == kb.section("purpose").heading  # type: ignore[index]


def test_symptom_question_is_answered_verbatim_with_citation(servers: Servers, kb: KnowledgeBase) -> None:
    sender = new_sender()
    servers.send(sender, "hi")
    messages = servers.send(sender, "what are the symptoms of ALL?")
    section = kb.section("symptoms")
    answer = texts(messages)[0]
    assert section.blocks[0].text in answer
    assert section.url in answer
    payload = payloads(messages)[0]
    assert re.fullmatch(r"[0-9a-f]{12}", payload.pop("answer_id"))  # what the feedback buttons send back
    assert payload == {
        "answer_type": "answer",
        "citations": [{"section": section.heading, "url": section.url, "updated": "2025-02-12"}],
    }


def test_urgent_message_gets_the_reply_for_its_situation(servers: Servers) -> None:
    messages = servers.send(new_sender(), "my daughter is on chemo and has a fever of 38.9")
    # A first message: the disclaimer (which itself says to call now in an emergency), then the urgent reply.
    assert "If this is an emergency, call your child's care team or 911 now." in texts(messages)[0]
    fever_lead = "A fever or chills during treatment needs a call to your child's care team now"
    assert texts(messages)[1].startswith(fever_lead)
    assert "911" in texts(messages)[1]
    assert "988" not in texts(messages)[1]
    payload = payloads(messages)[-1]
    assert payload["answer_type"] == "urgent"
    assert payload["urgent_category"] == "fever"
    assert {"label": "Emergency: 911", "tel": "911"} in payload["contacts"]  # type: ignore[operator]


def test_an_emergency_naming_a_drug_is_still_urgent(servers: Servers) -> None:
    sender = new_sender()
    servers.send(sender, "hello")
    messages = servers.send(sender, "kid's pee is pink-brown and he's passing clots?? on cyclophosphamide this week")
    assert payloads(messages)[0]["answer_type"] == "urgent"
    assert payloads(messages)[0]["urgent_category"] == "bleeding"


def test_a_parent_in_crisis_gets_988_first(servers: Servers) -> None:
    sender = new_sender()
    servers.send(sender, "hello")
    messages = servers.send(sender, "i can't do this anymore, my family would be better off without me")
    assert texts(messages)[0].startswith("Please call or text 988")
    assert payloads(messages)[-1]["urgent_category"] == "self_harm"


def test_button_payload_opens_a_section(servers: Servers) -> None:
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
    more = servers.send(sender, "tell me more")  # the stored slots say which section and what was shown
    assert payloads(more)[-1]["citations"][0]["section"] == "What is childhood acute lymphoblastic leukemia?"  # type: ignore[index]
    assert texts(more)[0].split("\n\nSource:")[0] not in texts(first)[0]


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


def test_a_question_asked_while_the_form_waits_is_answered_and_ends_the_form(
    servers: Servers, kb: KnowledgeBase
) -> None:
    sender = new_sender()
    servers.send(sender, "hello")
    servers.send(sender, "can you check which risk group fits a 4 year old?")
    asked = servers.send(sender, "hmm and what long-term problems can the treatment leave him with?")
    assert not any("couldn't read" in t for t in texts(asked))
    assert payloads(asked)[-1]["citations"][0]["section"] == kb.section("side-effects-late-effects").heading  # type: ignore[index]
    after = servers.send(sender, "how is the bone marrow sample taken?")  # the form is over: not read as a count
    assert not any("couldn't read" in t for t in texts(after))
    assert payloads(after)[-1]["answer_type"] == "answer"


def test_a_told_risk_group_with_a_question_gets_the_groups_treatment_not_the_form(
    servers: Servers, kb: KnowledgeBase
) -> None:
    sender = new_sender()
    servers.send(sender, "hello")
    reply = servers.send(sender, "The doctors put our 7 year old in the high risk group. How will they treat him?")
    assert not any("How old was the child" in t or "white blood cell count at diagnosis" in t for t in texts(reply))
    assert payloads(reply)[-1]["citations"][0]["section"] == kb.section("treatment-high-risk").heading  # type: ignore[index]
