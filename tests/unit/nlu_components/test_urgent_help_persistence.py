"""The urgent-help component without a saved classifier still loads, and a change to knowledge/safety/ changes
its fingerprint (saving the classifier in the model and loading it back without refitting:
tests/integration/nlu_components/test_urgent_help_persistence.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

import nlu_components.urgent_help as urgent_help
from actions.safety.classifier import SafetyClassifier
from nlu_components.urgent_help import UrgentHelpDetector


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test-model")


def _intent(component: UrgentHelpDetector, text: str) -> str:
    msg = Message(data={"text": text, "intent": {"name": "greet", "confidence": 0.9}, "entities": []})
    component.process([msg])
    return str(msg.get("intent")["name"])


def test_a_model_without_a_saved_classifier_still_loads(
    tmp_path: Path, fitted_safety_classifier: SafetyClassifier
) -> None:
    storage = LocalModelStorage(tmp_path)
    loaded = UrgentHelpDetector.load({}, storage, Resource("never_trained"), _context())
    # Fitted when the model has none (from_project: here the fit this test process already made).
    assert loaded._detector.classifier is fitted_safety_classifier
    assert _intent(loaded, "his lips are going blue and he is gasping") == "urgent_help"


def test_changing_the_classifiers_examples_changes_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "training.yml"
    shutil.copy(urgent_help.CLASSIFIER_TRAINING_FILE, copy)
    monkeypatch.setattr(urgent_help, "CLASSIFIER_TRAINING_FILE", copy)
    before = UrgentHelpDetector.fingerprint_addon({})
    assert before == UrgentHelpDetector.fingerprint_addon({})
    copy.write_text(copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert UrgentHelpDetector.fingerprint_addon({}) != before
