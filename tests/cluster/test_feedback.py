"""Answer feedback in the production profile: a 👎 and its reason sent to one Rasa server, on a conversation
the other server answered, are stored in PostgreSQL as the same answer_feedback events as on SQLite."""

from __future__ import annotations

import uuid

import pytest

from actions import reply_contract as contract
from serving.cluster.cluster import Cluster
from tests.cluster.conftest import rasa_url, send, stored_events

pytestmark = pytest.mark.cluster

SYMPTOMS = "Symptoms of childhood acute lymphoblastic leukemia"


def test_feedback_is_stored_in_postgresql_whichever_server_takes_it(cluster: Cluster) -> None:
    sender = f"feedback-{uuid.uuid4().hex[:10]}"
    answer = [m["custom"] for m in send(rasa_url(cluster, 1), sender, "what are the symptoms of ALL?") if "custom" in m]
    answer_id = answer[-1][contract.ANSWER_ID]
    send(rasa_url(cluster, 2), sender, contract.feedback_payload(answer_id, "down"))
    send(rasa_url(cluster, 1), sender, contract.feedback_payload(answer_id, "down", "didnt_answer"))
    feedback = [
        e["value"] for kind, e in stored_events(cluster, sender) if kind == "slot" and e["name"] == "answer_feedback"
    ]
    assert feedback == [
        {"answer_id": answer_id, "rating": "down", "reason": None, "section": SYMPTOMS, "answer_type": "answer"},
        {"answer_id": answer_id, "rating": "down", "reason": "didnt_answer", "section": SYMPTOMS,
         "answer_type": "answer"},
    ]  # fmt: skip
