"""``predict_tracing``: a model's prediction function is traced as written (no AutoGraph rewrite), with
Rasa's results; a model that branches on a tensor is still traced, with AutoGraph."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import tensorflow as tf
from rasa.utils.tensorflow.models import RasaModel

from rasa_patches import predict_tracing


class _Scaler(RasaModel):
    """Multiplies its input by a weight; ``double`` (configuration, a Python bool) doubles it again.

    Records the file of the code that ran when the prediction function was traced: AutoGraph runs a rewritten
    copy of it from a generated file, not this one."""

    def __init__(self, double: bool, branch_on_tensor: bool = False) -> None:
        super().__init__(random_seed=7)
        self.double = double
        self.branch_on_tensor = branch_on_tensor
        self.weight = tf.Variable(3.0)
        self.traced_in: list[str] = []
        self.prepared_for_prediction = True

    def batch_predict(self, batch_in: Any) -> dict[str, tf.Tensor]:
        self.traced_in.append(sys._getframe().f_code.co_filename)
        values = batch_in[0] * self.weight
        if self.double:  # configuration: the same graph with or without AutoGraph
            values = values * 2.0
        if self.branch_on_tensor and tf.reduce_sum(values) > 0:  # a tensor's value: only AutoGraph graphs it
            values = values + 1.0
        return {"values": values}


@pytest.fixture
def rasas_predict() -> Iterator[None]:
    """The patch installed for the test, Rasa's own method restored after it."""
    original = RasaModel._rasa_predict
    yield
    RasaModel._rasa_predict = original


def _predict(model: RasaModel, values: list[float]) -> np.ndarray:
    return np.asarray(model._rasa_predict((np.array(values, dtype=np.float32),))["values"])


def test_the_prediction_function_is_traced_without_rewriting_its_source(rasas_predict: None) -> None:
    assert predict_tracing.install()
    assert predict_tracing.active()
    model = _Scaler(double=True)
    _predict(model, [1.0, 2.0])
    assert model.traced_in == [__file__]  # traced once, from this file's code as written


def test_predictions_are_rasas_and_the_function_is_traced_once(rasas_predict: None) -> None:
    stock = _Scaler(double=True)
    expected = [_predict(stock, [1.0, -2.0]), _predict(stock, [0.5, 4.0, 1.0])]
    assert len(stock.traced_in) == 1
    predict_tracing.install()
    patched = _Scaler(double=True)
    got = [_predict(patched, [1.0, -2.0]), _predict(patched, [0.5, 4.0, 1.0])]
    assert len(patched.traced_in) == 1  # the second batch, of another length, reuses the trace
    for mine, rasas in zip(got, expected, strict=True):
        np.testing.assert_array_equal(mine, rasas)
    np.testing.assert_array_equal(got[0], [6.0, -12.0])


def test_a_model_that_branches_on_a_tensor_is_traced_with_autograph(rasas_predict: None) -> None:
    predict_tracing.install()
    model = _Scaler(double=False, branch_on_tensor=True)
    np.testing.assert_array_equal(_predict(model, [1.0, 1.0]), [4.0, 4.0])
    np.testing.assert_array_equal(_predict(model, [-1.0, -1.0]), [-3.0, -3.0])  # the branch is in the graph
    assert model.traced_in[-1] != __file__  # the AutoGraph-rewritten copy


def test_an_eager_model_runs_eagerly(rasas_predict: None) -> None:
    predict_tracing.install()
    model = _Scaler(double=False)
    model.run_eagerly = True
    np.testing.assert_array_equal(_predict(model, [2.0]), [6.0])
    assert model._tf_predict_step is None
