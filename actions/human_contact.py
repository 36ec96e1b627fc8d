"""How to reach a person (``knowledge/human_contact.yml``): the reply to "can I talk to someone?".

:class:`ContactGuide` loads the file, rejecting any field it does not know and any quote that is not verbatim
in its section; :func:`human_contact_reply` builds the reply: the care team's number (``CARE_TEAM_PHONE``, see
:mod:`actions.settings`) or where to find it, NCI's Cancer Information Service (phone, chat, e-mail; where its
hours are stated), the emergency line, then the PDQ sentence that gives the service's number, cited.

The payload (:mod:`actions.reply_contract`) is ``answer_type`` ``human_contact`` with ``citations`` (the quoted
section) and ``contacts`` (``label`` + ``tel``: the care team's when set, then NCI's) for ``tel:`` links. The
kiosk puts "Please ask at the front desk." first (web/kiosk/kiosk.js), as it does for urgent replies.
No Rasa import: the action (:mod:`actions.human_contact_actions`) and the tests use it directly.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from actions import reply_contract as contract
from actions.answers import citation, citation_line
from actions.knowledge_base import KNOWLEDGE_DIR, KnowledgeBase
from actions.settings import CareTeamContact, SettingsError, care_team_contact

logger = logging.getLogger(__name__)

HUMAN_CONTACT_FILE = KNOWLEDGE_DIR / "human_contact.yml"
_FILE_KEYS = {"intro", "care_team", "nci", "hours", "emergency", "quote"}
_CARE_TEAM_KEYS = {"with_phone", "without_phone"}
_NCI_KEYS = {"text", "contact"}
_CONTACT_KEYS = {"label", "tel"}
_QUOTE_KEYS = {"section", "text"}


class HumanContactError(ValueError):
    """``human_contact.yml`` is malformed; the message names the field."""


@dataclass(frozen=True)
class ContactGuide:
    """The fixed lines of the reply, as the file states them."""

    intro: str
    care_team_with_phone: str
    care_team_without_phone: str
    nci_text: str
    nci_contact: dict[str, str]
    hours: str
    emergency: str
    quote_section: str
    quote_text: str


def _mapping(raw: Any, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise HumanContactError(f"{where}: expected a mapping of {sorted(allowed)}, got {raw!r}")
    unknown = set(raw) - allowed
    missing = allowed - set(raw)
    if unknown or missing:
        raise HumanContactError(
            f"{where}: unknown field(s) {sorted(unknown)}, missing field(s) {sorted(missing)}; "
            f"the fields are {sorted(allowed)}"
        )
    return raw


def _line(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise HumanContactError(f"{where}.{key}: must be a non-empty string")
    return value.strip()


def load_contact_guide(kb: KnowledgeBase, path: Path = HUMAN_CONTACT_FILE) -> ContactGuide:
    """The guide in ``path``; :class:`HumanContactError` naming the field when anything in it is wrong."""
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise HumanContactError(f"{name}: {exc}") from None
    spec = _mapping(raw, _FILE_KEYS, name)
    care = _mapping(spec["care_team"], _CARE_TEAM_KEYS, f"{name}: care_team")
    nci = _mapping(spec["nci"], _NCI_KEYS, f"{name}: nci")
    contact = _mapping(nci["contact"], _CONTACT_KEYS, f"{name}: nci.contact")
    quote = _mapping(spec["quote"], _QUOTE_KEYS, f"{name}: quote")
    with_phone = _line(care, "with_phone", f"{name}: care_team")
    if "{label}" not in with_phone or "{phone}" not in with_phone:
        raise HumanContactError(f"{name}: care_team.with_phone must contain {{label}} and {{phone}}")
    tel = _line(contact, "tel", f"{name}: nci.contact")
    if not tel.lstrip("+").isdigit():
        raise HumanContactError(f"{name}: nci.contact.tel must be digits (and a leading +), got {tel!r}")
    section_id = _line(quote, "section", f"{name}: quote")
    quote_text = _line(quote, "text", f"{name}: quote")
    if section_id not in kb.sections:
        raise HumanContactError(f"{name}: quote.section {section_id!r} is not a section of the knowledge base")
    if not any(quote_text in text for text in kb.section(section_id).texts()):
        raise HumanContactError(f"{name}: quote.text is not verbatim in section {section_id!r}")
    return ContactGuide(
        intro=_line(spec, "intro", name),
        care_team_with_phone=with_phone,
        care_team_without_phone=_line(care, "without_phone", f"{name}: care_team"),
        nci_text=_line(nci, "text", f"{name}: nci"),
        nci_contact={"label": _line(contact, "label", f"{name}: nci.contact"), "tel": tel},
        hours=_line(spec, "hours", name),
        emergency=_line(spec, "emergency", name),
        quote_section=section_id,
        quote_text=quote_text,
    )


def _care_team() -> CareTeamContact:
    try:
        return care_team_contact()
    except SettingsError as exc:  # the reply must not fail: the log says why the number is missing
        logger.error("%s; the reply to 'can I talk to someone' will not show a care-team number", exc)
        return care_team_contact({})


def human_contact_reply(kb: KnowledgeBase, guide: ContactGuide) -> tuple[str, dict[str, Any]]:
    """(text, payload) of the reply to a request for a person (see the module docstring)."""
    care = _care_team()
    contacts: list[dict[str, str]] = []
    lines = [guide.intro]
    if care.tel and care.phone:
        lines.append(guide.care_team_with_phone.format(label=care.label, phone=care.phone))
        contacts.append({"label": care.label, "tel": care.tel})
    else:
        lines.append(guide.care_team_without_phone)
    lines += [guide.nci_text, guide.hours, guide.emergency]
    contacts.append(dict(guide.nci_contact))
    section = kb.section(guide.quote_section)
    text = "\n".join(lines) + f"\n\nFrom the summary: “{guide.quote_text}”\n" + citation_line(kb, [section])
    payload = contract.payload(contract.HUMAN_CONTACT, [citation(section)])
    payload[contract.CONTACTS] = contacts
    return text, payload
