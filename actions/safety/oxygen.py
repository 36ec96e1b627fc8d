"""Oxygen saturation readings in a message: "sats 87", "oxygen 88%", "the pulse ox reads 86" — and
whether each is low.

A number from 50 to 100 is read as a saturation when an oxygen word ("oxygen", "sats", "o2", "spo2",
"pulse ox", "oximeter", "finger clip") comes at most :data:`CONTEXT_REACH` words before it in its
sentence with no other measure between ("oxygen 95, heart rate 88": the 88 is a pulse), or when it is
followed by "%" and such a word follows closely ("87% oxygen"). A saturation below
:data:`LOW_SATURATION` is low: a child whose saturation is that low needs emergency care. Numbers
named as limits ("if it drops below 92", "under 90") are not readings taken; a number followed by
another unit ("60 minutes", "140 bpm") is none.
"""

from __future__ import annotations

from dataclasses import dataclass

from actions.safety.terms import Token

LOW_SATURATION = 92.0
CONTEXT_REACH = 8  # "the oxygen reader we have at home shows 87"
_OXYGEN_WORDS = frozenset({"oxygen", "sats", "saturation", "saturations", "sato2", "spo", "spo2", "o", "o2",
                           "oximeter", "oxymeter", "oximetre", "ox", "clip", "pulseox"})  # fmt: skip
# "o" and "spo" only before "2" ("o2", "spo2" are split into word and number): never alone.
_NEEDS_TWO = frozenset({"o", "spo"})
_LIMIT_BEFORE = frozenset({"under", "below", "beneath", "than", "drops", "dips", "falls", "goes"})
# Other measures a number may belong to, when one comes between the oxygen word and the number.
_OTHER_MEASURES = frozenset(
    {
        "heart",
        "pulse",
        "rate",
        "hr",
        "bp",
        "pressure",
        "temperature",
        "temp",
        "weight",
        "breaths",
        "breathing",
        "respiratory",
        "rr",
        "glucose",
        "sugar",
        "platelets",
        "anc",
    }
)
_OTHER_UNITS = frozenset({"l", "litre", "litres", "liter", "liters", "lpm", "bpm", "beats", "breaths", "kg", "mg",
                          "ml", "minutes", "mins", "hours", "hrs", "times", "years", "days", "weeks"})  # fmt: skip


@dataclass(frozen=True)
class Saturation:
    index: int
    percent: float

    @property
    def is_low(self) -> bool:
        return self.percent < LOW_SATURATION


def _is_oxygen_word(tokens: list[Token], index: int) -> bool:
    word = tokens[index].text
    if word not in _OXYGEN_WORDS:
        return False
    following = tokens[index + 1].text if index + 1 < len(tokens) else ""
    if word in _NEEDS_TWO:
        return following == "2"
    if word == "ox":  # "pulse ox", never "ox" alone
        return index > 0 and tokens[index - 1].text == "pulse"
    if word == "clip":  # "the finger clip"
        return index > 0 and tokens[index - 1].text == "finger"
    return True


def saturations(tokens: list[Token]) -> list[Saturation]:
    """Every token that is an oxygen saturation taken (not a limit named)."""
    found = []
    for index, token in enumerate(tokens):
        if not token.text.replace(".", "", 1).isdigit():
            continue
        value = float(token.text)
        if not 50.0 <= value <= 100.0:
            continue
        following = tokens[index + 1].text if index + 1 < len(tokens) else ""
        if following in _OTHER_UNITS:
            continue
        sentence = token.sentence
        before = [
            i
            for i in range(max(0, index - CONTEXT_REACH), index)
            if tokens[i].sentence == sentence
            and _is_oxygen_word(tokens, i)
            and not any(tokens[j].text in _OTHER_MEASURES for j in range(i + 1, index))
        ]
        after = [
            i
            for i in range(index + 2, min(len(tokens), index + 4))
            if following == "%" and tokens[i].sentence == sentence and _is_oxygen_word(tokens, i)
        ]
        if not before and not after:
            continue
        if index > 0 and tokens[index - 1].text in _LIMIT_BEFORE:
            continue  # "if it drops below 92", "less than 90": a limit named
        found.append(Saturation(index, value))
    return found
