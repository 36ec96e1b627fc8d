"""Rasa NLU component: the safety check of every message, whatever the intent classifier said.

It runs after the intent classifier and before the FallbackClassifier, on every message of every
conversation, so no conversation context and no classifier confidence can hide an emergency.
:func:`actions.safety.assess` decides (signs of each emergency plus a trained classifier):

* urgent: the intent becomes ``urgent_help`` (confidence 1.0) with an ``urgent_category`` entity;
* a request for advice about one child: the intent becomes ``ask_personal_advice`` with an
  ``advice_kind`` entity (dose, decision, results, prognosis, diagnosis);
* otherwise the classifier's own ``urgent_help`` / ``ask_personal_advice`` predictions are replaced
  by the next intent in its ranking (the safety check, which knows negation, the past and general
  questions, has the last word), and a sign mentioned but not happening now ("no fever", "a
  seizure years ago") adds a ``safety_note`` entity naming its category.

The safety classifier is fitted by ``rasa train`` (:meth:`UrgentHelpDetector.train`) and saved in the
model; loading the model reads it back without refitting (:meth:`UrgentHelpDetector.load`) and
installs the detector as the process's (the channels' safety net uses the same one). The
classifier's own training examples (``knowledge/safety/training.yml``) are outside Rasa's training
data, so their contents are part of the component's fingerprint
(:meth:`UrgentHelpDetector.fingerprint_addon`): changing them makes ``rasa train`` retrain it. The
rules in ``knowledge/safety/`` are read when the model loads. Nothing is built at import.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.safety import Assessment, SafetyDetector, build_detector, default_detector, install_default_detector
from actions.safety.classifier import TRAINING_FILE as CLASSIFIER_TRAINING_FILE
from actions.safety.classifier import SafetyClassifier

logger = logging.getLogger(__name__)
CLASSIFIER_FILE = "safety_classifier.npz"  # actions.safety.estimator_file
URGENT_INTENT = "urgent_help"
ADVICE_INTENT = "ask_personal_advice"
SAFETY_INTENTS = (URGENT_INTENT, ADVICE_INTENT)
RUNNER_UP_CAP = 0.8  # well below 1.0 minus any sensible FallbackClassifier ambiguity_threshold


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UrgentHelpDetector(GraphComponent):
    """Sets ``urgent_help`` / ``ask_personal_advice`` from the safety check, with their entities."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(
        self,
        config: dict[str, Any],
        detector: SafetyDetector | None = None,
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
    ) -> None:
        self._detector = detector
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UrgentHelpDetector:
        return cls({**cls.get_default_config(), **config}, None, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """A digest of the classifier's training examples outside Rasa's training data
        (knowledge/safety/training.yml). The rules (concepts, situation, advice) are read when the
        model loads, so changing them needs no training. The saved file's name (its format) is part of
        it, so a model saved in an earlier format is retrained, not loaded."""
        return hashlib.sha256(CLASSIFIER_FILE.encode() + CLASSIFIER_TRAINING_FILE.read_bytes()).hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the safety classifier and save it in the model."""
        if self._model_storage is None or self._resource is None:
            raise ValueError("UrgentHelpDetector.train needs the model storage it was created with")
        classifier = SafetyClassifier.from_project()
        with self._model_storage.write_to(self._resource) as directory:
            classifier.save(directory / CLASSIFIER_FILE)
        self._detector = build_detector(classifier)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> UrgentHelpDetector:
        """The component with the classifier saved in the model; fitted anew (and logged) only when the
        model has none (a model trained before the classifier was saved)."""
        try:
            with model_storage.read_from(resource) as directory:
                classifier = SafetyClassifier.load(directory / CLASSIFIER_FILE)
        except (ValueError, OSError) as missing:
            logger.warning("safety classifier not in the model (%s); fitting it now: retrain the model", missing)
            classifier = SafetyClassifier.from_project()
        detector = build_detector(classifier)
        install_default_detector(detector)
        return cls({**cls.get_default_config(), **config}, detector, model_storage, resource)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _entity(self, name: str, value: str, text: str) -> dict[str, Any]:
        return {
            "entity": name,
            "value": value,
            "start": 0,
            "end": len(text),
            "confidence": 1.0,
            "extractor": self.__class__.__name__,
        }

    def process(self, messages: list[Message]) -> list[Message]:
        detector = self._detector or default_detector()
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue  # empty, or a button payload / typed intent (the input guard decides on those)
            self.apply(message, detector.assess(text))
        return messages

    def apply(self, message: Message, found: Assessment) -> None:
        """Set the message's intent and entities from the safety check's ``found``."""
        text = str(message.get(TEXT))
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in SAFETY_INTENTS]
        entities = list(message.get(ENTITIES) or [])
        if found.urgent is not None:
            forced: dict[str, Any] | None = {"name": URGENT_INTENT, "confidence": 1.0}
            entities.append(self._entity("urgent_category", found.urgent, text))
        elif found.advice is not None:
            forced = {"name": ADVICE_INTENT, "confidence": 1.0}
            entities.append(self._entity("advice_kind", found.advice, text))
        else:
            forced = None
        if found.note is not None and found.urgent is None:
            entities.append(self._entity("safety_note", found.note, text))
        if forced is not None:
            # The FallbackClassifier after this component falls back when the top two intents are
            # within its ambiguity threshold: a confident runner-up must not turn an emergency into
            # "I'm not sure I understood", so the others are capped below the forced intent.
            capped = [{**r, "confidence": min(float(r.get("confidence") or 0.0), RUNNER_UP_CAP)} for r in ranking]
            message.set(INTENT, forced, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [forced, *capped], add_to_output=True)
        elif (message.get(INTENT) or {}).get("name") in SAFETY_INTENTS and ranking:
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        message.set(ENTITIES, entities, add_to_output=True)
