"""Rasa NLU component: urgent red flags override whatever the intent classifier said.

It runs after the intent classifier and before the FallbackClassifier. When
:func:`actions.safety.detect_red_flag` finds a red flag, the message's intent becomes
``urgent_help`` with confidence 1.0 and a ``red_flag`` entity names the category, so the urgent
rule fires regardless of how (un)sure the classifier was.
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

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UrgentHelpDetector:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            flag = detect_red_flag(text)
            if flag is None:
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
