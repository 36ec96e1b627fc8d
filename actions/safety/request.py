"""The part of a message that asks: the request, as opposed to the context told before it.

A parent often tells the bot about their child first and then asks ("my 15 year old daughter has ALL.
what are the treatment phases?"). :func:`request_tokens` returns the tokens of the sentences that ask
— those ending with "?" or opening with an asking word — and, when no sentence asks, the last
sentence (texting without punctuation). Within an asking sentence, a phrase after a comma that opens
with an asking word is where the request starts ("she has ALL and needs a spinal tap, what is that?").
"""

from __future__ import annotations

from collections.abc import Iterable

from actions.safety.terms import Term, Token, TokenList


def _opening_at(tokens: list[Token], openers: Iterable[Term]) -> set[int]:
    """Indices where an opener starts a sentence or a phrase."""
    starts = set()
    for term in openers:
        for start, _ in term.find(tokens):
            if start == 0 or tokens[start - 1].phrase != tokens[start].phrase:
                starts.add(start)
    return starts


def asks_directly(tokens: list[Token], openers: Iterable[Term]) -> bool:
    """Whether a sentence ends with "?" or a sentence or phrase opens with an asking word ("will she
    be ok", "tell me ..."), as opposed to an asking word inside a statement ("she will be a vet")."""
    return any(t.question for t in tokens) or bool(_opening_at(tokens, tuple(openers)))


def request_tokens(tokens: list[Token], openers: Iterable[Term]) -> TokenList:
    """The tokens of the asking sentences of ``tokens`` (each from its last asking phrase on); the last
    sentence when none asks."""
    if not tokens:
        return TokenList([])
    openings = _opening_at(tokens, tuple(openers))
    asking = {t.sentence for t in tokens if t.question}
    asking.update(tokens[i].sentence for i in openings if i == 0 or tokens[i - 1].sentence != tokens[i].sentence)
    if not asking:
        asking = {tokens[-1].sentence}
    kept: list[Token] = []
    for sentence in sorted(asking):
        indices = [i for i, t in enumerate(tokens) if t.sentence == sentence]
        start = max((i for i in indices if i in openings), default=indices[0])
        kept += tokens[start : indices[-1] + 1]
    return TokenList(kept)
