"""WhatsApp through Meta's WhatsApp Cloud API end to end: real Rasa + action servers, the channel sending through a
local stand-in of the Graph API.

Webhooks are POSTed the way Meta posts them (JSON, ``X-Hub-Signature-256`` with the app secret); what the bot
sends is read from the stand-in.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import random
import time
from typing import Any

import pytest
import requests

from actions.knowledge_base import KnowledgeBase, Section
from serving.local_servers import Servers
from tests.integration.channels.messaging.conftest import APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN
from tests.integration.channels.messaging.standins import Recorder

pytestmark = pytest.mark.integration

_ids = itertools.count(random.randint(10_000, 90_000))


def new_wa_id() -> str:
    return f"1555{random.randint(10**6, 10**7 - 1)}"


def webhook(wa_id: str, message: dict[str, Any], phone_number_id: str = PHONE_NUMBER_ID) -> dict[str, Any]:
    """A webhook body as the Cloud API sends it, with one user message."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "15550783881", "phone_number_id": phone_number_id},
                            "contacts": [{"profile": {"name": "Sam"}, "wa_id": wa_id}],
                            "messages": [
                                {"from": wa_id, "id": f"wamid.test{next(_ids)}", "timestamp": str(int(time.time()))}
                                | message
                            ],
                        },
                    }
                ],
            }
        ],
    }


def text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body}}


def tap(kind: str, reply_id: str, title: str = "Option") -> dict[str, Any]:
    return {"type": "interactive", "interactive": {"type": kind, kind: {"id": reply_id, "title": title}}}


def post(servers: Servers, body: dict[str, Any] | bytes, signature: str | None = "sign") -> requests.Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return requests.post(servers.rasa_url + "/webhooks/whatsapp/webhook", data=raw, headers=headers, timeout=60)


def send(servers: Servers, graph_api: Recorder, wa_id: str, message: dict[str, Any]) -> list[dict[str, Any]]:
    since = graph_api.mark()
    answer = post(servers, webhook(wa_id, message))
    assert answer.status_code == 200
    sent = graph_api.to(wa_id, since)
    for m in sent:
        assert m["messaging_product"] == "whatsapp"
        assert_whatsapp_valid(m)
    return sent


def assert_whatsapp_valid(message: dict[str, Any]) -> None:
    """The Cloud API's limits for the message types the bot sends."""
    if message["type"] == "text":
        assert 0 < len(message["text"]["body"]) <= 4096
        assert "answer_type" not in message["text"]["body"]
        return
    assert message["type"] == "interactive"
    interactive = message["interactive"]
    assert 0 < len(interactive["body"]["text"]) <= 1024
    if interactive["type"] == "button":
        buttons = interactive["action"]["buttons"]
        assert 1 <= len(buttons) <= 3
        titles = [b["reply"]["title"] for b in buttons]
        assert all(0 < len(t) <= 20 for t in titles)
        assert len(set(titles)) == len(titles)
        assert all(0 < len(b["reply"]["id"]) <= 256 for b in buttons)
    else:
        assert interactive["type"] == "list"
        assert 0 < len(interactive["action"]["button"]) <= 20
        rows = [row for section in interactive["action"]["sections"] for row in section["rows"]]
        assert 1 <= len(rows) <= 10
        assert all(0 < len(r["title"]) <= 24 and len(r["id"]) <= 200 for r in rows)
        assert all(len(r.get("description", "")) <= 72 for r in rows)


def bodies(sent: list[dict[str, Any]]) -> list[str]:
    return [m["text"]["body"] if m["type"] == "text" else m["interactive"]["body"]["text"] for m in sent]


def choices(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, title) of a message's buttons or list rows."""
    action = message["interactive"]["action"]
    if "buttons" in action:
        return [(b["reply"]["id"], b["reply"]["title"]) for b in action["buttons"]]
    return [(r["id"], r["title"]) for s in action["sections"] for r in s["rows"]]


def cites(body: str, section: Section) -> bool:
    source = body[body.rfind("Source") :]
    return source.startswith("Source") and section.heading in source and section.url in source


def test_verify_token_handshake(servers: Servers) -> None:
    url = servers.rasa_url + "/webhooks/whatsapp/webhook"
    handshake = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    ok = requests.get(url, params=handshake, timeout=10)
    assert (ok.status_code, ok.text) == (200, "1158201444")
    for params in (
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1158201444"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
        {"hub.challenge": "1158201444"},
    ):
        refused = requests.get(url, params=params, timeout=10)
        assert refused.status_code == 403
        assert "1158201444" not in refused.text


def test_question_gets_the_cited_answer_with_its_options_as_a_list(
    servers: Servers, graph_api: Recorder, kb: KnowledgeBase
) -> None:
    wa_id = new_wa_id()
    sent = send(servers, graph_api, wa_id, text("what are the symptoms of leukemia?"))
    assert "not medical advice" in bodies(sent)[0]
    section = kb.section("symptoms")
    answer = next(m for m in sent if section.blocks[0].text in bodies([m])[0])
    assert cites(bodies([answer])[0], section)  # the citation as text, with the link
    assert answer["type"] == "interactive"
    assert answer["interactive"]["type"] == "list"  # 4 options: a list
    assert choices(answer)[0] == ('/ask_more{"section": "symptoms"}', "Tell me more")
    rows = [r for s in answer["interactive"]["action"]["sections"] for r in s["rows"]]
    shortened = [r for r in rows if "description" in r]
    assert shortened  # "Genetic counseling for children with ALL" does not fit in a row title
    for row in shortened:  # the full title is the description
        assert len(row["description"]) > len(row["title"].rstrip("…"))
        assert row["description"].split()[0] == row["title"].split()[0]


def test_a_tapped_list_row_and_a_tapped_button_get_their_answers(
    servers: Servers, graph_api: Recorder, kb: KnowledgeBase
) -> None:
    wa_id = new_wa_id()
    sent = send(servers, graph_api, wa_id, text("what are the symptoms of leukemia?"))
    answer = next(m for m in sent if m["type"] == "interactive")
    row_id, title = next((i, t) for i, t in choices(answer) if i.startswith("/show_section"))
    section = kb.section(json.loads(row_id.removeprefix("/show_section"))["section"])
    picked = send(servers, graph_api, wa_id, tap("list_reply", row_id, title))
    assert any(cites(b, section) for b in bodies(picked))

    more = send(servers, graph_api, wa_id, tap("button_reply", '/ask_more{"section": "symptoms"}', "Tell me more"))
    assert any(cites(b, kb.section("symptoms")) for b in bodies(more))


def test_three_options_are_reply_buttons_under_the_cited_answer_and_a_tap_gets_its_answer(
    servers: Servers, graph_api: Recorder, kb: KnowledgeBase
) -> None:
    wa_id = new_wa_id()
    # the list that ends the section: no "Tell me more", three related sections
    sent = send(servers, graph_api, wa_id, text("what are the targeted therapy drugs?"))
    targeted = next(s for s in kb.sections.values() if s.heading == "Targeted therapy")
    answer = next(m for m in sent if m["type"] == "interactive")
    assert answer["interactive"]["type"] == "button"
    assert len(choices(answer)) == 3
    assert cites(bodies([answer])[0], targeted)  # the answer and its citation in the body, buttons under it
    button_id, title = choices(answer)[0]
    section = kb.section(json.loads(button_id.removeprefix("/show_section"))["section"])
    picked = send(servers, graph_api, wa_id, tap("button_reply", button_id, title))
    assert any(cites(b, section) for b in bodies(picked))


def test_an_expired_or_unknown_long_button_id_is_answered_kindly(servers: Servers, graph_api: Recorder) -> None:
    sent = send(servers, graph_api, new_wa_id(), tap("button_reply", "h:" + "0" * 32))
    assert bodies(sent) == ["This button has expired. Please type your question."]


def test_an_emergency_gets_the_urgent_reply_first(servers: Servers, graph_api: Recorder) -> None:
    sent = send(servers, graph_api, new_wa_id(), text("my daughter has a fever of 39 and she is on chemo"))
    first = bodies(sent)[0]
    assert "911" in first
    assert "care team" in first
    assert any("not medical advice" in b for b in bodies(sent)[1:])


def test_unsigned_or_badly_signed_requests_are_refused_and_never_reach_rasa(
    servers: Servers, graph_api: Recorder
) -> None:
    wa_id = new_wa_id()
    since = graph_api.mark()
    body = webhook(wa_id, text("what are the symptoms of leukemia?"))
    raw = json.dumps(body).encode()
    forged = [
        None,
        "",
        "sha256=",
        "sha256=" + hmac.new(b"another-apps-secret", raw, hashlib.sha256).hexdigest(),
        hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest(),  # without "sha256="
        "sha1=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha1).hexdigest(),
    ]
    for signature in forged:
        assert post(servers, body, signature=signature).status_code == 403
    signed_other = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    tampered = raw.replace(b"symptoms", b"treatment")
    assert post(servers, tampered, signature=signed_other).status_code == 403
    assert graph_api.to(wa_id, since) == []
    log = (servers.workdir / "rasa.log").read_text()
    assert "WhatsApp: refused a webhook request with a missing or wrong X-Hub-Signature-256" in log
    sent = send(servers, graph_api, wa_id, text("hello"))  # the conversation starts only now
    assert "not medical advice" in bodies(sent)[0]


def test_redelivered_messages_statuses_and_other_numbers_get_no_reply(servers: Servers, graph_api: Recorder) -> None:
    wa_id = new_wa_id()
    body = webhook(wa_id, text("what is chemotherapy?"))
    since = graph_api.mark()
    assert post(servers, body).status_code == 200
    answered = len(graph_api.to(wa_id, since))
    assert answered > 0
    assert post(servers, body).status_code == 200  # Meta redelivers when an answer was late
    assert len(graph_api.to(wa_id, since)) == answered

    statuses = webhook(wa_id, text("x"))
    value = statuses["entry"][0]["changes"][0]["value"]
    value["statuses"] = [{"id": "wamid.x", "status": "delivered", "recipient_id": wa_id}]
    del value["messages"]
    since = graph_api.mark()
    assert post(servers, statuses).status_code == 200
    assert post(servers, webhook(wa_id, text("what is chemotherapy?"), phone_number_id="999")).status_code == 200
    assert graph_api.to(wa_id, since) == []


def test_media_messages_are_asked_to_type_a_question(servers: Servers, graph_api: Recorder) -> None:
    image = {"type": "image", "image": {"id": "1234", "mime_type": "image/jpeg", "sha256": "abc"}}
    sent = send(servers, graph_api, new_wa_id(), image)
    assert bodies(sent)[-1] == (
        "I didn't get a question there. Please type your question about childhood ALL in a few words."
    )


def test_oversized_and_malformed_bodies_are_refused_without_a_stack_trace(servers: Servers) -> None:
    assert post(servers, b"{" + b" " * (300 * 1024) + b"}", signature=None).status_code == 413
    for raw in (b"not json", b"[" * 100_000 + b"]" * 100_000, b'{"entry": NaN'):
        assert post(servers, raw).status_code == 400
    assert post(servers, b'["an", "array"]').status_code == 200
    assert "Traceback" not in (servers.workdir / "rasa.log").read_text()


def test_asking_for_a_person_gets_how_to_reach_people_now(servers: Servers, graph_api: Recorder) -> None:
    sent = send(servers, graph_api, new_wa_id(), text("can i talk to a nurse or someone real please"))
    reply = " ".join(bodies(sent))
    assert "1-800-4-CANCER (1-800-422-6237)" in reply
    assert "NCIinfo@nih.gov" in reply
    for message in sent:
        assert_whatsapp_valid(message)


def test_a_message_in_spanish_gets_the_spanish_reply_and_a_button_for_the_english_answer(
    servers: Servers, graph_api: Recorder
) -> None:
    from channels import language

    wa_id = new_wa_id()
    sent = send(servers, graph_api, wa_id, text("¿Mi hija puede ir a la escuela durante el tratamiento?"))
    spanish = language.table().rows["spanish"]
    assert any("1-800-422-6237" in body for body in bodies(sent))
    options = [option for message in sent for option in choices(message)]
    assert len(options) == 1
    assert options[0][1].rstrip("…") in spanish.show_english  # shortened to WhatsApp's 20 characters
    for message in sent:
        assert_whatsapp_valid(message)
    english = bodies(send(servers, graph_api, wa_id, tap("button_reply", options[0][0], options[0][1])))
    assert any("not medical advice" in body for body in english)  # the question went to the English assistant
    assert not any("1-800-422-6237" in body and "cancer.gov/espanol" in body for body in english)
