"""scripts/generate_nlu_variants.py: long-story and noisy training variants, reproducible and up to date."""

from __future__ import annotations

import random
import re

import pytest
import yaml

from scripts.generate_nlu_variants import (
    CONFIG,
    IntentPlan,
    VariantConfig,
    build,
    generate,
    noisy,
    parse_config,
    with_story,
)

SMALL = VariantConfig(
    seed=7,
    intents={"ask_symptoms": IntentPlan(story=3, noisy=3)},
    children=("my son",),
    story_openings=("{child} was diagnosed last week.",),
    story_middles=("We are tired.",),
    story_feelings=("I'm scared.",),
)


def test_build_is_reproducible() -> None:
    assert build() == build()


def test_the_same_seed_gives_the_same_variants() -> None:
    examples = {"ask_symptoms": ["what are the signs of leukemia", "is bruising a symptom of ALL"]}
    assert generate(SMALL, examples) == generate(SMALL, examples)


def test_a_story_ends_with_the_question_and_starts_a_sentence() -> None:
    text = with_story("is bruising a symptom of ALL", SMALL, random.Random(1))
    assert text.startswith("My son was diagnosed last week.")
    assert text.endswith(" is bruising a symptom of ALL")


def test_noise_keeps_entity_annotations_and_changes_the_text() -> None:
    original = "can leukemia cause [bone pain](symptom) in the legs of children"
    for seed in range(20):
        text = noisy(original, random.Random(seed))
        assert "[bone pain](symptom)" in text
        assert text != original
        assert re.search(r"\S\[|\]\([a-z_]+\)\S", text) is None  # annotations keep their spaces


def test_variants_never_repeat_an_existing_example() -> None:
    examples = {"ask_symptoms": ["what are the signs of leukemia"]}
    made = generate(SMALL, examples)["ask_symptoms"]
    assert len(made) == len({m.casefold() for m in made})
    assert "what are the signs of leukemia" not in {m.casefold() for m in made}


def test_the_input_file_is_valid_and_unknown_fields_are_rejected() -> None:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    parse_config(data)
    with pytest.raises(ValueError, match="fields"):
        parse_config({**data, "styles": ["texting"]})
    with pytest.raises(ValueError, match="story"):
        parse_config({**data, "intents": {"ask_symptoms": {"story": 2}}})


def test_noise_keeps_acronyms_in_capitals() -> None:
    for seed in range(10):
        assert "ALL" in noisy("does ALL need a CBC test every week", random.Random(seed)).split(" ")
