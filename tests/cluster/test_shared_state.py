"""Any Rasa server can take any message: state in PostgreSQL, one message at a time per conversation via Redis."""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
import redis

from actions.knowledge_base import KnowledgeBase
from serving.cluster.cluster import Cluster
from tests.cluster.conftest import rasa_url, send, stored_events, texts

pytestmark = pytest.mark.cluster


def test_a_conversation_alternating_between_servers_keeps_its_state(cluster: Cluster, kb: KnowledgeBase) -> None:
    sender = f"alt-{uuid.uuid4().hex[:10]}"
    one, two = rasa_url(cluster, 1), rasa_url(cluster, 2)
    send(one, sender, "hello")
    first = send(two, sender, "can you check which risk group fits a 4 year old?")
    assert "white blood cell count" in texts(first)[-1]  # server 2 knows the age it was just told
    result = send(one, sender, "about 30,000")  # server 1 continues server 2's form
    standard = next(g for g in kb.risk_groups.groups if g.id == "standard")
    assert standard.definition in texts(result)[0]

    symptoms = send(two, sender, "what are the symptoms of ALL?")
    assert kb.section("symptoms").blocks[0].text in texts(symptoms)[0]
    more = send(one, sender, "tell me more")  # "more" of the section server 2 answered from
    assert kb.section("symptoms").blocks[1].text in "\n".join(texts(more))

    users = [e["text"] for kind, e in stored_events(cluster, sender) if kind == "user"]
    assert users == [
        "hello",
        "can you check which risk group fits a 4 year old?",
        "about 30,000",
        "what are the symptoms of ALL?",
        "tell me more",
    ]


def test_messages_sent_at_once_to_two_servers_are_answered_in_order(cluster: Cluster, kb: KnowledgeBase) -> None:
    lock_store = redis.Redis(
        host="127.0.0.1", port=cluster.config.redis_port, password=cluster.secrets()["REDIS_PASSWORD"]
    )
    lock_scripts_before = lock_store.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)
    questions = {
        1: ("what are the symptoms of ALL?", kb.section("symptoms").heading),
        2: ("what is a lumbar puncture?", kb.section("lumbar-puncture").heading),
    }
    for _ in range(3):
        sender = f"pair-{uuid.uuid4().hex[:10]}"
        send(rasa_url(cluster, 1), sender, "hi")
        replies: dict[int, list[dict[str, object]]] = {}

        def ask(server: int, sender: str, replies: dict[int, list[dict[str, object]]]) -> None:
            replies[server] = send(rasa_url(cluster, server), sender, questions[server][0])

        threads = [threading.Thread(target=ask, args=(server, sender, replies)) for server in (1, 2)]
        threads[0].start()
        time.sleep(0.01)  # server 1's message arrives first
        threads[1].start()
        for thread in threads:
            thread.join(90)

        # Both answered, each with its own question's section.
        for server, (_, heading) in questions.items():
            assert replies[server][-1]["custom"]["citations"][0]["section"] == heading  # type: ignore[index]
        # One after the other: the first question's whole turn is stored before the second question.
        order = [(kind, e.get("text")) for kind, e in stored_events(cluster, sender) if kind in ("user", "bot")]
        user_positions = [i for i, (kind, _) in enumerate(order) if kind == "user"]
        second = user_positions[-1]
        assert [order[i][1] for i in user_positions[-2:]] == [questions[1][0], questions[2][0]]
        assert any(kind == "bot" for kind, _ in order[user_positions[-2] + 1 : second])
        assert all(kind == "bot" for kind, _ in order[second + 1 :])
        assert second + 1 < len(order)

    assert lock_store.info("commandstats")["cmdstat_evalsha"]["calls"] > lock_scripts_before  # the Redis lock store


def test_bursts_of_one_conversation_across_both_servers_are_stored_turn_by_turn(
    cluster: Cluster, kb: KnowledgeBase
) -> None:
    questions = {
        "what are the symptoms of ALL?": kb.section("symptoms").heading,
        "what is a lumbar puncture?": kb.section("lumbar-puncture").heading,
    }
    asked = list(questions)
    senders = [f"burst-{uuid.uuid4().hex[:8]}" for _ in range(3)]
    for sender in senders:
        send(rasa_url(cluster, 1), sender, "hi")
    sent: list[tuple[str, str]] = [(sender, asked[n % 2]) for sender in senders for n in range(6)]
    failures: list[BaseException] = []

    def ask(index: int) -> None:
        sender, question = sent[index]
        try:
            send(rasa_url(cluster, 1 + index % 2), sender, question)  # alternate servers
        except Exception as error:  # collected: a thread's exception would be lost
            failures.append(error)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(sent))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    for sender in senders:
        turns: list[tuple[str, list[str]]] = []
        for kind, event in stored_events(cluster, sender):
            if kind == "user":
                turns.append((str(event["text"]), []))
            elif kind == "bot" and turns:
                turns[-1][1].append(json.dumps(event.get("data", {}).get("custom") or {}))
        assert sorted(text for text, _ in turns[1:]) == sorted(q for s, q in sent if s == sender)  # all stored
        for text, replies in turns[1:]:  # one at a time: each question's own answer before the next question
            assert any(questions[text] in reply for reply in replies), (text, replies)
