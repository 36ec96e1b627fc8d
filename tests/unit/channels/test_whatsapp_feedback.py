"""WhatsApp Cloud API rendering of answer feedback (issue 19): 👍 / 👎 as a short interactive message of its own
after an answer that asks for it, the reasons after 👎 as reply buttons within WhatsApp's limits, none after
urgent, clarify or chitchat replies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from actions import reply_contract as contract
from actions.feedback_actions import ASK_REASON, REASON_LABELS
from channels.whatsapp_replies import RATING_TITLES, REASON_TITLES, payload_for_id, whatsapp_messages

URL = "https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq#:~:text=Chemotherapy"
CITATION = {"section": "Chemotherapy", "url": URL, "updated": "2025-02-12"}
TEXT = f"Chemotherapy uses drugs to stop the growth of cancer cells.\n\nSource: “Chemotherapy” — NCI.\n{URL}"
ANSWER_ID = "0a1b2c3d4e5f"
UP = '/feedback{"answer_id":"0a1b2c3d4e5f","rating":"up"}'
DOWN = '/feedback{"answer_id":"0a1b2c3d4e5f","rating":"down"}'
THUMBS = {
    "type": "interactive",
    "interactive": {
        "type": "button",
        "body": {"text": "Did this answer help?"},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": UP, "title": "👍 Yes"}},
                {"type": "reply", "reply": {"id": DOWN, "title": "👎 No"}},
            ]
        },
    },
}


def show(section: str) -> str:
    return "/show_section" + json.dumps({"section": section})


def reply(answer_type: str, text: str = TEXT, buttons: list[dict[str, str]] | None = None) -> list[dict[str, Any]]:
    custom = {"answer_type": answer_type, "citations": [CITATION], "answer_id": ANSWER_ID}
    return [{"recipient_id": "x", "text": text, "buttons": buttons or []}, {"recipient_id": "x", "custom": custom}]


def test_an_answer_with_three_options_keeps_them_and_is_followed_by_thumbs_up_and_down() -> None:
    options = [{"title": "Tell me more", "payload": show("chemo")}, {"title": "Immunotherapy", "payload": show("i")}]
    answer, thumbs = whatsapp_messages(reply("answer", buttons=options))
    assert answer["interactive"]["body"]["text"] == TEXT  # the citation stays in the answer's text
    assert [b["reply"]["title"] for b in answer["interactive"]["action"]["buttons"]] == [
        "Tell me more",
        "Immunotherapy",
    ]
    assert thumbs == THUMBS


def test_a_long_answer_sent_as_text_gets_the_thumbs_after_its_options() -> None:
    long_text = "A sentence from the summary about treatment. " * 40 + TEXT
    messages = whatsapp_messages(reply("not_in_summary", long_text, [{"title": "Immunotherapy", "payload": show("i")}]))
    assert [m["type"] for m in messages] == ["text", "interactive", "interactive"]
    assert messages[1]["interactive"]["body"]["text"] == "What would you like to read next?"
    assert messages[2] == THUMBS


def test_the_thumbs_ids_map_back_to_the_feedback_payloads_without_a_lookup() -> None:
    *_, thumbs = whatsapp_messages(reply("out_of_scope", "I can only answer questions about childhood ALL."))
    ids = [b["reply"]["id"] for b in thumbs["interactive"]["action"]["buttons"]]
    assert [payload_for_id(i, []) for i in ids] == [UP, DOWN]


@pytest.mark.parametrize("answer_type", ["urgent", "clarify", "chitchat", "not_stored"])
def test_no_thumbs_after_replies_that_offer_no_feedback(answer_type: str) -> None:
    messages = whatsapp_messages(reply(answer_type))
    assert [m["type"] for m in messages] == ["text"]


def test_a_reply_without_an_answer_id_gets_no_thumbs() -> None:  # e.g. the channel's own fallback
    messages = whatsapp_messages(
        [{"recipient_id": "x", "text": TEXT}, {"recipient_id": "x", "custom": {"answer_type": "answer"}}]
    )
    assert [m["type"] for m in messages] == ["text"]


def test_one_thumbs_per_turn_under_its_last_answer_after_the_disclaimer() -> None:
    disclaimer = {"answer_type": "chitchat", "citations": [], "disclaimer": True, "answer_id": "ffffffffffff"}
    advice = {"answer_type": "personal_advice", "citations": [], "answer_id": "111111111111"}
    messages = whatsapp_messages(
        [
            {"recipient_id": "x", "text": "Please note: not medical advice."},
            {"recipient_id": "x", "custom": disclaimer},
            {"recipient_id": "x", "text": "Only your child's care team can say what this means for your child."},
            {"recipient_id": "x", "custom": advice},
            *reply("answer"),
        ]
    )
    assert [m["type"] for m in messages] == ["text", "text", "text", "interactive"]
    assert messages[-1] == THUMBS


def test_a_turn_with_an_urgent_reply_gets_no_thumbs_at_all() -> None:
    urgent = {"answer_type": "urgent", "citations": [], "answer_id": "222222222222"}
    messages = whatsapp_messages(
        [*reply("answer"), {"recipient_id": "x", "text": "Call your child's care team now, or 911."},
         {"recipient_id": "x", "custom": urgent}]
    )  # fmt: skip
    assert [m["type"] for m in messages] == ["text", "text"]
    assert messages[0]["text"]["body"] == "Call your child's care team now, or 911."


def test_the_reasons_after_thumbs_down_are_three_reply_buttons_with_short_titles() -> None:
    reasons = [
        {"title": REASON_LABELS[r], "payload": f'/feedback{{"answer_id":"{ANSWER_ID}","rating":"down","reason":"{r}"}}'}
        for r in REASON_LABELS
    ]
    thanks = [
        {"recipient_id": "x", "text": ASK_REASON, "buttons": reasons},
        {"recipient_id": "x", "custom": {"answer_type": "chitchat", "citations": [], "answer_id": "333333333333"}},
    ]
    [message] = whatsapp_messages(thanks)
    assert message["interactive"]["type"] == "button"
    assert message["interactive"]["body"]["text"] == ASK_REASON
    assert message["interactive"]["action"]["buttons"] == [
        {"type": "reply", "reply": {"id": reasons[0]["payload"], "title": "Didn't answer"}},
        {"type": "reply", "reply": {"id": reasons[1]["payload"], "title": "Hard to understand"}},
        {"type": "reply", "reply": {"id": reasons[2]["payload"], "title": "Wrong topic"}},
    ]


def test_every_rating_and_reason_of_the_contract_has_a_title_that_fits_a_reply_button() -> None:
    assert list(RATING_TITLES) == list(contract.RATINGS)
    assert list(REASON_TITLES) == list(contract.REASONS)
    assert all(0 < len(t) <= 20 for t in [*RATING_TITLES.values(), *REASON_TITLES.values()])
