"""The replies of the safety layer, with no Rasa import: the urgent reply and the personal-advice reply.

The urgent reply leads with the one action for the situation (``lead`` in
``knowledge/safety/concepts.yml``), then the care team's after-hours number when it is set
(``CARE_TEAM_PHONE``), 911, and 988 only for self-harm. Its payload carries ``urgent_category`` and
``contacts`` (label + ``tel``) so the widget can show tappable links and the kiosk can tell the family
to find a member of staff first.

The personal-advice reply says kindly that only the care team can answer for this child (one line per
kind, ``knowledge/safety/advice.yml``), then offers the general information the summary has.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from actions import reply_contract as contract
from actions.safety.advice import AdviceRules
from actions.safety.concepts import default_catalogue
from actions.settings import CareTeamContact, SettingsError, care_team_contact

logger = logging.getLogger(__name__)

EMERGENCY_NUMBER = "911"
CRISIS_LINE = "988"
NOT_FOR_EMERGENCIES = "I'm an automated assistant and can't help in an emergency."
# Sections whose general information helps after each kind of personal question (first is the default).
ADVICE_SECTIONS = {
    "dose": ("treatment-phases", "chemotherapy", "side-effects-late-effects"),
    "decision": ("treatment-options", "clinical-trials", "second-opinion"),
    "results": ("complete-blood-count", "follow-up-care", "risk-groups"),
    "prognosis": ("prognostic-factors", "risk-groups", "coping"),
    "diagnosis": ("symptoms", "tests-to-diagnose", "treatment-relapsed-refractory"),
}


@dataclass(frozen=True)
class SafetyReply:
    text: str
    payload: dict[str, Any]
    buttons: tuple[dict[str, str], ...] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def _advice() -> AdviceRules:
    return AdviceRules()


def _contact() -> CareTeamContact:
    try:
        return care_team_contact()
    except SettingsError as exc:  # an urgent reply must never fail: say it in the log, reply without it
        logger.error("%s; urgent replies will not show a care-team number", exc)
        return care_team_contact({})


def urgent_reply(category: str | None) -> SafetyReply:
    """The urgent reply for ``category`` (an unknown or missing category gets the general one)."""
    known = default_catalogue().categories.get(category or "")
    contact = _contact()
    lines = []
    contacts: list[dict[str, str]] = []
    if known is not None and known.crisis_line:
        lines.append(known.lead)
        contacts.append({"label": "988 Suicide & Crisis Lifeline (call or text)", "tel": CRISIS_LINE})
        contacts.append({"label": "Emergency: 911", "tel": EMERGENCY_NUMBER})
        if contact.tel:
            lines.append(f"You can also call {contact.label}: {contact.phone}.")
            contacts.append({"label": contact.label, "tel": contact.tel})
    else:
        lines.append(known.lead if known else "This could be urgent. Please call your child's care team now.")
        if known is not None and known.contact is not None:
            contacts.append({"label": known.contact[0], "tel": known.contact[1]})
        if contact.tel:
            lines.append(f"{contact.label}: {contact.phone}.")
            contacts.append({"label": contact.label, "tel": contact.tel})
        else:
            lines.append("Use the after-hours number your child's care team gave you.")
        lines.append("If your child seems very unwell or you are worried, call 911 (or your local emergency number).")
        contacts.append({"label": "Emergency: 911", "tel": EMERGENCY_NUMBER})
    lines.append(NOT_FOR_EMERGENCIES)
    payload = {
        contract.ANSWER_TYPE: contract.URGENT,
        contract.URGENT_CATEGORY: known.name if known else "general",
        contract.CITATIONS: [],
        contract.CONTACTS: contacts,
    }
    return SafetyReply("\n".join(lines), payload)


def safety_note(category: str | None) -> str | None:
    """The one-line conditional note for a sign mentioned but not happening now."""
    known = default_catalogue().categories.get(category or "")
    return known.note if known else None


def advice_line(kind: str | None) -> str:
    """The kind care-team sentence for ``kind`` (decision when unknown)."""
    rules = _advice()
    chosen = rules.kinds.get(kind or "") or rules.kinds["decision"]
    return chosen.care_team_line


def advice_sections(kind: str | None) -> tuple[str, ...]:
    return ADVICE_SECTIONS.get(kind or "", ADVICE_SECTIONS["decision"])
