"""Bad input, faults, security and privacy against the real servers (REST; socket.io and Telegram:
tests/integration/channels)."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels import input_guard, language
from serving import programs
from serving.local_servers import ROOT, Servers
from tests.integration.reliability.conftest import ACTION_TIMEOUT, ActionProxy

pytestmark = pytest.mark.integration

# A message text that must never appear in a log (privacy): distinctive, and answered normally.
SECRET_TEXT = "zebracorn-7f3e what are the symptoms of ALL"


def new_sender() -> str:
    return f"rel-{uuid.uuid4().hex[:12]}"


def post(servers: Servers, body: Any = None, data: bytes | None = None) -> requests.Response:
    url = servers.rasa_url + "/webhooks/rest/webhook"
    if data is not None:
        return requests.post(url, data=data, headers={"Content-Type": "application/json"}, timeout=60)
    return requests.post(url, json=body, timeout=60)


def customs(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages if "custom" in m]


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [str(m["text"]) for m in messages if "text" in m]


def stored_user_events(servers: Servers, sender: str) -> list[dict[str, Any]]:
    with sqlite3.connect(servers.env["TRACKER_DB"]) as db:
        rows = db.execute(
            "select data from events where sender_id = ? and type_name = 'user' order by id", (sender,)
        ).fetchall()
    return [json.loads(row[0]) for row in rows]


# --- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"{not json", 400),
        (b"[1, 2]", 400),
        (b'"hello"', 400),
        (b"null", 400),
        (b'{"sender": 5, "message": ["x"]}', 400),
        (b'{"message": "hi"}', 400),
        (b'{"sender": "a"}', 400),
        (b'{"sender": "a", "message": "hi", "metadata": 3}', 400),
        (b"\xff\xfe\x00", 400),
        (b'{"sender": "a", "message": "' + b"x" * 70_000 + b'"}', 413),
        (b'{"sender": "a", "message": "' + b"x" * 1_000_000 + b'"}', 413),
    ],
)
def test_malformed_rest_bodies_get_a_4xx_with_a_json_error(servers: Servers, data: bytes, status: int) -> None:
    response = post(servers, data=data)
    assert response.status_code == status
    assert response.json()["error"]


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("\u200b\u200d\x00", "empty"),
        ("symptoms " * 1200, "too_long"),  # 10.8 kB
        ("¿Cuáles son los síntomas de la leucemia?", "not_english"),
        ("Quels sont les symptômes de la leucémie chez mon enfant?", "not_english"),
        ("白血病の症状は何ですか", "not_english"),
        ("ما هي أعراض سرطان الدم عند الأطفال", "not_english"),
    ],
)
def test_messages_answered_by_the_guard(servers: Servers, message: str, reason: str) -> None:
    response = post(servers, {"sender": new_sender(), "message": message})
    assert response.status_code == 200
    reply = response.json()
    languages = language.table()
    expected = {"empty": input_guard.EMPTY_REPLY, "too_long": input_guard.SHORTEN_REPLY}
    if reason == "not_english":  # Spanish has its own fixed reply; the other languages get the fallback
        spanish = message.startswith("¿")
        expected[reason] = (languages.rows["spanish"] if spanish else languages.fallback).reply
    assert texts(reply) == [expected[reason]]
    assert customs(reply)[-1]["answer_type"] in {"clarify", "out_of_scope"}


@pytest.mark.parametrize(
    "message",
    [
        "what are the symptoms of ALL? 🙏🏽👩‍👧",
        "\u202ewhat are the symptoms of ALL?\u202c",
        "what are\x00 the symp\u200btoms of ALL?",
        "<script>alert('x')</script> what are the symptoms of ALL?",
        "what are the symptoms of ALL? " + "please " * 200,  # ~1.4 kB, under the limit
    ],
    ids=["emoji", "right-to-left", "nul-zero-width", "html", "long"],
)
def test_odd_but_english_messages_are_answered(servers: Servers, message: str) -> None:
    reply = servers.send(new_sender(), message)
    assert customs(reply)[-1]["answer_type"] in {"answer", "clarify", "chitchat", "out_of_scope"}
    assert texts(reply)


def test_typed_intents_cannot_set_intents_or_slots(servers: Servers) -> None:
    sender = new_sender()
    reply = servers.send(sender, '/inform{"risk_group": "high", "section": "symptoms"}')
    assert customs(reply)[-1]["answer_type"] != "answer" or texts(reply)
    servers.send(sender, "/restart")
    servers.send(sender, '/show_section{"section": "symptoms", "child_age": "4"}')
    stored = stored_user_events(servers, sender)
    assert [e["text"] for e in stored] == [
        'inform{"risk_group": "high", "section": "symptoms"}',
        "restart",
        'show_section{"section": "symptoms", "child_age": "4"}',
    ]
    for event in stored:  # the NLU pipeline read the text: no entity or intent was forced by the "/" syntax
        entities = event["parse_data"]["entities"]
        assert all(e.get("extractor") for e in entities), entities
        assert not {e["entity"] for e in entities} & {"risk_group", "child_age"}
        assert event["parse_data"]["intent"]["name"] not in {"inform", "restart"}
        assert event["parse_data"]["intent"].get("confidence", 0) < 1.0 or event["parse_data"].get("intent_ranking")


def test_own_button_payload_still_works(servers: Servers) -> None:
    reply = servers.send(new_sender(), '/show_section{"section":"lumbar-puncture"}')
    assert customs(reply)[-1]["citations"][0]["section"] == "Lumbar puncture (spinal tap)"


FUZZ = {"tried": 0, "server_errors": 0}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=6,
)
bodies = st.one_of(
    st.fixed_dictionaries({"sender": st.text(min_size=1, max_size=20), "message": st.text(max_size=400)}),
    st.fixed_dictionaries({"sender": st.just("fuzz"), "message": st.from_regex(r"\A/[a-z_]{0,15}\{.{0,40}\}\Z")}),
    st.dictionaries(st.sampled_from(["sender", "message", "metadata", "input_channel"]), json_values, max_size=4),
    json_values,
).map(lambda body: json.dumps(body).encode())
raw_bodies = st.binary(max_size=200)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(bodies, raw_bodies))
def test_fuzz_the_rest_webhook_never_errors(servers: Servers, body: bytes) -> None:
    FUZZ["tried"] += 1
    response = post(servers, data=body)
    if response.status_code >= 500:
        FUZZ["server_errors"] += 1
    assert response.status_code in {200, 400, 413}, (body, response.status_code, response.text[:300])
    if response.status_code == 200:
        assert isinstance(response.json(), list)


@pytest.fixture(scope="module", autouse=True)
def fuzz_figure(request: pytest.FixtureRequest) -> Iterator[None]:
    """After this module: print the fuzz figure (N inputs tried, server errors) in the test output."""
    yield
    if FUZZ["tried"]:
        line = f"REST webhook fuzz: {FUZZ['tried']} inputs tried, {FUZZ['server_errors']} server errors"
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if capture is not None and reporter is not None:
            with capture.global_and_fixture_disabled():
                reporter.write_line("\n" + line)
        assert FUZZ["server_errors"] == 0, line


# --- faults ----------------------------------------------------------------------------------------------------


def timed_send(servers: Servers, sender: str, message: str) -> tuple[float, list[dict[str, Any]]]:
    started = time.monotonic()
    reply = servers.send(sender, message)
    return time.monotonic() - started, reply


def test_action_server_slow_or_down_gets_the_friendly_reply_then_recovers(servers: Servers, proxy: ActionProxy) -> None:
    sender = new_sender()
    servers.send(sender, "hello")
    try:
        proxy.mode = "hang"
        elapsed, reply = timed_send(servers, sender, "what are the symptoms of ALL?")
        print(f"\naction server hanging: friendly reply after {elapsed:.1f} s (ACTION_TIMEOUT={ACTION_TIMEOUT:g})")
        assert texts(reply)[-1] == input_guard.FALLBACK_REPLY
        assert customs(reply)[-1] == {"answer_type": "fallback", "citations": []}
        assert elapsed < ACTION_TIMEOUT * 3 + 5
        proxy.mode = "forward"
        proxy.down()
        elapsed, reply = timed_send(servers, sender, "what are the symptoms of ALL?")
        print(f"action server down: friendly reply after {elapsed:.1f} s")
        assert texts(reply)[-1] == input_guard.FALLBACK_REPLY
        assert customs(reply)[-1]["answer_type"] == "fallback"
        assert elapsed < 5
        # A new conversation: the Rasa server starts it itself (rasa_patches/failed_turns.py), and a greeting
        # needs no action server: disclaimer, then the greeting.
        elapsed, reply = timed_send(servers, new_sender(), "hi")
        assert "not medical advice" in texts(reply)[0]
        assert customs(reply)[-1]["answer_type"] == "chitchat"
    finally:
        proxy.mode = "forward"
        if proxy._server is None:
            proxy.up()
    reply = servers.send(sender, "what are the symptoms of ALL?")
    assert customs(reply)[-1]["answer_type"] == "answer"
    assert customs(reply)[-1]["citations"][0]["section"].startswith("Symptoms")


def test_a_new_conversation_whose_answer_fails_gets_the_disclaimer_then_the_friendly_reply(
    servers: Servers, proxy: ActionProxy
) -> None:
    try:
        proxy.mode = "fail-answers"
        reply = servers.send(new_sender(), "what are the symptoms of ALL?")
    finally:
        proxy.mode = "forward"
    assert "not medical advice" in texts(reply)[0]  # the session start worked ...
    assert texts(reply)[-1] == input_guard.FALLBACK_REPLY  # ... the answer did not: say so
    assert customs(reply)[-1] == {"answer_type": "fallback", "citations": []}


def test_two_messages_at_once_from_one_sender_are_both_answered_in_order(servers: Servers) -> None:
    sender = new_sender()
    servers.send(sender, "hello")
    questions = ["what are the symptoms of ALL?", "what is a lumbar puncture?"]
    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda q: servers.send(sender, q), questions))
    sections = [customs(reply)[-1]["citations"][0]["section"] for reply in replies]
    assert sections[0].startswith("Symptoms")
    assert sections[1].startswith("Lumbar puncture")
    with sqlite3.connect(servers.env["TRACKER_DB"]) as db:
        rows = db.execute(
            "select type_name, data from events where sender_id = ? and type_name in ('user', 'bot') order by id",
            (sender,),
        ).fetchall()
    # Not interleaved: each question is followed by its own answer before the next question is read.
    turns: list[tuple[str, list[str]]] = []
    for type_name, data in rows:
        event = json.loads(data)
        if type_name == "user":
            turns.append((event["text"], []))
        elif turns:
            turns[-1][1].append(json.dumps(event.get("data", {}).get("custom") or {}))
    asked = [text for text, _ in turns[1:]]
    assert sorted(asked) == sorted(questions)
    for text, bot_events in turns[1:]:
        expected = "Symptoms" if "symptoms" in text else "Lumbar puncture"
        assert any(expected in custom for custom in bot_events), (text, bot_events)


# --- security --------------------------------------------------------------------------------------------------


def test_rasa_http_api_is_off(servers: Servers) -> None:
    for path in ("/conversations/someone/tracker", "/model", "/status", "/domain"):
        assert requests.get(servers.rasa_url + path, timeout=10).status_code in {403, 404}, path
    response = requests.put(servers.rasa_url + "/model", json={"model_file": "/tmp/x.tar.gz"}, timeout=10)
    assert response.status_code in {403, 404, 405}


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_action_server_listens_on_loopback_only(servers: Servers) -> None:
    port = int(servers.actions_url.rsplit(":", 1)[1])
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing on 0.0.0.0 or ::
    # make run and the cluster start it the same way (serving.programs)
    program = programs.action_server("actions", port, Path("action-server.log"))
    assert program.env["SANIC_HOST"] == "127.0.0.1"
    assert "--cors" in program.command
    with socket.socket() as sock:
        sock.settimeout(2)
        assert sock.connect_ex(("127.0.0.1", port)) == 0


# --- privacy ---------------------------------------------------------------------------------------------------


def test_phone_numbers_and_emails_never_reach_the_tracker_store(servers: Servers) -> None:
    sender = new_sender()
    servers.send(sender, "my email is jane.doe@example.com and my phone is +1 (212) 555-0199, what is ALL?")
    with sqlite3.connect(servers.env["TRACKER_DB"]) as db:
        dump = "\n".join(str(row) for row in db.execute("select * from events where sender_id = ?", (sender,)))
    # the number's digits, not "555" alone: that also occurs inside stored confidences and timestamps
    for typed in ("jane.doe", "example.com", "555-0199", "(212)", "2125550199"):
        assert typed not in dump
    assert stored_user_events(servers, sender)[0]["text"] == "my email is [email] and my phone is [phone], what is ALL?"


def test_message_text_is_not_in_the_logs(servers: Servers) -> None:
    sender = new_sender()
    reply = servers.send(sender, SECRET_TEXT)
    assert texts(reply)
    servers.send(sender, "zebracorn-7f3e 你好")  # answered by the guard
    time.sleep(0.5)  # let the servers flush their log lines
    for log in ("rasa.log", "actions.log"):
        content = (servers.workdir / log).read_text(errors="replace")
        assert "zebracorn" not in content, log


def test_privacy_commands_on_the_tracker_store_rasa_wrote(servers: Servers, tmp_path: Path) -> None:
    old, recent = new_sender(), new_sender()
    servers.send(old, "what is ALL?")
    servers.send(recent, "what is ALL?")
    copy = tmp_path / "tracker.db"
    with sqlite3.connect(servers.env["TRACKER_DB"]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as db:
        db.execute("update events set timestamp = timestamp - 40 * 86400 where sender_id = ?", (old,))
    privacy = [sys.executable, "-m", "scripts.privacy", "--db", str(copy)]

    def senders() -> set[str]:
        with sqlite3.connect(copy) as db:
            return {row[0] for row in db.execute("select distinct sender_id from events")}

    before = senders()
    result = subprocess.run(
        [*privacy, "forget-old", "--days", "30"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "deleted 1 conversations" in result.stdout
    assert senders() == before - {old}
    result = subprocess.run(
        [*privacy, "forget", "--sender", recent], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert senders() == before - {old, recent}
    # The live store, while the server runs: forget one conversation, then it starts afresh.
    result = subprocess.run(
        [sys.executable, "-m", "scripts.privacy", "--db", servers.env["TRACKER_DB"], "forget", "--sender", recent],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert "deleted" in result.stdout
    assert stored_user_events(servers, recent) == []
    reply = servers.send(recent, "what is ALL?")
    assert "not medical advice" in texts(reply)[0]  # a new conversation: the disclaimer again
    assert shutil.which("make") is None or "forget-old" in (ROOT / "Makefile").read_text()
