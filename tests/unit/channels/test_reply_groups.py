"""A reply cut at its reply-contract payloads, the urgent group first."""

from __future__ import annotations

from channels.reply_groups import reply_groups


def test_groups_end_at_payloads_and_the_urgent_one_comes_first() -> None:
    disclaimer = {"answer_type": "chitchat", "citations": [], "disclaimer": True}
    urgent = {"answer_type": "urgent", "citations": [], "urgent_category": "fever"}
    messages = [
        {"text": "Please note …"},
        {"custom": disclaimer},
        {"text": "Call now.", "buttons": [{"title": "x", "payload": "/x"}]},
        {"text": " "},
        {"custom": urgent},
        {"text": "trailing, no payload"},
    ]
    groups = reply_groups(messages)
    assert [(g.texts, g.payload) for g in groups] == [
        (("Call now.",), urgent),
        (("Please note …",), disclaimer),
        (("trailing, no payload",), None),
    ]
    assert groups[0].urgent
    assert groups[0].buttons == ({"title": "x", "payload": "/x"},)
    assert groups[1].citations == []
