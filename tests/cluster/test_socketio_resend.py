"""socket.io across Rasa servers: a page's conversation and its resent question, on another server.

A question in flight on one server is resent by the page with its message id after the reconnect, which nginx
may send to the other server (its hash moved, or the first server died). Both servers check the session token
with the shared secret and the question's id against PostgreSQL under the conversation's Redis lock.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from serving.cluster.cluster import Cluster
from tests.cluster.conftest import rasa_url, stored_events
from tests.integration.channels.socketio_client import ChatClient

pytestmark = pytest.mark.cluster

QUESTION = "what are the symptoms of ALL?"


def test_a_question_resent_to_the_other_server_is_answered_from_postgresql_not_twice(cluster: Cluster) -> None:
    async def scenario() -> tuple[str, str, list[tuple[Any, list[dict[str, Any]]]], dict[str, Any]]:
        one, two = ChatClient(rasa_url(cluster, 1)), ChatClient(rasa_url(cluster, 2))
        try:
            session = await one.open()
            message_id = uuid.uuid4().hex
            first = await one.ask(QUESTION, message_id)
            resumed = await two.open({"session_id": session["session_id"], "token": session["token"]})
            # Both servers at once with the same id, then once more: one handles it, the others answer from it.
            again = await asyncio.gather(one.ask(QUESTION, message_id), two.ask(QUESTION, message_id))
            return session["session_id"], message_id, [first, *again], resumed
        finally:
            await one.close()
            await two.close()

    sender, message_id, answers, resumed = asyncio.run(scenario())
    assert resumed["session_id"] == sender  # server 2 accepted the token server 1 issued
    assert [ack for ack, _ in answers] == [{"message_id": message_id, "status": "stored"}] * 3
    replies = [[(e.get("text"), e.get("answer_type"), e["seq"]) for e in events] for _, events in answers]
    assert replies[0] == replies[1] == replies[2]
    assert replies[0][-1][1] == "answer"
    users = [(e["text"], e.get("message_id")) for kind, e in stored_events(cluster, sender) if kind == "user"]
    assert users == [(QUESTION, message_id)]
