"""A parent telling who their child is, without asking anything yet (no Rasa import).

"Our son is 10 weeks old and has ALL." or "my niece is 17, she started treatment in June" names a population
the PDQ treats separately (infants, adolescents, Down syndrome, relapsed, ...; see
:func:`actions.conversation.population_section`) and asks no question. Such a statement gets a short,
kind acknowledgement and the opening of that population's PDQ section, verbatim and cited, instead of
"I'm not sure I understood"; the actions remember the population and the section, so "how do they
treat it?" next is answered for that child.

A message that names such a population and asks how it is treated ("My daughter is 17 and was just
diagnosed. Is it treated the same way as for little kids?") is a question of that population's section
(:func:`asked_population_treatment`) when the NLU could not place it (the search fallback).
"""

from __future__ import annotations

from actions import answers, services
from actions import reply_contract as contract
from actions.answers import Reply
from actions.conversation import asks_the_groups_treatment, population_section
from actions.question_focus import is_question, sentences

# Kind words only: no medical content (the PDQ text follows, with its citation).
ACKNOWLEDGEMENT = "Thank you for telling me about your child. I'm sorry your family is going through this."
OFFER = "The PDQ summary has a part about “{heading}”. It begins:"


def stated_population(text: str) -> str | None:
    """The treatment section of the population ``text`` names when no sentence of it asks a question
    (it neither ends with "?" nor starts with a question word); None otherwise."""
    parts = sentences(text)
    if not parts or any(is_question(part) for part in parts):
        return None
    return population_section(services.knowledge_base(), text)


def asked_population_treatment(text: str) -> str | None:
    """The treatment section of the population ``text`` names when it asks how that group is treated
    (:func:`actions.conversation.asks_the_groups_treatment`); None otherwise, and for a message that asks
    nothing (:func:`stated_population`)."""
    parts = sentences(text)
    if not parts or not any(is_question(part) for part in parts):
        return None
    group = population_section(services.knowledge_base(), text)
    return group if group is not None and asks_the_groups_treatment(group, text) else None


def acknowledgement(section_id: str) -> Reply:
    """The kind acknowledgement, then the opening of ``section_id`` (verbatim PDQ text) with its
    citation and buttons. ``chitchat``, like the comfort reply: the first paragraph is not PDQ text."""
    kb = services.knowledge_base()
    section = kb.section(section_id)
    opening = answers.section_answer(kb, section)
    return Reply(
        text=f"{ACKNOWLEDGEMENT}\n\n{OFFER.format(heading=section.heading)}\n\n{opening.text}",
        answer_type=contract.CHITCHAT,
        citations=opening.citations,
        buttons=opening.buttons,
        shown_blocks=opening.shown_blocks,
    )
