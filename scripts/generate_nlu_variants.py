"""Generate data/nlu/generated_variants.yml: long-story and noisy variants of the hand-written examples.

Parents write a few sentences of context before their question, and they write in a hurry, from a phone
or in a second language. Following the approach of RasaHQ/taipo, this script makes such variants from
the hand-written examples of ``data/nlu/`` (never from evaluation files):

* a *story* variant puts one to three neutral context sentences (``knowledge/nlp/nlu_variants.yml``)
  before an example, so the classifier learns that the context does not choose the topic;
* a *noisy* variant applies texting shortcuts, a dropped article and one keyboard typo.

NOT ADOPTED YET: the output is not in data/nlu/. Measured in docs/retrieval.md ("Routing"): with it (and
new hand-written indirect examples) right section rose on our parent sets but eval/safety_messages.jsonl
lost 2 items (a false urgent reply and a missed personal-advice request in second-language English) and
the external / real-parent sets lost 1 / 2, so it was taken out. Next step: variants of
``ask_personal_advice`` too, then measure again. Running ``.venv/bin/python scripts/generate_nlu_variants.py``
writes :data:`TARGET` (and so adopts it); commit it only with a retrained, measured model.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "knowledge" / "nlp" / "nlu_variants.yml"
DATA_DIR = ROOT / "data" / "nlu"
TARGET = DATA_DIR / "generated_variants.yml"
GENERATED_PREFIX = "generated_"
MAX_TRIES = 20

_TEXTING = {"you": "u", "are": "r", "what": "wat", "please": "pls", "because": "cuz", "your": "ur", "for": "4"}
_ARTICLES = {"the", "a", "an"}
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_ANNOTATION = re.compile(r"\[[^\]]*\](?:\([^)]*\)|\{[^}]*\})")
TYPO_MIN_LENGTH = 5


@dataclass(frozen=True)
class IntentPlan:
    story: int
    noisy: int


@dataclass(frozen=True)
class VariantConfig:
    """The generator's input (see the comments in ``knowledge/nlp/nlu_variants.yml``)."""

    seed: int
    intents: Mapping[str, IntentPlan]
    children: tuple[str, ...]
    story_openings: tuple[str, ...]
    story_middles: tuple[str, ...]
    story_feelings: tuple[str, ...]


_FIELDS = {"seed", "intents", "children", "story_openings", "story_middles", "story_feelings"}


def _strings(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    values = data[key]
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise ValueError(f"{CONFIG.name}: {key} must be a non-empty list of strings")
    return tuple(values)


def parse_config(data: Any) -> VariantConfig:
    """Validate the input file's content; every field is required and unknown fields are rejected."""
    if not isinstance(data, dict) or set(data) != _FIELDS:
        raise ValueError(f"{CONFIG.name}: expected exactly the fields {sorted(_FIELDS)}")
    if not isinstance(data["seed"], int):
        raise ValueError(f"{CONFIG.name}: seed must be an integer")
    intents = {}
    for intent, plan in (data["intents"] or {}).items():
        if not isinstance(plan, dict) or set(plan) != {"story", "noisy"}:
            raise ValueError(f"{CONFIG.name}: intents.{intent} must have exactly `story` and `noisy`")
        if not all(isinstance(plan[k], int) and plan[k] >= 0 for k in plan):
            raise ValueError(f"{CONFIG.name}: intents.{intent} counts must be non-negative integers")
        intents[str(intent)] = IntentPlan(story=plan["story"], noisy=plan["noisy"])
    return VariantConfig(
        seed=data["seed"],
        intents=intents,
        children=_strings(data, "children"),
        story_openings=_strings(data, "story_openings"),
        story_middles=_strings(data, "story_middles"),
        story_feelings=_strings(data, "story_feelings"),
    )


def load_examples(files: Iterable[Path]) -> dict[str, list[str]]:
    """Hand-written examples per intent from Rasa NLU files, in file order."""
    examples: dict[str, list[str]] = {}
    for path in files:
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []) or []:
            if "intent" in item:
                lines = str(item.get("examples") or "").splitlines()
                found = [line.strip()[2:].strip() for line in lines if line.strip().startswith("- ")]
                examples.setdefault(str(item["intent"]), []).extend(found)
    return examples


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def with_story(question: str, config: VariantConfig, rng: random.Random) -> str:
    """``question`` after one to three context sentences (an opening, maybe a middle and a feeling)."""
    child = rng.choice(config.children)
    parts = [_sentence(rng.choice(config.story_openings).format(child=child))]
    if rng.random() < 0.6:
        parts.append(rng.choice(config.story_middles))
    if rng.random() < 0.5:
        parts.append(rng.choice(config.story_feelings))
    return " ".join([*parts, question])


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:  # swap two neighbouring letters
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if kind == 1:  # drop a letter
        return word[:i] + word[i + 1 :]
    if kind == 2:  # double a letter
        return word[:i] + word[i] + word[i:]
    row = next((r for r in _KEYBOARD_ROWS if word[i] in r), None)
    if row is None:
        return word[:i] + word[i + 1 :]
    j = row.index(word[i])
    neighbour = row[j - 1] if j > 0 and (j == len(row) - 1 or rng.random() < 0.5) else row[j + 1]
    return word[:i] + neighbour + word[i + 1 :]


def noisy(text: str, rng: random.Random) -> str:
    """``text`` as typed in a hurry: lower case (acronyms kept), texting shortcuts, no article, one typo,
    maybe no "?".

    Entity annotations (``[value](entity)``) are left as they are.
    """
    pieces = _ANNOTATION.split(text)
    annotations = _ANNOTATION.findall(text)
    words_at = [(p, w) for p, piece in enumerate(pieces) for w, _ in enumerate(piece.split(" "))]
    # Acronyms keep their case: "all" is an everyday word, "ALL" the disease.
    split: list[list[str | None]] = [
        [word if len(word) > 1 and word.isupper() else word.lower() for word in piece.split(" ")] for piece in pieces
    ]
    for p, w in words_at:
        word = split[p][w]
        if word in _TEXTING and rng.random() < 0.7:
            split[p][w] = _TEXTING[word]
        elif word in _ARTICLES and rng.random() < 0.5:
            split[p][w] = None  # dropped
    kept = {(p, w): split[p][w] or "" for p, w in words_at}
    long_words = [at for at, word in kept.items() if len(word) >= TYPO_MIN_LENGTH and word.isalpha()]
    if long_words:
        p, w = rng.choice(long_words)
        split[p][w] = _typo(str(split[p][w]), rng)
    rebuilt = [" ".join(x for x in words if x is not None) for words in split]
    out = rebuilt[0]
    for annotation, piece in zip(annotations, rebuilt[1:], strict=True):
        out += annotation + piece
    out = re.sub(r" {2,}", " ", out).strip()
    if rng.random() < 0.5:
        out = out.rstrip("?").rstrip()
    return out


def generate(config: VariantConfig, examples: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The variants per intent (in the config's order); none repeats an existing example or another variant."""
    rng = random.Random(config.seed)
    seen = {e.casefold() for values in examples.values() for e in values}
    result: dict[str, list[str]] = {}
    for intent, plan in config.intents.items():
        sources = examples.get(intent)
        if not sources:
            raise ValueError(f"{CONFIG.name}: intent {intent} has no hand-written examples in {DATA_DIR}")
        made: list[str] = []
        for make, count in ((lambda t: with_story(t, config, rng), plan.story), (lambda t: noisy(t, rng), plan.noisy)):
            for _ in range(count):
                for _ in range(MAX_TRIES):
                    candidate = make(rng.choice(sources))
                    if candidate.casefold() not in seen and candidate.strip():
                        seen.add(candidate.casefold())
                        made.append(candidate)
                        break
        result[intent] = made
    return result


def render(variants: Mapping[str, list[str]]) -> str:
    lines = [
        "# GENERATED by scripts/generate_nlu_variants.py from knowledge/nlp/nlu_variants.yml and the",
        "# hand-written examples of data/nlu/ — do not edit by hand.",
        'version: "3.1"',
        "nlu:",
    ]
    for intent, values in variants.items():
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines.extend(f"    - {value}" for value in values)
    return "\n".join(lines) + "\n"


def build() -> str:
    """The content of :data:`TARGET` for the current input and hand-written data."""
    config = parse_config(yaml.safe_load(CONFIG.read_text(encoding="utf-8")))
    sources = sorted(p for p in DATA_DIR.glob("*.yml") if not p.name.startswith(GENERATED_PREFIX))
    return render(generate(config, load_examples(sources)))


def main() -> int:
    TARGET.write_text(build(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
