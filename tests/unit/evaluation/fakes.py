"""Hand-written bot replies in the REST channel's shape: a visible message, then its payload."""

from __future__ import annotations

from typing import Any

Message = dict[str, Any]
URL = "https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq"


def citation_block(section: str) -> str:
    return f"Source: “{section}” — Childhood ALL Treatment (PDQ®), NCI, updated May 1, 2024.\n{URL}"


def visible(text: str, buttons: list[dict[str, str]] | None = None) -> Message:
    message: Message = {"recipient_id": "u", "text": text}
    if buttons:
        message["buttons"] = buttons
    return message


def payload(answer_type: str, *sections: str, **extra: Any) -> Message:
    citations = [{"section": s, "url": URL, "updated": "2024-05-01"} for s in sections]
    return {"recipient_id": "u", "custom": {"answer_type": answer_type, "citations": citations, **extra}}


def answer(body: str, section: str) -> list[Message]:
    """A cited answer: body, blank line, citation block; then its payload."""
    return [visible(f"{body}\n\n{citation_block(section)}"), payload("answer", section)]


def not_in_summary(body: str, nearest: str) -> list[Message]:
    return [visible(f"{body}\n\n{citation_block(nearest)}"), payload("not_in_summary", nearest)]


def urgent(category: str = "breathing") -> list[Message]:
    return [visible("Call 911 or your child's care team now."), payload("urgent", urgent_category=category)]


def personal_advice() -> list[Message]:
    return [visible("Your child's care team is the right place to ask about that."), payload("personal_advice")]


def simple(answer_type: str, text: str = "…", buttons: list[dict[str, str]] | None = None) -> list[Message]:
    return [visible(text, buttons), payload(answer_type)]


BUTTON = {"title": "Symptoms of ALL", "payload": '/show_section{"section": "symptoms"}'}
