"""Cross-validation folds share every label and kind out evenly and hold every example once."""

from __future__ import annotations

from collections import Counter

from actions.safety.classifier import Example
from devtools.safety_cv import folds


def test_every_example_is_held_out_once_and_kinds_are_spread_evenly() -> None:
    examples = [Example(f"urgent {i}", "urgent", "fever") for i in range(10)]
    examples += [Example(f"plain {i}", "not_urgent", "plain") for i in range(7)]
    parts = folds(examples, 5)
    held = [e for part in parts for e in part]
    assert sorted(e.text for e in held) == sorted(e.text for e in examples)
    for part in parts:
        counts = Counter(e.kind for e in part)
        assert counts["fever"] == 2
        assert counts["plain"] in (1, 2)
