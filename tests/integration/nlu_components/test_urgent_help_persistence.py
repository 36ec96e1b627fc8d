"""The safety classifier is fitted by training and saved in the model through Rasa's model storage; loading the
model reads it back without refitting. Slow: fitting the classifier takes seconds of CPU
(the rest of the component: tests/unit/nlu_components/test_urgent_help_persistence.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.training_data import TrainingData

import actions.safety.detector as detector_module
from actions.safety.classifier import SafetyClassifier
from nlu_components.urgent_help import UrgentHelpDetector
from tests.unit.nlu_components.test_urgent_help_persistence import _context, _intent

pytestmark = pytest.mark.slow


def test_a_trained_component_loads_its_classifier_without_fitting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fitted_safety_classifier: SafetyClassifier
) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("urgent_help")
    trained = UrgentHelpDetector.create({}, storage, resource, _context())
    trained.train(TrainingData())
    assert trained._detector.classifier is fitted_safety_classifier

    def no_fitting(_cls: type[SafetyClassifier]) -> SafetyClassifier:
        raise AssertionError("the classifier was fitted again when the model loaded")

    monkeypatch.setattr(SafetyClassifier, "from_project", classmethod(no_fitting))
    monkeypatch.setattr(detector_module, "_installed", [])
    loaded = UrgentHelpDetector.load({}, storage, resource, _context())
    assert _intent(loaded, "she keeps saying things that make no sense and asks where she is") == "urgent_help"
    assert _intent(loaded, "will my daughter survive this?") == "ask_personal_advice"
    # The channels' safety net uses the detector the model loaded (no second fitting).
    assert detector_module.default_detector() is loaded._detector
