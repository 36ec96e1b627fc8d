"""The questions the assistant could not answer, grouped by similarity, and which of them may be shown.

Questions whose reply was ``not_in_summary``, ``out_of_scope`` or ``fallback`` are compared after rapidfuzz's
``default_process`` (lower case, letters and digits only) with ``token_sort_ratio`` (same words in any order,
misspellings tolerated): a question joins the first group whose first question scores at least
:data:`SIMILARITY` with it, else starts a group. The most frequent texts are placed first, so each group is
named by its most common wording.

Privacy: a group's text is shown only when at least N different conversations asked it (several messages of
one conversation count once); the others are only counted (:class:`Grouped`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from actions import reply_contract as contract
from reporting.turns import Turn

UNANSWERED_TYPES = (contract.NOT_IN_SUMMARY, contract.OUT_OF_SCOPE, contract.FALLBACK)
SIMILARITY = 80  # token_sort_ratio, 0-100


@dataclass
class QuestionGroup:
    texts: Counter[str] = field(default_factory=Counter)  # each wording (redacted) and how often it came
    conversations: set[str] = field(default_factory=set)
    answer_types: Counter[str] = field(default_factory=Counter)

    @property
    def text(self) -> str:
        """The group's most common wording (of equals, the first read)."""
        return self.texts.most_common(1)[0][0]

    @property
    def questions(self) -> int:
        return sum(self.texts.values())


@dataclass(frozen=True)
class Grouped:
    shown: list[QuestionGroup]  # asked by at least N conversations, most conversations first
    left_out_groups: int
    left_out_questions: int


def group_unanswered(turns: Iterable[Turn], min_conversations: int) -> Grouped:
    """Group the turns whose reply did not answer, and split the groups by the privacy threshold."""
    unanswered = [turn for turn in turns if turn.answer_type in UNANSWERED_TYPES]
    frequency = Counter(default_process(turn.text) for turn in unanswered)
    order = {key: rank for rank, (key, _) in enumerate(frequency.most_common())}
    groups: list[QuestionGroup] = []
    heads: list[str] = []
    group_of: dict[str, QuestionGroup] = {}
    for key in order:
        match = process.extractOne(key, heads, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILARITY) if key else None
        if match is None:
            groups.append(QuestionGroup())
            heads.append(key)
            group_of[key] = groups[-1]
        else:
            group_of[key] = groups[match[2]]
    for turn in unanswered:
        group = group_of[default_process(turn.text)]
        group.texts[turn.text] += 1
        group.conversations.add(turn.sender_id)
        group.answer_types[str(turn.answer_type)] += 1
    shown = [group for group in groups if len(group.conversations) >= min_conversations]
    shown.sort(key=lambda group: (-len(group.conversations), -group.questions, group.text))
    hidden = [group for group in groups if len(group.conversations) < min_conversations]
    return Grouped(shown, len(hidden), sum(group.questions for group in hidden))
