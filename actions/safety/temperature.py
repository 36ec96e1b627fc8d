"""Temperatures in a message: "38.6", "101.3 F", "39°c", "temp 102" — and whether each is a fever.

A number said in words ("39 point 2") is read as 39.2. A number is read as a temperature when a
unit follows it (°, C, F, degrees), when a temperature
word ("temperature", "fever", "thermometer", "reading", "hot") is near it, or when it has a decimal
part in the range of body temperatures (37.2, 101.5). Numbers followed by another unit ("38 weeks",
"39 kg") are not temperatures, nor are oxygen saturations ("oxygen reading 96",
:mod:`actions.safety.oxygen`), nor are thresholds named rather than measured: a number followed by
"line", "mark", "cutoff"... ("under the 38 line") or after "under", "below", "less than" ("below 38").
A fever is 38.0 °C / 100.4 °F or more.
"""

from __future__ import annotations

from dataclasses import dataclass

from actions.safety.oxygen import saturations
from actions.safety.terms import Token

FEVER_CELSIUS = 38.0
CONTEXT_WINDOW = 6
_UNITS_C = frozenset({"c", "celsius", "centigrade"})
_UNITS_F = frozenset({"f", "fahrenheit"})
_DEGREE = frozenset({"°", "degree", "degrees", "deg"})
_CONTEXT = frozenset(
    {"temperature", "fever", "fevers", "feverish", "thermometer", "reading", "reads", "read", "hot", "spiked", "spike"}
)
_OTHER_UNITS = frozenset(
    {"weeks", "week", "days", "day", "months", "month", "years", "year", "kg", "kgs", "lb", "lbs", "pounds", "kilos",
     "mg", "ml", "percent", "%", "minutes", "mins", "hours", "hrs", "times", "cm", "inches", "mm", "units", "k",
     "thousand", "platelets", "anc", "wbc", "yo", "mcg", "grams", "g", "am", "pm", "o'clock"}
)  # fmt: skip


# A number named as a limit, not measured: "the 38 line", "the 100.4 cutoff", "below 38", "under the 38".
_THRESHOLD_AFTER = frozenset({"line", "mark", "cutoff", "cut-off", "threshold", "limit", "rule", "boundary"})
_UPPER_BOUND_BEFORE = frozenset({"under", "below", "beneath", "less than", "lower than", "not over", "not above"})
# Past a threshold is a fever said as a bound: "above the 38 line", "more than 100.4".
_LOWER_BOUND_BEFORE = frozenset(
    {"over", "above", "past", "more than", "higher than", "hit", "reached", "crossed", "exceeded", "went over"}
)
_TIME_WORDS = frozenset({"day", "days", "week", "weeks", "hours", "hrs", "minutes", "mins"})


@dataclass(frozen=True)
class Reading:
    index: int
    celsius: float

    @property
    def is_fever(self) -> bool:
        return self.celsius >= FEVER_CELSIUS


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def readings(tokens: list[Token]) -> list[Reading]:
    """Every token that is a body temperature, converted to °C."""
    found = []
    oxygen = {s.index for s in saturations(tokens)}
    for index, token in enumerate(tokens):
        value = _number(token.text)
        if value is None or index in oxygen:
            continue
        spoken = [t.text for t in tokens[index + 1 : index + 3]]
        if len(spoken) == 2 and spoken[0] == "point" and spoken[1].isdigit() and "." not in token.text:
            value = _number(f"{token.text}.{spoken[1]}")  # "39 point 2", as said to a voice assistant
            if value is None:
                continue
        following = [t.text for t in tokens[index + 1 : index + 3]]
        before = [t.text for t in tokens[max(0, index - 3) : index] if t.text != "the"][-2:]
        bounds = {before[-1], " ".join(before)} if before else set()
        if bounds & _UPPER_BOUND_BEFORE or (
            following and following[0] in _THRESHOLD_AFTER and not bounds & _LOWER_BOUND_BEFORE
        ):
            continue
        nearby = {t.text for t in tokens[max(0, index - CONTEXT_WINDOW) : index + CONTEXT_WINDOW + 1]}
        has_context = bool(nearby & _CONTEXT)
        if following and following[0] in _OTHER_UNITS and not (has_context and following[0] in _TIME_WORDS):
            continue  # "38 weeks", "39 kg"; but "temp 102.3 day 10 of consolidation" is a reading
        unit = next((w for w in following if w in _UNITS_C | _UNITS_F), None)
        has_unit = unit is not None or any(w in _DEGREE for w in following)
        decimal = "." in token.text or "," in token.text or not value.is_integer()
        if unit in _UNITS_F or (unit is None and 95.0 <= value <= 110.0):
            if not 95.0 <= value <= 110.0:
                continue
            celsius = (value - 32.0) * 5.0 / 9.0
        elif 34.0 <= value <= 43.9:
            celsius = value
        else:
            continue
        if has_unit or has_context or decimal:
            found.append(Reading(index, round(celsius, 2)))
    return found
