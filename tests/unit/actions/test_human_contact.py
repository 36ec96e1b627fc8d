"""'Can I talk to someone?': the action with a real Tracker and CollectingDispatcher, and the data file's loader."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.human_contact import HUMAN_CONTACT_FILE, HumanContactError, load_contact_guide
from actions.human_contact_actions import ActionHumanContact
from actions.services import knowledge_base

CIS_SENTENCE = (
    "For more information, call the Cancer Information Service (CIS), NCI's contact center, at 1-800-4-CANCER "
    "(1-800-422-6237)."
)
CLINICAL_TRIAL_INFORMATION = {
    "section": "Clinical Trial Information",
    "url": "https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq#:~:text=Clinical%20Trial%20Information",
    "updated": "2025-02-12",
}
NCI_CONTACT = {"label": "NCI Cancer Information Service: 1-800-4-CANCER", "tel": "18004226237"}


def tracker(text: str) -> Tracker:
    return Tracker(
        sender_id="t",
        slots={},
        latest_message={"text": text, "intent": {"name": "ask_human_contact", "confidence": 1.0}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionHumanContact().run(dispatcher, tracker(text), {}))
    return dispatcher.messages, events


def test_with_the_care_team_number_set_it_comes_first_with_nci_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARE_TEAM_PHONE", "+1 (555) 010-0199")
    monkeypatch.setenv("CARE_TEAM_PHONE_LABEL", "Oncology on-call")
    messages, events = run("can i talk to a nurse")
    assert events == []
    assert len(messages) == 1
    text = messages[0]["text"]
    lines = text.split("\n")
    assert lines[:5] == [
        "You can talk to a person:",
        "• Your child's care team — Oncology on-call: +1 (555) 010-0199.",
        "• NCI's Cancer Information Service, in English and Spanish: call 1-800-4-CANCER (1-800-422-6237), "
        "use the Live Chat on cancer.gov, or e-mail NCIinfo@nih.gov.",
        "For the hours of the phone line and the chat, see cancer.gov/contact.",
        "If this is an emergency, call your child's care team or 911 now.",
    ]
    assert f"From the summary: “{CIS_SENTENCE}”" in text
    assert "Source: “Clinical Trial Information”" in text
    assert messages[0]["custom"] == {
        "answer_type": "human_contact",
        "citations": [CLINICAL_TRIAL_INFORMATION],
        "contacts": [{"label": "Oncology on-call", "tel": "+15550100199"}, NCI_CONTACT],
    }
    assert messages[0]["buttons"] == []


def test_without_a_care_team_number_it_says_to_use_the_one_the_team_gave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CARE_TEAM_PHONE", raising=False)
    messages, _ = run("i want a real person")
    assert messages[0]["text"].split("\n")[1] == "• Your child's care team: please call the number they gave you."
    assert messages[0]["custom"]["contacts"] == [NCI_CONTACT]


def test_a_care_team_number_that_is_not_a_number_is_left_out_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARE_TEAM_PHONE", "call reception")
    messages, _ = run("human please")
    assert "call reception" not in messages[0]["text"]
    assert messages[0]["custom"]["contacts"] == [NCI_CONTACT]


def test_the_quoted_sentence_is_verbatim_in_the_cited_section() -> None:
    kb = knowledge_base()
    guide = load_contact_guide(kb)
    assert guide.quote_text == CIS_SENTENCE
    assert CIS_SENTENCE in kb.section("clinical-trial-information").full_text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("hours:", "opening_hours:"), "unknown field(s) ['opening_hours']"),
        (('at 1-800-4-CANCER (1-800-422-6237)."', 'at 1-800-4-CANCER, day and night."'), "not verbatim"),
        (("section: clinical-trial-information", "section: no-such-section"), "not a section"),
        (('tel: "18004226237"', 'tel: "1-800-4-CANCER"'), "digits"),
        (("{label}: {phone}", "{phone}"), "{label} and {phone}"),
    ],
)
def test_the_loader_rejects_what_it_cannot_honour(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    text = HUMAN_CONTACT_FILE.read_text(encoding="utf-8")
    assert change[0] in text
    bad = tmp_path / "human_contact.yml"
    bad.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    with pytest.raises(HumanContactError, match=None) as raised:
        load_contact_guide(knowledge_base(), bad)
    assert message in str(raised.value)
