"""Rasa NLU component: urgent red flags override whatever the intent classifier said.

It runs after the intent classifier and before the FallbackClassifier. When
:func:`actions.safety.detect_red_flag` finds a red flag, the message's intent becomes
``urgent_help`` with confidence 1.0 and a ``red_flag`` entity names the category, so the urgent
rule fires regardless of how (un)sure the classifier was. The classifier's own ``urgent_help``
prediction (a second net for phrasings the rules miss) is kept only at or above
``classifier_threshold``; below it, the next intent in the ranking is used, so a vague
resemblance to an emergency does not raise a false alarm.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.safety import detect_red_flag

URGENT_INTENT = "urgent_help"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UrgentHelpDetector(GraphComponent):
    """Forces the ``urgent_help`` intent on messages with a red flag."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"classifier_threshold": 0.8}

    def __init__(self, config: dict[str, Any]) -> None:
        self._classifier_threshold = float(config.get("classifier_threshold", 0.8))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UrgentHelpDetector:
        return cls({**cls.get_default_config(), **config})

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            flag = detect_red_flag(text)
            if flag is None:
                self._demote_unsure_classifier_urgency(message)
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != URGENT_INTENT]
            urgent = {"name": URGENT_INTENT, "confidence": 1.0}
            message.set(INTENT, urgent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [urgent, *ranking], add_to_output=True)
            entity = {
                "entity": "red_flag",
                "value": flag.category,
                "start": 0,
                "end": len(text),
                "confidence": 1.0,
                "extractor": self.__class__.__name__,
            }
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages

    def _demote_unsure_classifier_urgency(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        if intent.get("name") != URGENT_INTENT or intent.get("confidence", 0.0) >= self._classifier_threshold:
            return
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != URGENT_INTENT]
        if ranking:
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
