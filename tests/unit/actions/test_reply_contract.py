"""The reply contract (actions/reply_contract.py) is the one spelling of the payload: the actions' payloads,
domain.yml's custom payloads and the widget's copy in web/widget/chat-core.js all agree with it."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions import reply_contract as contract
from actions.answers import Reply
from actions.risk_group_actions import CLARIFY

ROOT = Path(__file__).resolve().parents[3]
CHAT_CORE = ROOT / "web" / "widget" / "chat-core.js"
SYMPTOMS = {
    "section": "Symptoms of childhood acute lymphoblastic leukemia",
    "url": "https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq#_20",
    "updated": date(2025, 1, 1).isoformat(),
}


def domain_payloads() -> dict[str, list[dict[str, Any]]]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {
        name: [variant["custom"] for variant in variants if "custom" in variant]
        for name, variants in domain["responses"].items()
    }


def test_reply_payload_is_answer_type_then_citations_byte_for_byte() -> None:
    reply = Reply(text="…", answer_type=contract.ANSWER, citations=(SYMPTOMS,))
    assert json.dumps(reply.payload) == (
        '{"answer_type": "answer", "citations": [{"section": "Symptoms of childhood acute lymphoblastic leukemia", '
        '"url": "https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq#_20", '
        '"updated": "2025-01-01"}]}'
    )
    assert json.dumps(CLARIFY) == '{"answer_type": "clarify", "citations": []}'


def test_every_custom_payload_in_the_domain_follows_the_contract() -> None:
    allowed = {contract.ANSWER_TYPE, contract.CITATIONS, contract.DISCLAIMER}
    found = domain_payloads()
    assert sum(len(p) for p in found.values()) >= 10  # the domain's chit-chat, scope and fallback responses
    for name, payloads in found.items():
        for payload in payloads:
            assert set(payload) <= allowed, name
            assert payload[contract.ANSWER_TYPE] in contract.ANSWER_TYPES, name
            assert payload[contract.CITATIONS] == [], name  # domain responses quote no PDQ text


def test_only_the_session_start_disclaimer_leaves_a_reply_incomplete() -> None:
    payloads = [(name, p) for name, found in domain_payloads().items() for p in found]
    incomplete = {name for name, payload in payloads if not contract.completes_reply(payload)}
    assert incomplete == {"utter_disclaimer"}


@pytest.mark.parametrize(
    ("messages", "complete"),
    [
        ([], False),
        ([{"recipient_id": "s", "text": "Hello"}], False),
        ([{"recipient_id": "s", "text": "Hi"}, {"recipient_id": "s", "custom": {"answer_type": "chitchat"}}], True),
        ([{"recipient_id": "s", "custom": {"answer_type": "chitchat", "citations": [], "disclaimer": True}}], False),
        ([{"recipient_id": "s", "custom": {"answer_type": "urgent", "citations": []}}], True),
        ([{"recipient_id": "s", "custom": {"citations": []}}], False),  # a payload without its answer type
        ([{"recipient_id": "s", "custom": "answer"}], False),
    ],
)
def test_a_reply_is_complete_when_it_ends_with_a_typed_payload_that_is_not_the_disclaimer(
    messages: list[dict[str, Any]], complete: bool
) -> None:
    assert contract.is_complete(messages) is complete


def test_the_widget_mirrors_the_contract() -> None:
    source = CHAT_CORE.read_text(encoding="utf-8")
    declared = re.search(r"var REPLY_CONTRACT = (\{.*?\n  \});", source, re.DOTALL)
    assert declared is not None, "web/widget/chat-core.js declares no REPLY_CONTRACT"
    assert json.loads(declared.group(1)) == contract.javascript_mirror()


@pytest.mark.parametrize(
    "script", ["web/widget/chat-core.js", "web/widget/widget.js", "web/kiosk/kiosk.js", "web/widget/feedback.js"]
)
def test_the_web_scripts_spell_answer_types_and_keys_only_in_the_mirror(script: str) -> None:
    source = (ROOT / script).read_text(encoding="utf-8")
    source = re.sub(r"var REPLY_CONTRACT = \{.*?\n  \};", "", source, flags=re.DOTALL)
    source = re.sub(r"/\*.*?\*/|^\s*//[^\n]*", "", source, flags=re.DOTALL | re.MULTILINE)  # comments
    literals = {a or b for a, b in re.findall(r""""([^"\\\n]*)"|'([^'\\\n]*)'""", source)}
    spelled = {*contract.ANSWER_TYPES, contract.ANSWER_TYPE, contract.CITATIONS, contract.CONTACTS}
    assert not literals & spelled
    assert "answer_type" not in source  # nor payload.answer_type
