"""A trained second opinion: is a message urgent, personal advice, or neither — and which kind.

Logistic regression over word and character n-grams (scikit-learn, fixed seed), fitted from
``knowledge/safety/training.yml`` plus the ordinary questions, personal-advice and urgent examples
of the Rasa NLU data (``data/nlu/``; entity markup removed). Fitting takes about a second and is
done by :func:`SafetyClassifier.fit`, never at import. The evaluation sets in ``eval/`` are written
separately and are never read here. The fitted classifier is saved with the Rasa model
(:meth:`SafetyClassifier.save` / :meth:`SafetyClassifier.load`, used by ``nlu_components.urgent_help``)
so that loading the model does not refit it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from actions.knowledge_base import KNOWLEDGE_DIR
from actions.safety.concepts import SafetyDataError

TRAINING_FILE = KNOWLEDGE_DIR / "safety" / "training.yml"
NLU_DIR = KNOWLEDGE_DIR.parent / "data" / "nlu"
LABELS = ("urgent", "not_urgent", "personal_advice")
SEED = 2024
# NLU intents whose examples are ordinary, not-urgent messages, and the two that are not.
_NLU_LABEL = {"urgent_help": "urgent", "ask_personal_advice": "personal_advice"}
_NLU_SKIP = {"inform", "check_risk_group"}
_ENTITY_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    kind: str | None


@dataclass(frozen=True)
class Prediction:
    label: str
    probabilities: Mapping[str, float]
    kind: str | None

    def probability(self, label: str) -> float:
        return self.probabilities.get(label, 0.0)


def training_examples(path: Path = TRAINING_FILE) -> list[Example]:
    """The labelled examples of ``training.yml``: label -> kind -> texts."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SafetyDataError(f"{path.name}: cannot read: {exc}") from None
    if not isinstance(raw, Mapping) or set(raw) - set(LABELS):
        raise SafetyDataError(f"{path.name}: top-level keys must be among {LABELS}")
    examples = []
    for label, kinds in raw.items():
        if not isinstance(kinds, Mapping):
            raise SafetyDataError(f"{path.name}: {label}: expected kind -> list of examples")
        for kind, texts in kinds.items():
            if not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
                raise SafetyDataError(f"{path.name}: {label}.{kind}: expected a list of non-empty strings")
            examples += [Example(t.strip(), str(label), str(kind)) for t in texts]
    return examples


def nlu_examples(nlu_dir: Path = NLU_DIR) -> list[Example]:
    """Examples from the Rasa NLU files: urgent_help, ask_personal_advice, and every ordinary intent."""
    examples = []
    for path in sorted(nlu_dir.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in raw.get("nlu") or []:
            intent = item.get("intent") if isinstance(item, Mapping) else None
            if not intent or intent in _NLU_SKIP:
                continue
            label = _NLU_LABEL.get(str(intent), "not_urgent")
            for line in str(item.get("examples") or "").splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    examples.append(Example(_ENTITY_MARKUP.sub(lambda m: m.group(1) or m.group(2), text), label, None))
    return examples


class SafetyClassifier:
    """Three-way label plus the kind (urgent category / advice kind) of a message.

    One word and one character TF-IDF vectoriser, fitted on every example, feed one logistic
    regression for the label and one per label for its kind, so a message is vectorised once.
    """

    def __init__(self, vectorizers: tuple[Any, Any], label_model: Any, kind_models: Mapping[str, Any]) -> None:
        self._vectorizers = vectorizers
        self._label_model = label_model
        self._kind_models = kind_models

    @staticmethod
    def _regression() -> Any:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced", random_state=SEED)

    @classmethod
    def fit(cls, examples: Iterable[Example]) -> SafetyClassifier:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer

        examples = list(examples)
        texts = [e.text for e in examples]
        vectorizers = (
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w[\w']*\b"),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        )
        features = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
        label_model = cls._regression().fit(features, [e.label for e in examples])
        kind_models = {}
        for label in ("urgent", "personal_advice"):
            rows = [i for i, e in enumerate(examples) if e.label == label and e.kind]
            if len({examples[i].kind for i in rows}) > 1:
                kind_models[label] = cls._regression().fit(features[rows], [examples[i].kind for i in rows])
        return cls(vectorizers, label_model, kind_models)

    @classmethod
    def from_project(cls) -> SafetyClassifier:
        return cls.fit([*training_examples(), *nlu_examples()])

    def save(self, path: Path) -> None:
        """Write the fitted classifier to ``path`` (:mod:`actions.safety.estimator_file`: no pickle)."""
        from actions.safety import estimator_file

        state = {
            "vectorizers": list(self._vectorizers),
            "label_model": self._label_model,
            "kind_models": dict(self._kind_models),
        }
        estimator_file.dump(state, path)

    @classmethod
    def load(cls, path: Path) -> SafetyClassifier:
        """The classifier written by :meth:`save`. ValueError if the file is not one (or names a class
        that :mod:`actions.safety.estimator_file` does not allow: nothing is then built); OSError if it
        cannot be read."""
        from actions.safety import estimator_file

        state = estimator_file.load(path)
        try:
            vectorizers = state["vectorizers"]
            return cls((vectorizers[0], vectorizers[1]), state["label_model"], state["kind_models"])
        except (TypeError, KeyError, IndexError) as exc:
            raise ValueError(f"{path.name}: not a safety classifier: {exc!r}") from None

    def _features(self, text: str) -> Any:
        from scipy.sparse import hstack

        return hstack([v.transform([text]) for v in self._vectorizers]).tocsr()

    def predict(self, text: str) -> Prediction:
        features = self._features(text)
        probabilities = dict(
            zip(
                self._label_model.classes_,
                (float(p) for p in self._label_model.predict_proba(features)[0]),
                strict=True,
            )
        )
        label = max(probabilities, key=lambda k: probabilities[k])
        kind_model = self._kind_models.get(label)
        kind = str(kind_model.predict(features)[0]) if kind_model is not None else None
        return Prediction(label, probabilities, kind)

    def kind(self, label: str, text: str) -> str | None:
        model = self._kind_models.get(label)
        return str(model.predict(self._features(text))[0]) if model is not None else None
