"""The safety classifier is fitted by training and saved in the model; loading the model reads it back
without refitting, and a change to knowledge/safety/ changes the component's fingerprint."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

import actions.safety.detector as detector_module
import nlu_components.urgent_help as urgent_help
from actions.safety.classifier import SafetyClassifier
from nlu_components.urgent_help import UrgentHelpDetector


@pytest.fixture
def fitted_once(monkeypatch: pytest.MonkeyPatch) -> SafetyClassifier:
    """The project's classifier, fitted once per test run (the process's detector's): ``from_project`` returns it
    instead of fitting again (a fit takes seconds); whether a load fits is what the tests below check."""
    fitted = detector_module.default_detector().classifier
    monkeypatch.setattr(SafetyClassifier, "from_project", classmethod(lambda _cls: fitted))
    return fitted


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test-model")


def _intent(component: UrgentHelpDetector, text: str) -> str:
    msg = Message(data={"text": text, "intent": {"name": "greet", "confidence": 0.9}, "entities": []})
    component.process([msg])
    return str(msg.get("intent")["name"])


def test_a_trained_component_loads_its_classifier_without_fitting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fitted_once: SafetyClassifier
) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("urgent_help")
    trained = UrgentHelpDetector.create({}, storage, resource, _context())
    trained.train(TrainingData())
    assert trained._detector.classifier is fitted_once

    def no_fitting(_cls: type[SafetyClassifier]) -> SafetyClassifier:
        raise AssertionError("the classifier was fitted again when the model loaded")

    monkeypatch.setattr(SafetyClassifier, "from_project", classmethod(no_fitting))
    monkeypatch.setattr(detector_module, "_installed", [])
    loaded = UrgentHelpDetector.load({}, storage, resource, _context())
    assert _intent(loaded, "she keeps saying things that make no sense and asks where she is") == "urgent_help"
    assert _intent(loaded, "will my daughter survive this?") == "ask_personal_advice"
    # The channels' safety net uses the detector the model loaded (no second fitting).
    assert detector_module.default_detector() is loaded._detector


def test_a_model_without_a_saved_classifier_still_loads(tmp_path: Path, fitted_once: SafetyClassifier) -> None:
    storage = LocalModelStorage(tmp_path)
    loaded = UrgentHelpDetector.load({}, storage, Resource("never_trained"), _context())
    assert loaded._detector.classifier is fitted_once  # fitted (here: the fit of this run) when the model has none
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
