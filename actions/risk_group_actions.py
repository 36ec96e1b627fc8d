"""The risk-group form: ask age and white blood cell count, then show the matching PDQ definition."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions import answers, services
from actions import reply_contract as contract
from actions.answers import Reply
from actions.dispatch import send
from actions.question_routing import answer_question, asks_a_question, wants_the_risk_group_form
from actions.risk_groups import (
    matching_definition,
    numbers_in_question,
    parse_age_years,
    parse_wbc_per_microliter,
)

CLARIFY = contract.payload(contract.CLARIFY)


@dataclass(frozen=True)
class FormSlot:
    """One question of the form: how to ask it, how to read the answer, what to say when it can't."""

    name: str
    ask: str
    parse: Callable[[str], float | None]
    unreadable: str


AGE = FormSlot(
    name="child_age_years",
    ask="How old was the child at diagnosis? (For example “4”, “18 months” or “12 years”. "
    "Please don't type names. Say “stop” to cancel.)",
    parse=parse_age_years,
    unreadable="Sorry, I couldn't read an age from that. Please type a number such as “4”, "
    "“18 months” or “12 years” (or “stop” to cancel).",
)
WBC = FormSlot(
    name="child_wbc_per_microliter",
    ask="What was the white blood cell count at diagnosis, per microliter of blood? (For example “30,000” or “30k”.)",
    parse=parse_wbc_per_microliter,
    unreadable="Sorry, I couldn't read a white blood cell count from that. Please type a number such "
    "as “30,000” or “30k” per microliter (or “stop” to cancel).",
)


class _AskSlot:
    """Mixin, not an Action itself: rasa_sdk instantiates every Action subclass it finds."""

    slot: FormSlot

    def name(self) -> str:
        return f"action_ask_{self.slot.name}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=self.slot.ask, json_message=CLARIFY)
        return []


class ActionAskChildAge(_AskSlot, Action):
    slot = AGE


class ActionAskChildWbc(_AskSlot, Action):
    slot = WBC


def _format_age(years: float) -> str:
    if years < 1:
        months = round(years * 12)
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{years:g} year{'s' if years != 1 else ''}"


class ActionRiskGroupIntro(Action):
    """Before the form: the PDQ's risk-group section (cited), and any age / count already in the question."""

    def name(self) -> str:
        return "action_risk_group_intro"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if not wants_the_risk_group_form(str(tracker.latest_message.get("text") or "")):
            return []  # the form ends at once and the result action answers the question
        kb = services.knowledge_base()
        send(dispatcher, answers.section_answer(kb, kb.section(kb.risk_groups.section)))
        age, wbc = numbers_in_question(str(tracker.latest_message.get("text") or ""))
        events: list[EventType] = [SlotSet("last_section", kb.risk_groups.section)]
        if age is not None:
            events.append(SlotSet("child_age_years", age))
        if wbc is not None:
            events.append(SlotSet("child_wbc_per_microliter", wbc))
        if age is None or wbc is None:
            dispatcher.utter_message(
                text="I can show which of these general definitions fits an age and a white blood cell count. "
                "It is general information only — your child's care team decides the risk group.",
                json_message=CLARIFY,
            )
        return events


class ValidateRiskGroupForm(FormValidationAction):
    def name(self) -> str:
        return "validate_risk_group_form"

    """Reads the age and the count. A message the form cannot read that asks a question instead ("and if
    he is not in remission?") ends the form (``requested_slot`` None): :class:`ActionRiskGroupResult`, which
    the rules run next, then answers it as a question."""

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """None when the form is being started by a message that does not want it (see
        :func:`actions.question_routing.wants_the_risk_group_form`): it ends before asking anything."""
        if not tracker.active_loop and not wants_the_risk_group_form(str(tracker.latest_message.get("text") or "")):
            return []
        return domain_slots

    @staticmethod
    def _read(slot: FormSlot, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        parsed = slot.parse(str(value))
        if parsed is None and asks_a_question(tracker):
            return {slot.name: None, REQUESTED_SLOT: None}
        if parsed is None:
            dispatcher.utter_message(text=slot.unreadable, json_message=CLARIFY)
        return {slot.name: parsed}

    def validate_child_age_years(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._read(AGE, slot_value, dispatcher, tracker)

    def validate_child_wbc_per_microliter(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._read(WBC, slot_value, dispatcher, tracker)


class ActionRiskGroupResult(Action):
    """The PDQ's general definition that fits the numbers — explicitly not the child's own risk group.
    When the form ended without them (a question asked instead), the answer to that question."""

    def name(self) -> str:
        return "action_risk_group_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("child_age_years") is None or tracker.get_slot("child_wbc_per_microliter") is None:
            return [
                SlotSet("child_age_years", None),
                SlotSet("child_wbc_per_microliter", None),
                *await answer_question(dispatcher, tracker, domain),
            ]
        kb = services.knowledge_base()
        groups = kb.risk_groups
        section = kb.section(groups.section)
        age = float(tracker.get_slot("child_age_years"))
        wbc = float(tracker.get_slot("child_wbc_per_microliter"))
        group = matching_definition(groups, age, wbc)
        numbers = f"an age of {_format_age(age)} and a white blood cell count of {wbc:,.0f} per microliter"
        factors = "\n".join(f"• {item}" for item in groups.other_factors)
        if group is None:
            body = f"None of the PDQ's general definitions fits {numbers} by numbers alone."
        else:
            body = f"For {numbers} at diagnosis, the PDQ's general definition that fits is:\n\n{group.definition}"
        text = (
            f"{body}\n\nThis is general information, not your child's risk group: the care team decides "
            f"that using more information. The PDQ summary says:\n\n{groups.other_factors_lead}\n{factors}"
            f"\n\n{answers.citation_line(kb, [section])}"
        )
        buttons = (
            answers.section_button(section),
            answers.section_button(kb.section("treatment-options")),
        )
        send(
            dispatcher,
            Reply(text=text, answer_type=contract.ANSWER, citations=(answers.citation(section),), buttons=buttons),
        )
        return [
            SlotSet("child_age_years", None),
            SlotSet("child_wbc_per_microliter", None),
            SlotSet("last_section", section.id),
        ]
