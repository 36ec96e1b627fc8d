"""Cross-validation of the safety classifier on its own training examples (never on an eval set).

    python -m devtools.safety_cv [--folds 5]

``knowledge/safety/training.yml`` is split into stratified folds by label and kind; for each fold the
classifier is fitted on the other folds plus every Rasa NLU example (:func:`classifier.nlu_examples`),
and the held-out fold is judged twice:

* the classifier alone: urgent recall at :data:`detector.URGENT_THRESHOLD`, false urgent rate on the
  not-urgent examples, personal-advice recall (the most probable label), and how often the urgent
  category and advice kind it names are right;
* the whole safety check (:class:`detector.SafetyDetector` with the project's rules and that fold's
  classifier): urgent recall, false urgent replies and personal-advice recall, per category and kind.

It also prints the check's mean time per message (each fold's detector starts cold, so this is more
than a warm server spends). About two minutes on two cores.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict

from actions.safety.classifier import Example, SafetyClassifier, nlu_examples, training_examples
from actions.safety.detector import URGENT_THRESHOLD, build_detector

SEED = 2024


def folds(examples: list[Example], count: int) -> list[list[Example]]:
    """``count`` folds, each with about the same share of every (label, kind)."""
    by_group: dict[tuple[str, str | None], list[Example]] = defaultdict(list)
    for example in examples:
        by_group[(example.label, example.kind)].append(example)
    result: list[list[Example]] = [[] for _ in range(count)]
    rng = random.Random(SEED)
    offset = 0
    for key in sorted(by_group, key=str):
        group = by_group[key]
        rng.shuffle(group)
        for i, example in enumerate(group):
            result[(i + offset) % count].append(example)
        offset += len(group)
    return result


def _rate(hits: list[bool]) -> str:
    return f"{sum(hits)}/{len(hits)} ({100 * sum(hits) / len(hits):.1f} %)" if hits else "-"


def _per(by: dict[str, list[bool]]) -> str:
    return ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(by.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--errors", action="store_true", help="print the check's held-out errors")
    args = parser.parse_args()
    examples = training_examples()
    extra = nlu_examples()
    clf_urgent: list[bool] = []
    clf_false: list[bool] = []
    clf_advice: list[bool] = []
    clf_category: list[bool] = []
    clf_advice_kind: list[bool] = []
    urgent_by: dict[str, list[bool]] = defaultdict(list)
    false_by: dict[str, list[bool]] = defaultdict(list)
    advice_by: dict[str, list[bool]] = defaultdict(list)
    errors: list[str] = []
    seconds = 0.0
    for held in folds(examples, args.folds):
        held_ids = {id(e) for e in held}
        classifier = SafetyClassifier.fit([e for e in examples if id(e) not in held_ids] + extra)
        detector = build_detector(classifier)
        for example in held:
            prediction = classifier.predict(example.text)
            start = time.perf_counter()
            found = detector.assess(example.text)
            seconds += time.perf_counter() - start
            urgent_probable = prediction.probability("urgent") >= URGENT_THRESHOLD
            if example.label == "urgent":
                clf_urgent.append(urgent_probable)
                clf_category.append(classifier.kind("urgent", example.text) == example.kind)
                urgent_by[example.kind or "?"].append(found.urgent is not None)
                if found.urgent is None:
                    errors.append(f"  MISSED urgent [{example.kind}] {example.text}")
            else:
                clf_false.append(urgent_probable)
                false_by[f"{example.label}/{example.kind}"].append(found.urgent is not None)
                if found.urgent is not None:
                    errors.append(f"  FALSE urgent [{example.label}/{example.kind}] {example.text} ({found.evidence})")
            if example.label == "personal_advice":
                clf_advice.append(prediction.label == "personal_advice")
                clf_advice_kind.append(classifier.kind("personal_advice", example.text) == example.kind)
                advice_by[example.kind or "?"].append(found.advice is not None and found.urgent is None)
                if found.advice is None and found.urgent is None:
                    errors.append(f"  MISSED advice [{example.kind}] {example.text}")
    print(f"{len(examples)} training examples (+{len(extra)} NLU examples in every fit), {args.folds} folds")
    print("classifier alone:")
    print(f"  urgent recall at {URGENT_THRESHOLD}: {_rate(clf_urgent)}; category right: {_rate(clf_category)}")
    print(f"  false urgent on not-urgent and advice examples: {_rate(clf_false)}")
    print(f"  advice recall (most probable label): {_rate(clf_advice)}; kind right: {_rate(clf_advice_kind)}")
    print("whole safety check:")
    urgent_all = [x for v in urgent_by.values() for x in v]
    false_all = [x for v in false_by.values() for x in v]
    advice_all = [x for v in advice_by.values() for x in v]
    print(f"  urgent recall {_rate(urgent_all)}: " + _per(urgent_by))
    print(
        f"  false urgent {_rate(false_all)}: "
        + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(false_by.items()) if sum(v))
    )
    print(f"  advice recall {_rate(advice_all)}: " + _per(advice_by))
    checked = len(examples)
    print(f"  mean time per message: {1000 * seconds / checked:.2f} ms")
    if args.errors:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
