"""A question in Spanish, a Spanish emergency and "can I talk to someone?" on REST, socket.io and Telegram,
with the real model, action server and Rasa server (Telegram through its Bot API stand-in)."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
import requests
import socketio

from chaos.telegram_standin import TelegramStandIn
from serving.local_servers import Servers
from tests.integration.channels.test_telegram import callback_update, message_update, new_chat, post, sent_to

pytestmark = pytest.mark.integration

QUESTION_ES = "¿Cuáles son los síntomas de la leucemia en los niños?"
ENGLISH_REQUEST = "/answer_in_english" + json.dumps({"question": QUESTION_ES}, ensure_ascii=False)
SPANISH_BUTTON = {"title": "Mostrar la respuesta en inglés / Show the English answer", "payload": ENGLISH_REQUEST}
SPANISH_FIRST_LINE = "Si es una emergencia, llame ahora mismo al equipo médico de su hijo o al 911."
SPANISH_CONTACTS = [
    {"label": "Servicio de Información sobre el Cáncer del NCI (en español): 1-800-422-6237", "tel": "18004226237"},
    {"label": "Emergencias: 911", "tel": "911"},
]
SYMPTOMS = "Symptoms of childhood acute lymphoblastic leukemia"
NCI_CONTACT = {"label": "NCI Cancer Information Service: 1-800-4-CANCER", "tel": "18004226237"}


QUIET_SECONDS = 3.0


def rest(servers: Servers, sender: str, message: str) -> list[dict[str, Any]]:
    reply = requests.post(
        servers.rasa_url + "/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    assert reply.status_code == 200
    return list(reply.json())


def payloads(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages if "custom" in m]


def test_rest_spanish_gets_the_spanish_reply_and_the_english_answer_on_request(servers: Servers) -> None:
    sender = f"es-{uuid.uuid4().hex}"
    first = rest(servers, sender, QUESTION_ES)
    assert first[0]["text"].startswith(SPANISH_FIRST_LINE)
    assert first[0]["buttons"] == [SPANISH_BUTTON]
    assert first[1]["custom"] == {
        "answer_type": "out_of_scope", "citations": [], "contacts": SPANISH_CONTACTS, "language": "spanish",
    }  # fmt: skip
    answer = rest(servers, sender, first[0]["buttons"][0]["payload"])
    last = payloads(answer)[-1]
    assert last["answer_type"] == "answer"
    assert last["citations"][0]["section"] == SYMPTOMS
    assert any("Symptoms of childhood ALL are caused by" in m.get("text", "") for m in answer)


def test_rest_spanish_emergency_gets_the_urgent_reply_first(servers: Servers) -> None:
    reply = rest(servers, f"es-{uuid.uuid4().hex}", "mi hijo no respira")
    assert reply[0]["text"].startswith("Esto puede ser una emergencia. Llame al 911 ahora")
    assert reply[1]["custom"]["answer_type"] == "urgent"
    assert reply[1]["custom"]["urgent_category"] == "breathing"
    assert len(reply) == 2


def test_rest_an_english_emergency_with_a_spanish_word_is_still_urgent_in_english(servers: Servers) -> None:
    reply = rest(servers, f"es-{uuid.uuid4().hex}", "mi hijo has a fever of 39 and is on chemo")
    assert payloads(reply)[-1]["answer_type"] == "urgent"
    assert payloads(reply)[-1]["urgent_category"] == "fever"


def test_rest_a_person_when_asked(servers: Servers) -> None:
    reply = rest(servers, f"hc-{uuid.uuid4().hex}", "can I talk to a real person?")
    last = payloads(reply)[-1]
    assert last["answer_type"] == "human_contact"
    assert last["contacts"] == [NCI_CONTACT]  # CARE_TEAM_PHONE is not set for these servers
    texts = "\n".join(m.get("text", "") for m in reply)
    assert "You can talk to a person:" in texts
    assert "• Your child's care team: please call the number they gave you." in texts
    assert "1-800-4-CANCER (1-800-422-6237)" in texts
    assert "NCIinfo@nih.gov" in texts


async def socketio_conversation(url: str, messages: list[str]) -> list[list[dict[str, Any]]]:
    """The events of each message's reply (up to the payload that ends it), one connection and conversation."""
    client = socketio.AsyncClient(reconnection=False)
    events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    confirmed: asyncio.Future[dict[str, str]] = asyncio.get_running_loop().create_future()

    @client.on("session_confirm")
    async def on_confirm(data: Any) -> None:
        if not confirmed.done():
            confirmed.set_result(data)

    @client.on("bot_uttered")
    async def on_bot(data: dict[str, Any]) -> None:
        await events.put(data)

    await client.connect(url, transports=["polling"])
    replies = []
    try:
        await client.emit("session_request", {})
        await asyncio.wait_for(confirmed, 10)
        for index, message in enumerate(messages):
            await client.emit("user_uttered", {"message": message, "message_id": f"msg-{index:04d}-lang"})
            got: list[dict[str, Any]] = []
            while not got or "answer_type" not in got[-1] or got[-1].get("disclaimer"):
                got.append(await asyncio.wait_for(events.get(), 60))
            while True:  # a reply may go on after its first payload (the care-team line, then the answer)
                try:
                    got.append(await asyncio.wait_for(events.get(), QUIET_SECONDS))
                except TimeoutError:
                    break
            replies.append(got)
    finally:
        await client.disconnect()
    return replies


def test_socketio_spanish_then_the_english_answer_then_a_person(servers: Servers) -> None:
    spanish, english, person = asyncio.run(
        socketio_conversation(servers.rasa_url, [QUESTION_ES, ENGLISH_REQUEST, "is there a nurse I can talk to?"])
    )
    assert spanish[0]["text"].startswith(SPANISH_FIRST_LINE)
    assert spanish[-2]["quick_replies"] == [{"content_type": "text", **SPANISH_BUTTON}]  # on the last paragraph
    assert (spanish[-1]["answer_type"], spanish[-1]["language"]) == ("out_of_scope", "spanish")
    # The English model reads the Spanish words: the symptoms section, after a care-team line ("signs" in a child).
    assert (english[-1]["answer_type"], english[-1]["citations"][0]["section"]) == ("answer", SYMPTOMS)
    assert (person[-1]["answer_type"], person[-1]["contacts"]) == ("human_contact", [NCI_CONTACT])
    assert any("1-800-4-CANCER" in e.get("text", "") for e in person)


def test_telegram_spanish_button_english_answer_and_a_person(servers: Servers, telegram_api: TelegramStandIn) -> None:
    chat = new_chat()
    since = telegram_api.mark()
    assert post(servers, message_update(chat, QUESTION_ES)).status_code == 200
    (reply,) = sent_to(telegram_api, chat, since)
    assert reply.params["text"].startswith(SPANISH_FIRST_LINE)
    keyboard = reply.params["reply_markup"]["inline_keyboard"]
    assert [[button["text"] for button in row] for row in keyboard] == [[SPANISH_BUTTON["title"]]]

    since = telegram_api.mark()
    assert post(servers, callback_update(chat, keyboard[0][0]["callback_data"])).status_code == 200
    texts = [c.params["text"] for c in sent_to(telegram_api, chat, since)]
    assert any("Symptoms of childhood ALL are caused by" in t for t in texts)
    assert any(f"Source: “{SYMPTOMS}”" in t for t in texts)

    since = telegram_api.mark()
    assert post(servers, message_update(chat, "mi hija no despierta")).status_code == 200
    (urgent,) = sent_to(telegram_api, chat, since)
    assert urgent.params["text"].startswith("Esto puede ser una emergencia. Llame al 911 ahora")

    since = telegram_api.mark()
    assert post(servers, message_update(chat, "can i speak to a human please")).status_code == 200
    texts = [c.params["text"] for c in sent_to(telegram_api, chat, since)]
    assert any(t.startswith("You can talk to a person:") and "1-800-4-CANCER" in t for t in texts)


@pytest.mark.parametrize(
    "question",
    [
        "I would rather talk to an actual person about this",
        "is there a nurse or someone I could phone",
        "put me through to a human please",
        "who can I speak to, a real person, not a chatbot?",
    ],
)
def test_rest_asking_for_a_person_in_other_words(servers: Servers, question: str) -> None:
    # Written for this test. The held-out wordings (eval/heldout_human_contact.jsonl) are measured by `make eval`.
    assert payloads(rest(servers, f"hc-{uuid.uuid4().hex}", question))[-1]["answer_type"] == "human_contact"
