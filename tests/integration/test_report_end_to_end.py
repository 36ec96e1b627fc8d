"""``make report`` on a store written by real conversations: the trained model, the action server and the Rasa
server over REST, on their own fresh SQLite store. The expected counts are what the client saw in the replies."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from actions import reply_contract as contract
from serving.local_servers import ROOT, Servers, running_servers

pytestmark = pytest.mark.integration

HAIR = "will my child lose their hair?"
QUESTIONS = [HAIR, HAIR, HAIR, "what are the symptoms of ALL?", "my son has a fever of 39 and he is on chemo"]


@pytest.fixture(scope="module")
def own_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with running_servers(Path(tmp_path_factory.mktemp("report-servers"))) as running:
        yield running


def final_payload(messages: list[dict[str, object]]) -> dict[str, object]:
    """The payload that completes the reply (the disclaimer's comes before it on a first message)."""
    custom = messages[-1].get("custom")
    assert isinstance(custom, dict)
    assert contract.is_complete(messages)
    return custom


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.reader(file))[1:]


def test_the_report_counts_what_the_conversations_got(own_servers: Servers, tmp_path: Path) -> None:
    payloads = [final_payload(own_servers.send(f"report-{uuid.uuid4().hex[:10]}", text)) for text in QUESTIONS]
    kinds = Counter(str(p[contract.ANSWER_TYPE]) for p in payloads)
    assert [p[contract.ANSWER_TYPE] for p in payloads[:3]] == [contract.NOT_IN_SUMMARY] * 3  # the premise
    assert payloads[3][contract.ANSWER_TYPE] == contract.ANSWER
    assert payloads[4][contract.ANSWER_TYPE] == contract.URGENT

    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    result = subprocess.run(
        [sys.executable, "-m", "reporting", "--db", own_servers.env["TRACKER_DB"], "--from", today, "--to", today,
         "--out", str(tmp_path)],
        capture_output=True, text=True, check=False, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"report: 5 conversations, 5 messages from {today} to {today}")
    assert csv_rows(tmp_path / "activity.csv") == [[today, "rest", "5", "5"]]
    assert csv_rows(tmp_path / "answer_types.csv") == [[today, *(str(kinds[k]) for k in contract.ANSWER_TYPES)]]
    assert csv_rows(tmp_path / "urgent.csv") == [[str(payloads[4][contract.URGENT_CATEGORY]), "1"]]
    symptoms = payloads[3][contract.CITATIONS]
    assert isinstance(symptoms, list)
    assert csv_rows(tmp_path / "sections.csv") == [[symptoms[0]["section"], "1"]]
    assert csv_rows(tmp_path / "unanswered.csv") == [[HAIR, "3", "3", "3", "0", "0"]]
