"""Find the sentence that asks the question in a message that also tells a story.

Parents often write a few sentences of context ("She was diagnosed last week. The doctors said ...
I'm scared.") before the question. The context words name the child, the diagnosis and feelings, and
swamp a search over the whole message. :func:`split_question` separates the question sentence from
the context so that section search can weigh the question first (see
:meth:`actions.retrieval.SectionSearch.search_question`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (or a line break) followed by space; "e.g." / "Dr." style abbreviations are
# rare in parents' messages and only cost a split in the context, never in the question.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*")
_QUESTION_START = re.compile(
    r"^(?:so|and|but|also|ok|okay|well|now|please|just|honestly|basically)?[\s,]*"
    r"(?:what|what's|whats|wat|how|why|y|when|where|which|who|whom|whose|is|are|was|were|can|could|"
    r"do|does|did|will|would|should|shall|may|might|has|have|any|tell|explain|describe)\b",
    re.I,
)
# A question sentence this short that points back ("What is that?", "Is it normal?") leans on the
# sentence before it.
SHORT_QUESTION_WORDS = 6
_POINTING = re.compile(r"\b(?:it|its|it's|that|this|these|those|they|them)\b", re.I)


@dataclass(frozen=True)
class SplitMessage:
    """A message cut into the question that it asks and the context around it (``context`` may be empty)."""

    question: str
    context: str


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, in order, without empty pieces."""
    return [part.strip() for part in _SENTENCE_END.split(text.strip()) if part and part.strip()]


def is_question(sentence: str) -> bool:
    """Whether a sentence asks something: it ends with "?" or starts with a question word."""
    return sentence.rstrip().endswith("?") or bool(_QUESTION_START.match(sentence.strip()))


def points_back(sentence: str) -> bool:
    """Whether ``sentence`` points at something said before it ("it", "that", "those", ...)."""
    return bool(_POINTING.search(sentence))


def split_question(text: str) -> SplitMessage:
    """The question of ``text`` and its context.

    One sentence: all of it is the question. Several: the question is the last sentence that asks
    something (else the last sentence); a question of at most :data:`SHORT_QUESTION_WORDS` words that
    points back ("that", "it", ...) also takes the sentence before it. Everything else is context.
    """
    parts = sentences(text)
    if len(parts) <= 1:
        return SplitMessage(question=text.strip(), context="")
    asking = [i for i, part in enumerate(parts) if is_question(part)]
    last = asking[-1] if asking else len(parts) - 1
    short_pointer = len(parts[last].split()) <= SHORT_QUESTION_WORDS and points_back(parts[last])
    first = last - 1 if last > 0 and short_pointer else last
    question = " ".join(parts[first : last + 1])
    context = " ".join(parts[:first] + parts[last + 1 :])
    return SplitMessage(question=question, context=context)


def story_then_question(text: str) -> SplitMessage:
    """:func:`split_question` for a message that ends with its question (a story, then the question); a
    message with words after its question sentence ("and the risk group? spinal fluid", as follow-ups
    build their search words) stays whole: all of it is the question."""
    split = split_question(text)
    parts = sentences(text)
    if split.context and parts and split.question.endswith(parts[-1]):
        return split
    return SplitMessage(question=text.strip(), context="")
