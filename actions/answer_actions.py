"""Rasa actions that answer from the knowledge base. Each is a thin shell over the query API."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answers, services
from actions import reply_contract as contract
from actions.answering import answer_in_section, find_gap, gap_reply
from actions.answers import Reply
from actions.conversation import (
    Context,
    Resolution,
    asks_how_the_treatment_works,
    carried_population,
    counts_in_a_list,
    cues,
    leans_on_context,
    list_named_inline,
    more_about,
    named_topic,
    population_section,
    population_told,
    resolve,
    risk_group_told,
    shown_list,
    speaks_for_the_group,
    subject_after,
    subject_of,
    with_subject,
)
from actions.dispatch import send
from actions.population_statements import acknowledgement, asked_population_treatment, stated_population
from actions.question_focus import is_question, points_back, split_question, story_then_question
from actions.safety_replies import safety_note
from actions.scope import about_the_summary, out_of_scope_reason
from actions.term_matching import MatchResult, Target
from actions.topic_resolution import (
    Entity,
    descendants,
    overrule_by_agreement,
    overrule_weak_intent,
    resolve_section,
    search_decision,
    second_question_section,
)
from actions.verbatim import is_verbatim_in_any

TERM_ENTITY_TYPES = ("term", "drug", "test", "symptom", "phase")
# A section that search chose with a clear lead is as sure as a confident classifier: the passage step
# then looks inside it instead of moving to a passage elsewhere that matches the story around the question.
SEARCH_CHOSEN_CONFIDENCE = 1.0
# The search fallback answers from the best passage alone (BM25 over the passages, lay terms included) when
# it scores at least this much (:func:`clear_passage_section`); below it, the message is asked about with the
# best sections as buttons.
PASSAGE_ALONE_MIN_SCORE = 12.0


def _entities(tracker: Tracker) -> list[Entity]:
    return [
        Entity(str(e.get("entity")), str(e.get("value")))
        for e in tracker.latest_message.get("entities", [])
        if e.get("entity") and e.get("value") is not None
    ]


def _text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def _intent(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def refuse_if_out_of_scope(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Out-of-scope questions get the kind refusal (or, for doses, the care-team reply and the general
    information) instead of an answer."""
    reason = out_of_scope_reason(text)
    if reason is None:
        return False
    if reason == "personal advice":
        from actions.safety_actions import send_personal_advice  # the safety actions import this module

        send_personal_advice(dispatcher, text, "dose")
    # insurance and costs: who can help, and what the summary's disclaimer does say
    elif reason != "non-medical" or send_gap_if_any(dispatcher, text) is None:
        dispatcher.utter_message(response="utter_out_of_scope")
    return True


def _confidence(tracker: Tracker) -> float:
    return float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)


def context_of(tracker: Tracker) -> Context:
    """The conversation state kept in slots (and whether the last reply left the current section)."""
    shown = tracker.get_slot("shown_blocks") or []
    listed = tracker.get_slot("shown_list")
    listed = listed if isinstance(listed, dict) else {}
    section = tracker.get_slot("last_section") or None
    return Context(
        section=section,
        previous=tracker.get_slot("previous_section") or None,
        shown_blocks=tuple(int(i) for i in shown if isinstance(i, int | float)),
        population_section=population_told_earlier(tracker)
        or tracker.get_slot("population_section")
        or risk_group_told_earlier(tracker),
        subject=tracker.get_slot("subject") or None,
        list_section=str(listed.get("section") or "") or None,
        list_items=tuple(str(i) for i in listed.get("items") or ()),
        detoured=_detoured(tracker, section),
    )


def _partly_shown(tracker: Tracker, section_id: str | None, shown: Sequence[Any]) -> tuple[int, ...]:
    """The blocks of ``section_id`` among ``shown`` that no bot message of this session holds whole
    (none when the tracker carries no bot message to tell by)."""
    kb = services.knowledge_base()
    if section_id is None or section_id not in kb.sections:
        return ()
    blocks = kb.section(section_id).blocks
    texts: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        if event.get("event") == "bot" and event.get("text"):
            texts.append(str(event["text"]))
    if not texts:
        return ()
    return tuple(
        int(i)
        for i in shown
        if isinstance(i, int | float)
        and 0 <= int(i) < len(blocks)
        and not is_verbatim_in_any(answers.render_block(blocks[int(i)]), texts)
    )


def population_told_earlier(tracker: Tracker) -> str | None:
    """The population (:meth:`~actions.conversation.FollowUpCues.population`) that the latest earlier user
    message of this session naming one named. Read from the messages, not only the slot: a message the
    bot answered without a custom action (the out-of-scope reply, the personal-advice reply) set no slot."""
    earlier = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "session_started":
            break
        if kind != "user":
            continue
        if earlier:
            population = population_told(str(event.get("text") or ""))
            if population is not None:
                return population
        earlier = True  # the latest user message is the one being answered
    return None


def risk_group_told_earlier(tracker: Tracker) -> str | None:
    """The treatment section of the risk group that the latest earlier user message of this session telling
    one said the child is in (:func:`~actions.conversation.risk_group_told`). A population told (infant,
    Down syndrome, ...) says more and is asked first (:func:`context_of`)."""
    texts = [str(e.get("text") or "") for e in _session_user_events(tracker)][:-1]  # the latest is being answered
    return next((g for g in map(risk_group_told, reversed(texts)) if g is not None), None)


def _session_user_events(tracker: Tracker) -> list[dict[str, Any]]:
    """The user events of the current session, oldest first."""
    found: list[dict[str, Any]] = []
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        if event.get("event") == "user":
            found.append(event)
    return found[::-1]


def _last_turn_citations(tracker: Tracker) -> list[str] | None:
    """The headings the bot cited in its replies to the previous user message (None: no such turn). Answer
    feedback (a 👍 / 👎 and its thank-you) is not a turn of the conversation: the turn before it counts."""
    users = 0
    cited: list[str] = []
    replied = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if users == 1 and _is_feedback(event):
                cited, replied = [], False  # the replies seen so far were the thank-you
                continue
            users += 1
            if users == 2:
                break
        elif kind == "bot" and users == 1:
            replied = True
            custom = (event.get("data") or {}).get("custom") or {}
            cited += [str(c.get("section")) for c in custom.get(contract.CITATIONS) or [] if isinstance(c, dict)]
    return cited if replied else None


def _is_feedback(user_event: dict[str, Any]) -> bool:
    return ((user_event.get("parse_data") or {}).get("intent") or {}).get("name") == contract.FEEDBACK_INTENT


def _detoured(tracker: Tracker, section: str | None) -> bool:
    """Whether the bot's last reply was not from ``section`` (an out-of-scope or chitchat detour)."""
    if section is None or section not in services.knowledge_base().sections:
        return False
    cited = _last_turn_citations(tracker)
    return cited is not None and services.knowledge_base().section(section).heading not in cited


def answered(
    reply: Reply, tracker: Tracker | None = None, *, keep_list: bool = False, about: str | None = None
) -> list[EventType]:
    """Slot events remembering what a reply showed: its section and blocks (for "Tell me more" and
    follow-ups), the section before it (for "back to what we were talking about"), the population and
    the subject the message named (a new section without a named subject clears it, unless the message
    leans on the conversation), and the list the
    reply showed (what "the last one" counts in; kept as it was with ``keep_list``, so "the first one",
    then "and the last one?" count in the same list). ``about``: the words the subject is read from
    when not the whole message (a correction's words without the rejected part)."""
    events: list[EventType] = []
    kb = services.knowledge_base()
    text = _text(tracker) if tracker is not None else ""
    if tracker is not None:
        events += remembered_population(tracker)
    if not reply.citations:
        return events
    found = kb.section_by_heading(reply.citations[0]["section"])
    if found is None:
        return events
    current = tracker.get_slot("last_section") if tracker is not None else None
    if current and current != found.id:
        events.append(SlotSet("previous_section", current))
    if about is not None:  # a correction or a return names the subject it replaces the current one with
        subject = subject_of(about) if about else None
    else:
        context = context_of(tracker) if tracker is not None else Context()
        subject = subject_after(text, found.id, context) if text else None
    if subject is not None:
        events.append(SlotSet("subject", subject))
    elif current != found.id and not leans_on_context(text):  # "does it change the prognosis?" keeps it
        events.append(SlotSet("subject", None))
    if not keep_list:
        list_section, items = found.id, shown_list(kb, found.id, reply.shown_blocks)
        if not items:
            list_section, items = list_named_inline(kb, found.id, reply.shown_blocks) or (found.id, ())
        events.append(SlotSet("shown_list", {"section": list_section, "items": list(items)} if items else None))
    return [*events, SlotSet("last_section", found.id), SlotSet("shown_blocks", list(reply.shown_blocks))]


def remembered_population(tracker: Tracker, events: Sequence[EventType] = ()) -> list[EventType]:
    """The slot event for a population the message names (infant, teenager, Down syndrome, ...; a
    risk group is not one), unless ``events`` already set it."""
    if any(e.get("event") == "slot" and e.get("name") == "population_section" for e in events):
        return []
    population = cues().population(_text(tracker))
    return [SlotSet("population_section", population)] if population is not None else []


def send_gap_if_any(
    dispatcher: CollectingDispatcher, text: str, tracker: Tracker | None = None
) -> list[EventType] | None:
    """When the summary does not answer ``text``, say so (with the nearest passage) and return the events."""
    gap = find_gap(text)
    if gap is None:
        return None
    reply = gap_reply(text, gap)
    send(dispatcher, reply)
    return answered(reply, tracker)


# The NLU's topic wins over a group the message names when it is this sure (see answer_follow_up).
KEPT_TOPIC_MIN_CONFIDENCE = 0.8


def answer_follow_up(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, new_topics: bool = False
) -> list[EventType] | None:
    """Answer a message that leans on the conversation (see :mod:`actions.conversation`), or None
    when it stands on its own. ``new_topics``: also answer a topic the message names (the NLU had none).
    A message that names a group of children but that the NLU confidently gives a topic that keeps its
    section (``keeps_section`` of ``follow_ups.yml``: causes, prognosis, coping ...) and that asks nothing
    about treatment stands on its own: "did the Down syndrome cause it?" is a causes question."""
    text = _text(tracker)
    resolution = resolve(text, context_of(tracker), new_topics=new_topics)
    if resolution is None:
        return None
    kb = services.knowledge_base()
    if resolution.kind == "population" and _kept_topic(tracker) and not cues().asks_treatment(text):
        return None
    if resolution.kind == "same_topic" and (
        _asks_an_aspect(tracker, resolution.section) or _moves_to_the_named_topic(tracker, resolution.section)
    ):
        return None
    if resolution.offer:
        if resolution.kind == "meaning":
            buttons = tuple(
                {"title": kb.glossary[t].term, "payload": term_button_payload(Target("term", t))}
                for t in resolution.offer
            )
            send(dispatcher, Reply("Which word would you like explained?", contract.CLARIFY, buttons=buttons))
        else:
            sections = [kb.section(s) for s in resolution.offer]
            send(dispatcher, answers.suggestions(kb, sections, "Which one did you mean?", contract.CLARIFY))
        return []
    if resolution.kind == "meaning" and resolution.term is not None:
        result = services.term_matcher().match(resolution.term)
        if result.best is not None:
            reply = reply_for_target(result.best.target)
            send(dispatcher, reply)
            return answered(reply, tracker)
    if resolution.section is None:
        return None
    if resolution.kind in ("same_topic", "part", "new_topic"):
        # the message alone ("what about nausea?"), then with its topic
        for query in dict.fromkeys((_text(tracker), resolution.query)):
            gap_events = send_gap_if_any(dispatcher, query, tracker)
            if gap_events is not None:
                return gap_events
    context = context_of(tracker)
    if resolution.kind == "more":
        reply = continued(resolution, context, tracker)
        send(dispatcher, reply)
        return shown_so_far(answered(reply, tracker), context, resolution.section)
    else:
        same = resolution.kind == "same_topic" and resolution.fresh and resolution.section == context.section
        shown = context.shown_blocks if same else ()
        # Inside the current section its heading tells no passage from another (it only favours the
        # opening, shown already): a follow-up without a subject is ranked by its own words.
        query = _text(tracker) if same and not context.subject else resolution.query
        reply = answer_in_section(query, resolution.section, intent_confidence=1.0, already_shown=shown)
    send(dispatcher, reply)
    about = resolution.query if resolution.kind in ("correction", "return") else None
    return answered(reply, tracker, keep_list=resolution.kind == "ordinal", about=about)


# The NLU's topic wins over "the same topic" of a pronoun follow-up when it is this sure of an aspect section.
ASPECT_MIN_CONFIDENCE = 0.9


def _asks_an_aspect(tracker: Tracker, section_id: str | None) -> bool:
    """Whether the NLU is sure the message asks about an aspect of any treatment (``aspect_sections`` of
    ``follow_ups.yml``: "can it affect his learning?" after radiation therapy) that ``section_id``'s family
    does not answer. A confident topic of another kind is not trusted here: "is it common in small kids?"
    after a group's treatment asks about that group, whatever the classifier says."""
    kb = services.knowledge_base()
    topic = kb.topics.get(_intent(tracker))
    if topic is None or section_id is None or _confidence(tracker) < ASPECT_MIN_CONFIDENCE:
        return False
    if topic.section not in cues().aspect_sections:
        return False
    return topic.section not in descendants(kb, section_id) and section_id not in descendants(kb, topic.section)


# How sure the NLU must be of a topic outside the current one for a follow-up that names that topic to
# move there ("and targeted ones?" after the chemotherapy drugs, at 0.85).
NAMED_TOPIC_MIN_CONFIDENCE = 0.8
# BM25 score of the current section's best passage above which it answers a follow-up that names another
# topic. Passages that answer such follow-ups score 4.1-4.9 ("Intrathecal chemotherapy is given after ...");
# one sharing a single common word scores about 2.2 ("Other drugs not listed here may also be used.").
CURRENT_SECTION_ANSWERS_MIN_SCORE = 3.0


def _moves_to_the_named_topic(tracker: Tracker, section_id: str | None) -> bool:
    """Whether the message names another topic and the NLU is sure of that same topic: "which tests are
    used to diagnose it?" after chemotherapy asks about the tests ("it" is the leukemia). Neither signal is
    trusted alone: a weak search hit names a section for almost any message ("why is it needed" ->
    coping), and the classifier reads "is it common in small kids?" as whatever its words resemble."""
    kb = services.knowledge_base()
    topic = kb.topics.get(_intent(tracker))
    if topic is None or section_id is None or _confidence(tracker) < NAMED_TOPIC_MIN_CONFIDENCE:
        return False
    family = descendants(kb, topic.section)
    if section_id in family or topic.section in descendants(kb, section_id):
        return False
    if named_topic(_text(tracker)) not in family:
        return False
    # "is chemo given at the same time?" after a lumbar puncture: the current section answers it
    # ("Intrathecal chemotherapy is given after the sample of fluid is removed"), so the topic stays; so
    # does "is that done with chemotherapy?" after a transplant, whose section uses the name it gives.
    search = services.passage_search()
    here = search.search(_text(tracker), limit=1, sections=descendants(kb, section_id))
    if here and here[0].score >= CURRENT_SECTION_ANSWERS_MIN_SCORE:
        return False
    names = [r.best.name.casefold() for r in services.term_matcher().find_in_text(_text(tracker)) if r.best]
    texts = [p.text.casefold() for s in descendants(kb, section_id) for p in search.by_section.get(s, [])]
    return not any(name in text for name in names for text in texts)


def _kept_topic(tracker: Tracker) -> bool:
    topic = services.knowledge_base().topics.get(_intent(tracker))
    if topic is None or _confidence(tracker) < KEPT_TOPIC_MIN_CONFIDENCE:
        return False
    return cues().keeps_section(services.knowledge_base(), topic.section)


def continued(resolution: Resolution, context: Context, tracker: Tracker) -> Reply:
    """ "Tell me more (about the genetic ones)": what the section has not shown yet, led by the passage
    on the topic the request names when it names one. Blocks a reply showed only in part (one item of a
    list, one sentence of a long paragraph) count as not shown yet, so they are read again, whole."""
    kb = services.knowledge_base()
    if resolution.section is None:
        raise ValueError("continued() needs a resolution with a section")
    shown: tuple[int, ...] = ()
    if resolution.section == context.section:
        # read from the session's bot messages here, not in context_of(): only "tell me more" needs it
        partly = _partly_shown(tracker, context.section, context.shown_blocks)
        shown = tuple(b for b in context.shown_blocks if b not in partly)
    if resolution.query:
        return answer_in_section(resolution.query, resolution.section, intent_confidence=1.0, already_shown=shown)
    if shown:  # go on reading the section in order from where it stopped (actions/answering.py)
        reading_on = answer_in_section(
            "", resolution.section, intent_confidence=1.0, already_shown=shown, continue_reading=True
        )
        if set(reading_on.shown_blocks) - set(shown):
            return reading_on
    reply = answers.section_answer(kb, kb.section(resolution.section), skip=shown)
    if not reply.shown_blocks and shown:  # everything was shown already: start again from the top
        reply = answers.section_answer(kb, kb.section(resolution.section))
    return reply


def shown_so_far(events: list[EventType], context: Context, section_id: str) -> list[EventType]:
    """``events`` with the blocks shown before in the same section added to ``shown_blocks`` (so each
    "tell me more" goes on from where the last one stopped)."""
    if section_id != context.section:
        return events
    return [
        SlotSet("shown_blocks", sorted({*context.shown_blocks, *e["value"]}))
        if e.get("event") == "slot" and e.get("name") == "shown_blocks"
        else e
        for e in events
    ]


def add_safety_note(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Under the answer, the one-line conditional note for a sign the message mentioned that is not
    happening now ("no fever", "a seizure two years ago", "what if she gets a fever?"); the safety check
    in the NLU pipeline names it in a ``safety_note`` entity."""
    category = next((e.value for e in _entities(tracker) if e.type == "safety_note"), None)
    note = safety_note(category)
    if note is None:
        return
    for message in dispatcher.messages:
        custom = message.get("custom") or {}
        if custom.get(contract.ANSWER_TYPE) in contract.BODY_ANSWER_TYPES and message.get("text"):
            message["text"] = f"{message['text']}\n\n{note}"
            return


def reply_for_target(target: Target) -> Reply:
    kb = services.knowledge_base()
    if target.kind == "drug":
        return answers.drug_answer(kb, kb.drugs[target.id])
    if target.kind == "term":
        return answers.term_answer(kb, kb.glossary[target.id])
    return answers.section_answer(kb, kb.section(target.id))


def term_button_payload(target: Target) -> str:
    """The payload of a button that explains ``target``: its reference, not its display name."""
    return "/explain_term" + json.dumps({"term": target.reference})


def clarify_reply(result: MatchResult) -> Reply:
    """ "Did you mean A or B?" with one button per candidate."""
    kb = services.knowledge_base()
    buttons = []
    names = []
    for candidate in result.alternatives:
        target = candidate.target
        if target.kind == "drug":
            name = kb.drugs[target.id].name
        elif target.kind == "term":
            name = kb.glossary[target.id].term
        else:
            name = kb.section(target.id).heading
        names.append(name)
        buttons.append({"title": name, "payload": term_button_payload(target)})
    text = f"Did you mean {' or '.join(names)}? Please pick one so I don't guess."
    return Reply(text=text, answer_type=contract.CLARIFY, buttons=tuple(buttons))


def search_reply(text: str) -> Reply:
    """Answer from free-text search if it is clearly right (see :func:`search_decision`), or from the
    section of a group of children the message names when search offers it ("down syndrome and ALL,
    anything special?": the group is what the message is about), or from the section both retrievers
    agree on (:meth:`PassageSearch.agreement`); otherwise ask which of the best sections (buttons
    carrying their ids) the question is about."""
    kb = services.knowledge_base()
    group = population_section(kb, text)
    split = story_then_question(text)
    if split.context and not points_back(split.question) and group is None:
        # A story before a clear question ("... They handed us a calendar that runs for two years. What are
        # the phases of treatment?"): the question alone decides when search is clear on it, or both
        # retrievers agree on it. Not a question that points into the story ("are the medicines gentler in
        # that part?"); a group of children the story names decides below instead.
        alone = search_decision(services.section_search(), split.question)
        agreed = services.passage_search().agreement(split.question) if alone.answer is None else None
        chosen = alone.answer or (agreed.section_id if agreed is not None else None)
        if chosen is not None:
            return answer_in_section(text, chosen, intent_confidence=SEARCH_CHOSEN_CONFIDENCE)
    decision = search_decision(services.section_search(), text)
    if decision.answer is not None:
        return answer_in_section(text, decision.answer, intent_confidence=SEARCH_CHOSEN_CONFIDENCE)
    if group is not None and group in decision.offer:
        return answer_in_section(text, group, intent_confidence=SEARCH_CHOSEN_CONFIDENCE)
    # Both retrievers point to one section (by words and by meaning): answer there rather than ask, unless
    # the message names a group of children that section is not about (the group decides, as above).
    agreement = services.passage_search().agreement(text)
    if agreement is not None and group in (None, agreement.section_id):
        return answer_in_section(text, agreement.section_id, intent_confidence=SEARCH_CHOSEN_CONFIDENCE)
    offered = [kb.section(section_id) for section_id in decision.offer]
    if not offered:
        return Reply(text="", answer_type=contract.FALLBACK)
    return answers.suggestions(
        kb,
        offered,
        "I'm not sure I understood. Is your question about one of these parts of the PDQ summary?",
        contract.FALLBACK,
    )


class ActionAnswerTopic(Action):
    """Answer a topic intent from its PDQ section (refined by entities), with citation and buttons."""

    def name(self) -> str:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        events = await self._run(dispatcher, tracker, domain)
        add_safety_note(dispatcher, tracker)
        return [*events, *remembered_population(tracker, events)]

    async def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        kb = services.knowledge_base()
        text = _text(tracker)
        if refuse_if_out_of_scope(dispatcher, text):
            return []
        follow_up = answer_follow_up(dispatcher, tracker)
        if follow_up is not None:
            return follow_up
        gap_events = send_gap_if_any(dispatcher, text, tracker)
        if gap_events is not None:
            return gap_events
        section_id = resolve_section(
            kb, services.section_search(), services.term_matcher(), _intent(tracker), _entities(tracker), text
        )
        if section_id is None:
            dispatcher.utter_message(response="utter_nothing_found")
            return []
        topic = kb.topics.get(_intent(tracker))
        if (
            topic is not None
            and section_id != topic.section
            and section_id in cues().populations
            and (
                speaks_for_the_group(topic.section, section_id, text)
                or asks_how_the_treatment_works(topic.section, text)
            )
        ):
            # "do babies get the whole body radiation before a transplant?": the transplant section says
            # it of infants itself; "... he relapsed ... How does blinatumomab work?" asks what the
            # treatment does. The group's name had refined the topic to the group's treatment.
            section_id = topic.section
        confidence = _confidence(tracker)
        chosen = overrule_weak_intent(services.section_search(), text, section_id, confidence)
        context = context_of(tracker)
        # A button names its section exactly; a topic the conversation is on is supported by the conversation.
        overruled = topic is None or topic.overruled_by_search
        if overruled and _intent(tracker) != "show_section" and chosen not in (context.section, context.previous):
            named_group = population_section(kb, text)
            chosen = overrule_by_agreement(services.passage_search(), kb, text, chosen, named_group=named_group)
        if chosen != section_id:
            section_id, confidence = chosen, SEARCH_CHOSEN_CONFIDENCE
        section_id = carried_population(section_id, text, context)
        # "does it change the prognosis?": the question moved to another section, its subject came along
        query = with_subject(text, context) if context.subject and leans_on_context(text) else text
        reply = answer_in_section(query, section_id, intent_confidence=confidence)
        send(dispatcher, reply)
        other = second_question_section(services.section_search(), text, section_id)
        if other is not None:
            section = kb.section(other)
            send(
                dispatcher,
                answers.suggestions(
                    kb, [section], f"You also asked something that “{section.heading}” may answer:", contract.CLARIFY
                ),
            )
        return answered(reply, tracker)


class ActionExplainTerm(Action):
    """Explain a term or drug; ask "did you mean ...?" when two names are equally close."""

    def name(self) -> str:
        return "action_explain_term"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        events = await self._run(dispatcher, tracker, domain)
        add_safety_note(dispatcher, tracker)
        return [*events, *remembered_population(tracker, events)]

    async def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if refuse_if_out_of_scope(dispatcher, _text(tracker)):
            return []
        matcher = services.term_matcher()
        text = _text(tracker)
        names_a_term = any(e.type in TERM_ENTITY_TYPES for e in _entities(tracker)) or any(
            r.best is not None and r.best.target.kind in ("term", "drug") for r in matcher.find_in_text(text)
        )
        if not names_a_term or counts_in_a_list(text):
            follow_up = answer_follow_up(dispatcher, tracker)  # "explain the second one", "what is that"
            if follow_up is not None:
                return follow_up
        kb = services.knowledge_base()
        for entity in _entities(tracker):  # a button names its target exactly
            target = Target.from_reference(entity.value, kb) if entity.type == "term" else None
            if target is not None:
                reply = reply_for_target(target)
                send(dispatcher, reply)
                return answered(reply, tracker)
        results = [matcher.match(e.value) for e in _entities(tracker) if e.type in TERM_ENTITY_TYPES]
        results = [r for r in results if r.best or r.ambiguous] or matcher.find_in_text(_text(tracker))
        if not results:
            reply = search_reply(_text(tracker))
            if reply.text:
                send(dispatcher, reply)
            else:
                dispatcher.utter_message(response="utter_nothing_found")
            return []
        first = results[0]
        if first.best is None:
            send(dispatcher, clarify_reply(first))
            return []
        reply = reply_for_target(first.best.target)
        send(dispatcher, reply)
        return answered(reply, tracker)


class ActionShowMore(Action):
    """Show the whole of the section the button names; otherwise go on with the last section answered
    from what it has not shown yet ("tell me more about the genetic ones" leads with that part)."""

    def name(self) -> str:
        return "action_show_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        kb = services.knowledge_base()
        named = [e.value for e in _entities(tracker) if e.type == "section" and e.value in kb.sections]
        section_id = named[0] if named else tracker.get_slot("last_section")
        context = context_of(tracker)
        if not section_id or section_id not in kb.sections:
            # nothing answered yet: "tell me more about the genetic ones" names its topic, else what I can do
            more = more_about(_text(tracker), context)
            if more.kind == "new_topic" and more.section is not None:
                reply = answer_in_section(more.query, more.section, intent_confidence=1.0)
                send(dispatcher, reply)
                return answered(reply, tracker)
            dispatcher.utter_message(response="utter_capabilities")
            return []
        if not named and counts_in_a_list(_text(tracker)):
            # "explain the second one more": an item of the list shown, not the next unread block
            follow_up = answer_follow_up(dispatcher, tracker)
            if follow_up is not None:
                return follow_up
        if not named:
            more = more_about(_text(tracker), context)
            if more.kind == "new_topic" and more.section is not None:
                reply = answer_in_section(more.query, more.section, intent_confidence=1.0)
            else:
                reply = continued(Resolution("more", section_id, more.query), context, tracker)
            send(dispatcher, reply)
            return shown_so_far(answered(reply, tracker), context, section_id)
        shown = list(context.shown_blocks) if section_id == context.section else []
        reply = answers.section_answer(kb, kb.section(section_id), skip=shown)
        if not reply.shown_blocks and shown:  # everything was shown already: start again from the top
            reply = answers.section_answer(kb, kb.section(section_id))
            shown = []
        send(dispatcher, reply)
        return [SlotSet("last_section", section_id), SlotSet("shown_blocks", sorted({*shown, *reply.shown_blocks}))]


AGREEMENT_MIN_CONFIDENCE = 0.2
AGREEMENT_TOP_HITS = 3


# The section whose subsections are the kinds of treatment (chemotherapy, immunotherapy ...).
TREATMENT_TYPES = "types-of-treatment"


def agreed_section(tracker: Tracker) -> str | None:
    """A section both weak signals point to: one of the classifier's runner-up topic intents
    (below the fallback threshold) resolves to a section that free-text search also ranks highly."""
    kb = services.knowledge_base()
    text = _text(tracker)
    search = services.section_search()
    hits = {h.section_id for h in search.search_question(text, limit=AGREEMENT_TOP_HITS)}
    ranking = tracker.latest_message.get("intent_ranking") or []
    for candidate in ranking[:3]:
        intent = str(candidate.get("name") or "")
        if intent not in kb.topics or float(candidate.get("confidence") or 0.0) < AGREEMENT_MIN_CONFIDENCE:
            continue
        section = resolve_section(kb, search, services.term_matcher(), intent, _entities(tracker), text)
        if section is not None and section in hits:
            return section
    return None


def clear_passage_section(text: str) -> str | None:
    """The section of the one passage that matches ``text``'s words clearly (BM25 over every passage, lay
    terms included, at least :data:`PASSAGE_ALONE_MIN_SCORE`), unless the message names a group of children
    that passage is not about; else None. On the development sets, where the reply was "which of these?",
    a best passage this strong was in the right section two times in three."""
    best = services.passage_search().search(text, limit=1)
    if not best or best[0].score < PASSAGE_ALONE_MIN_SCORE:
        return None
    group = population_section(services.knowledge_base(), text)
    return best[0].passage.section_id if group in (None, best[0].passage.section_id) else None


class ActionSearchFallback(Action):
    """NLU was unsure: a section the classifier and search agree on, a named term, or the best sections."""

    def name(self) -> str:
        return "action_search_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        events = await self._run(dispatcher, tracker, domain)
        add_safety_note(dispatcher, tracker)
        return [*events, *remembered_population(tracker, events)]

    async def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = _text(tracker)
        if refuse_if_out_of_scope(dispatcher, text):
            return []
        follow_up = answer_follow_up(dispatcher, tracker, new_topics=True)
        if follow_up is not None:
            return follow_up
        gap_events = send_gap_if_any(dispatcher, text, tracker)
        if gap_events is not None:
            return gap_events
        drugs = [e.value for e in _entities(tracker) if e.type == "drug"]
        named_drug = [r for r in (services.term_matcher().match(v) for v in drugs) if r.best is not None]
        if named_drug and named_drug[0].best is not None:  # a named drug says more than weak agreement
            reply = reply_for_target(named_drug[0].best.target)
            send(dispatcher, reply)
            return answered(reply, tracker)
        stated = stated_population(text)  # "our son is 10 weeks old and has ALL": no question yet
        if stated is not None:
            reply = acknowledgement(stated)
            send(dispatcher, reply)
            return answered(reply, tracker)
        agreed = agreed_section(tracker)
        if agreed is not None:
            # "my son is high risk, in which phase does he get stronger chemo?": agreed on the risk groups,
            # asked about the named group's treatment. A treatment agreed on is kept ("which children is
            # CAR T used for?" after a word about relapse).
            if agreed not in descendants(services.knowledge_base(), TREATMENT_TYPES):
                agreed = carried_population(agreed, text, context_of(tracker))
            reply = answer_in_section(text, agreed, intent_confidence=0.0)
            send(dispatcher, reply)
            return answered(reply, tracker)
        # "she's 17 ... is it treated the same as for little kids?": after the retrievers' agreement, which
        # knows a named treatment ("which children is CAR T used for?" after a word about relapse)
        group = asked_population_treatment(text)
        if group is not None:
            reply = answer_in_section(text, group, intent_confidence=0.0)
            send(dispatcher, reply)
            return answered(reply, tracker)
        reply = search_reply(text)
        if reply.answer_type == contract.ANSWER:
            send(dispatcher, reply)
            return answered(reply, tracker)
        named = [r for r in services.term_matcher().find_in_text(text) if r.best is not None]
        if named and named[0].best is not None and named[0].best.target.kind in ("drug", "term"):
            send(dispatcher, reply_for_target(named[0].best.target))
            return []
        clear = clear_passage_section(text)
        if clear is not None:
            reply = answer_in_section(text, clear, intent_confidence=SEARCH_CHOSEN_CONFIDENCE)
            send(dispatcher, reply)
            return answered(reply, tracker)
        if reply.text:
            send(dispatcher, reply)
        else:
            dispatcher.utter_message(response="utter_nothing_found")
        return []


class ActionOutOfScope(Action):
    """The NLU read the message as outside the summary. Another disease or an adult patient gets the kind
    refusal; a dose question the care-team reply; a question about this summary itself ("can I show it
    to our insurer?") the part of "About This PDQ Summary" it names; a question the summary does not
    answer but that it touches (insurance, school, diet ...) says so, who can help, and what the summary
    does say (``knowledge/gaps.yml``); anything else the refusal."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = _text(tracker)
        if refuse_if_out_of_scope(dispatcher, text):
            return []
        if about_the_summary(text):  # "can I show this summary to our insurer?": its Disclaimer says
            kb = services.knowledge_base()
            section_id = resolve_section(
                kb, services.section_search(), services.term_matcher(), "ask_about_summary", [], text
            )
            if section_id is not None:
                reply = answer_in_section(text, section_id)
                send(dispatcher, reply)
                return answered(reply, tracker)
        gap_events = send_gap_if_any(dispatcher, text, tracker)
        if gap_events is not None:
            return gap_events
        dispatcher.utter_message(response="utter_out_of_scope")
        return []


class ActionComfort(Action):
    """Kind words, then what the PDQ summary says about coping, with its citation."""

    def name(self) -> str:
        return "action_comfort"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        # A worried message that asks what the summary does not cover ("do you know babysitters who could
        # handle a kid on chemo?") gets the honest gap reply, which says who can help.
        message = _text(tracker)
        if is_question(split_question(message).question):
            gap_events = send_gap_if_any(dispatcher, message, tracker)
            if gap_events is not None:
                return gap_events
        kb = services.knowledge_base()
        coping = answers.section_answer(kb, kb.section("coping"))
        text = (
            "I'm so sorry you're going through this. Feeling scared or overwhelmed is very understandable, "
            "and you don't have to face it alone. Your child's care team is there for your whole family.\n\n"
            + coping.text
        )
        reply = Reply(
            text=text,
            answer_type=contract.CHITCHAT,
            citations=coping.citations,
            buttons=coping.buttons,
            shown_blocks=coping.shown_blocks,
        )
        send(dispatcher, reply)
        return answered(reply, tracker)


class ActionCapabilities(Action):
    """ "What can you do?" — unless the message names a topic ("do you have information about X")."""

    def name(self) -> str:
        return "action_capabilities"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        text = _text(tracker)
        named = [
            services.term_matcher().match(e.value)
            for e in _entities(tracker)
            if e.type in (*TERM_ENTITY_TYPES, "section")
        ]
        named = [r for r in named if r.best is not None] or [
            r for r in services.term_matcher().find_in_text(text) if r.best is not None
        ]
        if named and named[0].best is not None and not refuse_if_out_of_scope(dispatcher, text):
            reply = reply_for_target(named[0].best.target)
            send(dispatcher, reply)
            return []
        if context_of(tracker).population_section and cues().asks_treatment(text):
            follow_up = answer_follow_up(dispatcher, tracker)  # "so what's the plan now?" after "it's back"
            if follow_up is not None:
                return follow_up
        dispatcher.utter_message(response="utter_capabilities")
        return []


class ActionFollowUp(Action):
    """A message that leans on the conversation ("and for teenagers?", "does it hurt?", "the last one")."""

    def name(self) -> str:
        return "action_follow_up"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        events = await self._run(dispatcher, tracker, domain)
        add_safety_note(dispatcher, tracker)
        return [*events, *remembered_population(tracker, events)]

    async def _run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if refuse_if_out_of_scope(dispatcher, _text(tracker)):
            return []
        follow_up = answer_follow_up(dispatcher, tracker, new_topics=True)
        if follow_up is not None:
            return follow_up
        return await ActionSearchFallback()._run(dispatcher, tracker, domain)
