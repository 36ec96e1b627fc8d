"""Turn knowledge-base entries into replies: PDQ text, a visible citation and a JSON payload.

Every medical sentence in a :class:`Reply` is a verbatim PDQ string from the knowledge base; the
only words added here are connective phrases ("Here is what the PDQ summary says about ...") and
the citation. The payload is :func:`actions.reply_contract.payload` (the reply contract).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from actions.gaps import Gap
from actions.knowledge_base import Block, Drug, GlossaryEntry, KnowledgeBase, Section
from actions.passages import Passage, sentences
from actions.reply_contract import ANSWER, NOT_IN_SUMMARY
from actions.reply_contract import payload as reply_payload

ANSWER_BUDGET_CHARS = 900
MAX_RELATED = 3
_LINK_ONLY = re.compile(r"^(Learn more|To learn more|For more|For help every step|For questions you may want)", re.I)
_SHORT_TITLE = (
    (" for childhood acute lymphoblastic leukemia", " of ALL"),
    ("childhood acute lymphoblastic leukemia", "ALL"),
    ("children with acute lymphoblastic leukemia", "children with ALL"),
    ("acute lymphoblastic leukemia", "ALL"),
)


@dataclass(frozen=True)
class Reply:
    """One bot message: text, quick-reply buttons and the machine-readable payload."""

    text: str
    answer_type: str
    citations: tuple[dict[str, str], ...] = ()
    buttons: tuple[dict[str, str], ...] = field(default_factory=tuple)
    shown_blocks: tuple[int, ...] = ()  # the blocks of the cited section this reply showed (for "Tell me more")

    @property
    def payload(self) -> dict[str, Any]:
        return reply_payload(self.answer_type, self.citations)


def citation(section: Section) -> dict[str, str]:
    return {"section": section.heading, "url": section.url, "updated": section.updated.isoformat()}


def short_title(section: Section) -> str:
    """A button-sized title: "Symptoms of childhood acute lymphoblastic leukemia" -> "Symptoms of ALL"."""
    title = section.heading
    for long, short in _SHORT_TITLE:
        if long in title:
            return title.replace(long, short)
    return title


def section_button(section: Section) -> dict[str, str]:
    return {"title": short_title(section), "payload": "/show_section" + json.dumps({"section": section.id})}


def more_button(section: Section) -> dict[str, str]:
    return {"title": "Tell me more", "payload": "/ask_more" + json.dumps({"section": section.id})}


def citation_line(kb: KnowledgeBase, sections: Sequence[Section]) -> str:
    """The visible citation: section heading(s), the summary and its date, then each link on its own line."""
    updated = kb.source.updated.strftime("%B %-d, %Y")
    label = "Source" if len(sections) == 1 else "Sources"
    headings = ", ".join(f"“{s.heading}”" for s in sections)
    links = "\n".join(s.url for s in sections)
    return f"{label}: {headings} — {kb.source.title}, {kb.source.publisher}, updated {updated}.\n{links}"


def render_block(block: Block) -> str:
    if block.kind == "list":
        items = "\n".join(f"• {item}" for item in block.items)
        return f"{block.lead}\n{items}" if block.lead else items
    if block.kind == "labelled":
        return f"{block.label}: {block.text}"
    return block.text


def answer_blocks(section: Section, *, full: bool, skip: Iterable[int] = ()) -> tuple[list[Block], bool]:
    """The blocks to show and whether some were left out. Figures, link-only sentences and the blocks
    whose indexes are in ``skip`` (already shown) are left out."""
    skipped = set(skip)
    readable = [
        b
        for i, b in enumerate(section.blocks)
        if i not in skipped and b.kind != "figure" and not (b.kind == "paragraph" and _LINK_ONLY.match(b.text))
    ]
    if full:
        return readable, False
    shown: list[Block] = []
    used = 0
    for block in readable:
        size = len(render_block(block))
        if shown and used + size > ANSWER_BUDGET_CHARS:
            break
        shown.append(block)
        used += size
    return shown, len(shown) < len(readable)


def related_sections(kb: KnowledgeBase, section: Section, exclude: Iterable[str] = ()) -> list[Section]:
    """Up to MAX_RELATED neighbours: children first, then next/previous siblings, then the parent."""
    excluded = {section.id, *exclude}
    siblings = [s.id for s in kb.sections.values() if s.parent == section.parent]
    position = siblings.index(section.id)
    order = [
        *section.children,
        *siblings[position + 1 : position + 2],
        *siblings[max(position - 1, 0) : position],
        *([section.parent] if section.parent else []),
        *siblings[position + 2 :],
    ]
    related: list[Section] = []
    for section_id in dict.fromkeys(order):
        candidate = kb.sections[section_id]
        if section_id in excluded or not (candidate.blocks or candidate.children):
            continue
        related.append(candidate)
        if len(related) == MAX_RELATED:
            break
    return related


def section_answer(kb: KnowledgeBase, section: Section, *, full: bool = False, skip: Iterable[int] = ()) -> Reply:
    """The section's own words (from its start, leaving out the blocks in ``skip``; shortened to
    :data:`ANSWER_BUDGET_CHARS` unless ``full``), its citation and related buttons."""
    skipped = set(skip)
    blocks, truncated = answer_blocks(section, full=full, skip=skipped)
    if blocks:
        body = "\n\n".join(render_block(b) for b in blocks)
    else:
        children = [kb.sections[c] for c in section.children]
        body = f"“{section.heading}” has these parts — tap one to read it:\n" + "\n".join(
            f"• {c.heading}" for c in children
        )
    buttons = []
    if truncated:
        buttons.append(more_button(section))
    buttons += [section_button(s) for s in related_sections(kb, section)][: MAX_RELATED + 1 - len(buttons)]
    text = f"{body}\n\n{citation_line(kb, [section])}"
    shown = tuple(section.blocks.index(b) for b in blocks)
    return Reply(
        text=text, answer_type=ANSWER, citations=(citation(section),), buttons=tuple(buttons), shown_blocks=shown
    )


def term_answer(kb: KnowledgeBase, entry: GlossaryEntry) -> Reply:
    section = kb.section(entry.section)
    text = f"Here is how the PDQ summary explains “{entry.term}”:\n\n{entry.sentence}\n\n{citation_line(kb, [section])}"
    buttons = [section_button(section), *[section_button(s) for s in related_sections(kb, section)][:2]]
    return Reply(text=text, answer_type=ANSWER, citations=(citation(section),), buttons=tuple(buttons))


_CATEGORY_SECTION = {
    "chemotherapy": "chemotherapy",
    "immunotherapy": "immunotherapy",
    "targeted therapy": "targeted-therapy",
}


def drug_answer(kb: KnowledgeBase, drug: Drug) -> Reply:
    """Every PDQ passage that names the drug, the passage in its treatment-type section first."""
    home = _CATEGORY_SECTION[drug.category]
    mentions = sorted(drug.mentions, key=lambda m: m.section != home)
    passages = []
    for mention in mentions:
        section = kb.section(mention.section)
        lead = next((b.lead for b in section.blocks if b.kind == "list" and mention.text in b.items and b.lead), None)
        passages.append(f"{lead}\n• {mention.text}" if lead else mention.text)
    home_section = kb.section(home)
    intro = next((b.text for b in home_section.blocks if b.kind == "paragraph"), None)
    if intro and drug.name.casefold() not in intro.casefold():
        passages.append(f"About {home_section.heading.lower()}: {intro}")
    sections = list(dict.fromkeys([*(kb.section(m.section) for m in mentions), home_section]))
    text = (
        f"Here is what the PDQ summary says about {drug.name}:\n\n"
        + "\n\n".join(dict.fromkeys(passages))
        + f"\n\n{citation_line(kb, sections)}"
    )
    buttons = [section_button(s) for s in sections[:MAX_RELATED]]
    return Reply(
        text=text,
        answer_type=ANSWER,
        citations=tuple(citation(s) for s in sections),
        buttons=tuple(buttons),
    )


def suggestions(kb: KnowledgeBase, sections: Sequence[Section], text: str, answer_type: str) -> Reply:
    """A non-answer that offers sections as buttons (no citations: nothing was stated)."""
    return Reply(text=text, answer_type=answer_type, buttons=tuple(section_button(s) for s in sections))


ANSWER_TARGET_CHARS = 450
SECOND_PASSAGE_MAX_CHARS = 700
ANSWER_MAX_CHARS = 900
SECOND_PASSAGE_MIN_RATIO = 0.8
LIST_COMPACT_CHARS = 675  # 1.5 x ANSWER_TARGET_CHARS
_BACK_REFERENCE = re.compile(r"^(This|These|That|Those|It|They|Also|Often|Sometimes|Then|However)\b")


def passage_body(section: Section, lead: Passage, *, context: bool = True) -> tuple[str, int]:
    """The text that answers: the lead passage, with a little context from its paragraph (or figure
    caption, without the caption's title) when it is a sentence (the whole paragraph if short, else
    the sentence before a back-reference and the sentences after it, within
    :data:`ANSWER_TARGET_CHARS`; without ``context``, only a sentence before a back-reference).
    A list longer than :data:`LIST_COMPACT_CHARS` whose items are explanations of several sentences is
    shown as its lead and the first sentence of each item ("Tell me more" shows it whole).
    Returns the text and the block index shown."""
    block = section.blocks[lead.block_index]
    if lead.kind == "list" and block.kind == "list" and len(lead.text) > LIST_COMPACT_CHARS:
        firsts = [sentences(item)[0] for item in block.items]
        if any(first != item for first, item in zip(firsts, block.items, strict=True)):
            items = "\n".join(f"• {first}" for first in firsts)
            return (f"{block.lead}\n{items}" if block.lead else items), lead.block_index
    if not lead.is_sentence:
        return lead.text, lead.block_index
    paragraph = section.blocks[lead.block_index].text
    parts = sentences(paragraph)
    opening = 1 if lead.kind == "figure" else 0  # a caption's first sentence is its title, not shown
    if not opening and len(paragraph) <= (ANSWER_TARGET_CHARS if context else ANSWER_TARGET_CHARS // 2):
        return paragraph, lead.block_index
    first = last = lead.sentence_index
    if first > opening and _BACK_REFERENCE.match(parts[first]):
        first -= 1
    while context and last + 1 < len(parts) and len(" ".join(parts[first : last + 2])) <= ANSWER_TARGET_CHARS:
        last += 1
    return " ".join(parts[first : last + 1]), lead.block_index


def passage_answer(
    kb: KnowledgeBase,
    lead: Passage,
    second: Passage | None = None,
    *,
    cited_as: Section | None = None,
    second_max_chars: int = ANSWER_MAX_CHARS,
) -> Reply:
    """Lead with the passage that answers (verbatim), maybe one more from the same section after it,
    then the citation; "Tell me more" when the section has more to read. ``second`` is shown only when
    the body with it stays within ``second_max_chars``.

    ``cited_as``: a section with no text of its own whose part holds ``lead`` ("Types of treatment ...",
    whose list of types ends its "Treatment phases" part), asked about by name: the reply cites it, and
    counts no block of it as shown."""
    section = kb.section(lead.section_id)
    body, shown = passage_body(section, lead)
    shown_blocks = [shown]
    if second is not None and second.section_id == lead.section_id and second.block_index != shown:
        extra, extra_block = passage_body(section, second)
        if len(body) + len(extra) + 2 > SECOND_PASSAGE_MAX_CHARS:
            extra, extra_block = passage_body(section, second, context=False)
        if len(body) + len(extra) + 2 <= min(second_max_chars, ANSWER_MAX_CHARS):
            body = f"{body}\n\n{extra}"  # the passage that answers first, whatever the reading order
            shown_blocks.append(extra_block)
    rest, _ = answer_blocks(section, full=True, skip=shown_blocks)
    buttons = [more_button(section)] if rest else []
    buttons += [section_button(s) for s in related_sections(kb, section)][: MAX_RELATED + 1 - len(buttons)]
    cited = cited_as or section
    return Reply(
        text=f"{body}\n\n{citation_line(kb, [cited])}",
        answer_type=ANSWER,
        citations=(citation(cited),),
        buttons=tuple(buttons),
        shown_blocks=() if cited_as is not None else tuple(sorted(shown_blocks)),
    )


def gap_answer(kb: KnowledgeBase, gap: Gap, offered: Passage | None) -> Reply:
    """Say what the summary doesn't answer and who can; then offer the nearest passage, cited."""
    lines = [f"{gap.says} {gap.who}"]
    if gap.link is not None:
        lines.append(f"{gap.link.title}: {gap.link.url}")
    if offered is None:
        return Reply(text="\n".join(lines), answer_type=NOT_IN_SUMMARY)
    section = kb.section(offered.section_id)
    body, shown = passage_body(section, offered)
    text = "\n".join(lines) + f"\n\nWhat the summary does say:\n{body}\n\n{citation_line(kb, [section])}"
    buttons = [more_button(section), *[section_button(s) for s in related_sections(kb, section)][:2]]
    return Reply(
        text=text,
        answer_type=NOT_IN_SUMMARY,
        citations=(citation(section),),
        buttons=tuple(buttons),
        shown_blocks=(shown,),
    )
