"""The socket.io channel against the real servers: replies, bound sessions, acknowledged delivery, guards.

python-socketio clients over long-polling, like the browser (``tests/integration/channels/socketio_client.py``).
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from actions.knowledge_base import KnowledgeBase
from actions.reply_contract import ANSWER_ID_PATTERN
from serving.local_servers import Servers
from stores.errors import STORE_UNAVAILABLE_REPLY
from tests.integration.channels.socketio_client import ChatClient

pytestmark = pytest.mark.integration

QUESTION = "what are the symptoms of ALL?"


def stored_user_events(servers: Servers, sender: str) -> list[dict[str, Any]]:
    with sqlite3.connect(servers.env["TRACKER_DB"]) as db:
        rows = db.execute(
            "select data from events where sender_id = ? and type_name = 'user' order by id", (sender,)
        ).fetchall()
    return [json.loads(row[0]) for row in rows]


def payloads(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if "answer_type" in e]


def test_replies_are_text_events_then_the_custom_payload_as_one_dict(servers: Servers, kb: KnowledgeBase) -> None:
    async def scenario() -> tuple[dict[str, Any], Any, list[dict[str, Any]]]:
        client = ChatClient(servers.rasa_url)
        try:
            session = await client.open()
            ack, events = await client.ask(QUESTION, message_id="q1-" + uuid.uuid4().hex)
            return session, ack, events
        finally:
            await client.close()

    session, ack, events = asyncio.run(scenario())
    assert ack == {"message_id": events[0]["reply_to"], "status": "stored"}
    assert [e["seq"] for e in events] == list(range(len(events)))  # numbered in order, for the client's dedup
    assert {e["reply_to"] for e in events} == {ack["message_id"]}
    events = [{k: v for k, v in e.items() if k not in ("reply_to", "seq")} for e in events]
    texts = [e for e in events if "text" in e]
    customs = [e for e in events if "text" not in e]
    answer_ids = [c.pop("answer_id") for c in customs]  # each reply's own, for the feedback buttons
    assert all(re.fullmatch(ANSWER_ID_PATTERN, i) for i in answer_ids)
    assert len(set(answer_ids)) == len(answer_ids)
    assert "not medical advice" in texts[0]["text"]  # the disclaimer, then its own payload
    assert customs[0] == {"answer_type": "chitchat", "citations": [], "disclaimer": True}
    section = kb.section("symptoms")
    assert customs[-1] == {
        "answer_type": "answer",
        "citations": [{"section": section.heading, "url": section.url, "updated": "2025-02-12"}],
    }
    answer = "\n\n".join(e["text"] for e in texts[1:])  # one event per paragraph
    assert section.blocks[0].text in answer and section.url in answer
    buttons = texts[-1]["quick_replies"]
    assert buttons and all(b["title"] and b["payload"].startswith(("/show_section", "/ask_more")) for b in buttons)
    # The conversation id was issued by the server, with its token; the question was stored under it.
    assert len(session["session_id"]) == 32 and len(session["token"]) == 64
    assert [e["text"] for e in stored_user_events(servers, session["session_id"])] == [QUESTION]


def test_another_connection_cannot_take_over_a_conversation(servers: Servers) -> None:
    """Naming a conversation's id (alone, with a wrong token, or as junk) never joins it; its token does."""

    async def scenario() -> dict[str, Any]:
        owner, intruder, returning = ChatClient(servers.rasa_url), ChatClient(servers.rasa_url), None
        try:
            mine = await owner.open()
            await owner.ask(QUESTION)
            victim = mine["session_id"]
            attempts = [
                {"session_id": victim},
                {"session_id": victim, "token": "0" * 64},
                {"session_id": victim, "token": mine["token"].upper()},
                {"session_id": 12345},
                {"session_id": "x" * 10_000, "token": "y" * 10_000},
                {"session_id": ["a"]},
            ]
            issued = [await intruder.open(attempts[0])]
            for attempt in attempts[1:]:
                await intruder.client.emit("session_request", attempt)
                issued.append(await asyncio.wait_for(intruder._confirmed.get(), 20))
            # The intruder's messages, even naming the victim's id, go to its own (last issued) conversation...
            ack = await intruder.client.call(
                "user_uttered", {"message": "what is a lumbar puncture?", "session_id": victim, "message_id": "i" * 16},
                timeout=60,
            )  # fmt: skip
            # ... and the victim's next answer reaches the victim only.
            seen_by_intruder = len(intruder.received)
            _, owner_events = await owner.ask("what is chemotherapy?")
            await asyncio.sleep(1.0)
            # The owner's browser, reconnecting with the token, gets its conversation back.
            returning = ChatClient(servers.rasa_url)
            resumed = await returning.open({"session_id": victim, "token": mine["token"]})
            _, returning_events = await returning.ask("what is a bone marrow aspiration?")
            return {
                "victim": victim,
                "issued": issued,
                "intruder_ack": ack,
                "intruder_new_events": intruder.received[seen_by_intruder:],
                "owner_events": owner_events,
                "resumed": resumed,
                "returning_events": returning_events,
            }
        finally:
            for client in (owner, intruder, returning):
                if client is not None:
                    await client.close()

    result = asyncio.run(scenario())
    victim = result["victim"]
    issued_ids = [confirm["session_id"] for confirm in result["issued"]]
    assert victim not in issued_ids and len(set(issued_ids)) == len(issued_ids)
    assert result["intruder_ack"]["status"] == "stored"
    assert result["intruder_new_events"] == []
    assert payloads(result["owner_events"])[-1]["answer_type"] == "answer"
    assert result["resumed"]["session_id"] == victim
    assert payloads(result["returning_events"])[-1]["answer_type"] == "answer"
    texts = [e["text"] for e in stored_user_events(servers, victim)]
    assert texts == [QUESTION, "what is chemotherapy?", "what is a bone marrow aspiration?"]
    assert [e["text"] for e in stored_user_events(servers, issued_ids[-1])] == ["what is a lumbar puncture?"]


def test_a_resent_question_is_handled_once_and_answered_again(servers: Servers) -> None:
    """The same message id from a second connection (as after a reconnect), even while the first copy is still
    being handled: one stored question, the same replies on both connections."""

    async def scenario() -> tuple[str, list[tuple[Any, list[dict[str, Any]]]], Any]:
        first, second = ChatClient(servers.rasa_url), ChatClient(servers.rasa_url)
        try:
            session = await first.open()
            await second.open({"session_id": session["session_id"], "token": session["token"]})
            message_id = uuid.uuid4().hex
            both = await asyncio.gather(first.ask(QUESTION, message_id), second.ask(QUESTION, message_id))
            later = await second.ask(QUESTION, message_id)  # long after: answered from the tracker
            return session["session_id"], [*both, later], message_id
        finally:
            await first.close()
            await second.close()

    sender, answers, message_id = asyncio.run(scenario())
    assert [ack for ack, _ in answers] == [{"message_id": message_id, "status": "stored"}] * 3
    replies = [[(e.get("text"), e.get("answer_type"), e["seq"]) for e in events] for _, events in answers]
    assert replies[0] == replies[1] == replies[2]
    assert payloads(answers[0][1])[-1]["answer_type"] == "answer"
    stored = stored_user_events(servers, sender)
    assert [(e["text"], e["message_id"]) for e in stored] == [(QUESTION, message_id)]


def test_the_ack_comes_once_the_question_is_stored_and_bad_events_are_refused(servers: Servers) -> None:
    async def scenario() -> tuple[str, list[Any], list[dict[str, Any]]]:
        client = ChatClient(servers.rasa_url)
        try:
            session = await client.open()
            sender = session["session_id"]
            stored_at_ack: list[Any] = []

            def on_ack(reply: Any) -> None:
                stored_at_ack.append((reply, [e.get("message_id") for e in stored_user_events(servers, sender)]))

            await client.client.emit("user_uttered", {"message": QUESTION, "message_id": "m" * 32}, callback=on_ack)
            for _ in range(600):
                if stored_at_ack:
                    break
                await asyncio.sleep(0.1)
            refused = []
            for bad in ("x" * 65, "short", "has space in it", 12345678):
                event = {"message": "hi", "message_id": bad}
                refused.append(await client.client.call("user_uttered", event, timeout=20))
            refused.append(await client.client.call("user_uttered", ["not", "an", "object"], timeout=20))
            empty = await client.ask("   ")
            return sender, [*stored_at_ack, *refused], empty[1]
        finally:
            await client.close()

    sender, acks, empty_events = asyncio.run(scenario())
    (first_ack, stored_ids), *refused = acks
    assert first_ack == {"message_id": "m" * 32, "status": "stored"} and stored_ids == ["m" * 32]
    assert refused == [{"message_id": None, "status": "refused"}] * 5
    assert payloads(empty_events)[-1]["answer_type"] == "clarify"  # answered by the channel, nothing stored
    assert [e["message_id"] for e in stored_user_events(servers, sender)] == ["m" * 32]


def handshake(url: str) -> dict[str, Any]:
    opened = requests.get(f"{url}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10)
    assert opened.status_code == 200
    return dict(json.loads(opened.text[1:]))


def test_the_handshake_offers_no_websocket_upgrade(servers: Servers) -> None:
    assert handshake(servers.rasa_url)["upgrades"] == []
    websocket = requests.get(
        f"{servers.rasa_url}/socket.io/",
        params={"EIO": "4", "transport": "websocket"},
        headers={"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                 "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="},
        timeout=10,
    )  # fmt: skip
    assert websocket.status_code == 400


def test_a_binary_packet_closes_its_connection(servers: Servers) -> None:
    # GHSA-5w7q-77mv-v69f: python-socketio 5.8.0 would wait for the 1000 announced attachments, taking every
    # later message of the connection as one of them. The channel closes the connection instead.
    http = requests.Session()
    url = f"{servers.rasa_url}/socket.io/?EIO=4&transport=polling&sid={handshake(servers.rasa_url)['sid']}"
    assert http.post(url, data="40", timeout=10).text.lower() == "ok"
    assert http.get(url, timeout=10).text.startswith("40")  # namespace connected
    binary_event = '451000-["user_uttered",{"_placeholder":true,"num":0}]'  # engine.io "4" + socket.io "5"
    assert http.post(url, data=binary_event, timeout=10).status_code == 200
    # The session is gone at once (without the guard this poll would wait for the server's ping, 25 s).
    assert http.get(url, timeout=10).status_code == 400


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


FLOOD_SECONDS = 20
FLOOD_THREADS = 20
PONGS_PER_POST = 16  # python-engineio 4.4.1 ignores POSTs of more than 16 packets
MAX_POSTS = 20_000  # bounds the unguarded damage: 320,000 heartbeat tasks


def pong_flood(url: str, stop_at: float) -> dict[str, int]:
    """20 threads POSTing engine.io PONGs on one connection (a new one whenever the server drops it)."""
    counts = {"posts": 0, "refused": 0, "handshakes": 0}
    lock = threading.Lock()
    state = {"sid": ""}

    def reconnect(stale: str) -> str:
        with lock:
            if state["sid"] == stale:
                state["sid"] = handshake(url)["sid"]
                counts["handshakes"] += 1
            return state["sid"]

    body = "\x1e".join(["3"] * PONGS_PER_POST)

    def worker() -> None:
        http = requests.Session()
        sid = reconnect("")
        while time.monotonic() < stop_at and counts["posts"] < MAX_POSTS:
            try:
                status = http.post(
                    f"{url}/socket.io/?EIO=4&transport=polling&sid={sid}", data=body, timeout=30
                ).status_code
            except requests.RequestException:
                status = 0
            with lock:
                counts["posts"] += 1
                counts["refused"] += status != 200
            if status != 200:
                sid = reconnect(sid)

    threads = [threading.Thread(target=worker) for _ in range(FLOOD_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=FLOOD_SECONDS + 60)
    return counts


def test_memory_stays_flat_under_an_engineio_pong_flood(servers: Servers) -> None:
    """Issue 17.8: one client, 20 parallel long-polling POSTs of PONGs for 20 s; unguarded, each PONG starts a
    heartbeat task (measured without the guard: 854 -> 1,081 MiB, see docs/security.md)."""
    assert servers.rasa is not None
    pid = servers.rasa.pid
    before = rss_mib(pid)
    counts = pong_flood(servers.rasa_url, time.monotonic() + FLOOD_SECONDS)
    time.sleep(2)
    after = rss_mib(pid)
    print(f"RSS {before:.0f} -> {after:.0f} MiB under {counts}")
    # Unguarded, 1,500 POSTs start 24,000 heartbeat tasks, about 40 MiB that stay (measured: 3,233 POSTs, +87 MiB).
    assert counts["posts"] >= 1500, f"the flood was too weak to tell: {counts}"
    assert after - before < 40, f"RSS grew {after - before:.0f} MiB under {counts}"

    async def still_answers() -> Any:
        client = ChatClient(servers.rasa_url)
        try:
            await client.open()
            return await client.ask(QUESTION)
        finally:
            await client.close()

    ack, events = asyncio.run(still_answers())
    assert ack["status"] == "stored" and payloads(events)[-1]["answer_type"] == "answer"


def test_a_turn_the_store_cannot_keep_is_not_acknowledged_and_its_resend_is_answered(servers: Servers) -> None:
    """The tracker database taken away mid-conversation (as in tests/integration/reliability/test_store_faults.py): the
    question gets the honest reply and no acknowledgement; resent once the database is back, it is answered."""
    db = Path(servers.env["TRACKER_DB"])
    aside = db.with_name("moved-away.db")

    async def scenario() -> tuple[str, list[tuple[Any, list[dict[str, Any]]]]]:
        client = ChatClient(servers.rasa_url)
        try:
            session = await client.open()
            results = [await client.ask(QUESTION)]
            message_id = uuid.uuid4().hex
            db.rename(aside)  # an operator's mistake, a cleanup script, a volume that went away
            try:
                results.append(await client.ask("what is a lumbar puncture?", message_id))
            finally:
                aside.rename(db)
            await asyncio.sleep(2)
            results.append(await client.ask("what is a lumbar puncture?", message_id))
            return session["session_id"], results
        finally:
            await client.close()

    sender, [(ok_ack, _), (down_ack, down_events), (resent_ack, resent_events)] = asyncio.run(scenario())
    assert ok_ack["status"] == "stored"
    assert down_ack["status"] == "not_stored"
    assert [e["text"] for e in down_events if "text" in e] == [STORE_UNAVAILABLE_REPLY]
    assert payloads(down_events)[-1]["answer_type"] == "not_stored"
    assert resent_ack == {"message_id": down_ack["message_id"], "status": "stored"}
    assert payloads(resent_events)[-1]["answer_type"] == "answer"
    assert not any("not medical advice" in e.get("text", "") for e in resent_events)  # the same conversation
    assert [e["text"] for e in stored_user_events(servers, sender)] == [QUESTION, "what is a lumbar puncture?"]
