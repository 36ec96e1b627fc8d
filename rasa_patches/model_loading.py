"""``RasaModel.load`` that builds the model's weights with one eager training step instead of a traced one.

To give a saved DIET model variables of the right shapes, Rasa 3.6 compiles it and runs ``fit`` on one
example before loading the weights. That step traces the whole training graph (with the CRF entity loss)
into a ``tf.function``, which was most of the Rasa server's cold start (docs/benchmarks.md). Run eagerly,
the same step creates the same variables in a fraction of the time; the model is then switched back to
the configured mode, so predictions still run as a traced ``tf.function`` and are the same numbers
(``tests/integration/test_model_loading.py`` compares both loads).
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.models import RasaModel

from rasa_patches.versions import written_for

_original = RasaModel.load


def load(
    cls: type[RasaModel],
    /,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """Rasa's ``RasaModel.load`` with the weight-building step run eagerly."""
    if finetune_mode:  # training continues from here: keep Rasa's compiled training step
        rasas_load = _original.__func__
        return rasas_load(cls, model_file_name, model_data_example, predict_data_example, True, *args, **kwargs)
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.run_eagerly = config.get(RUN_EAGERLY)
    model.load_weights(model_file_name)
    if predict_data_example:
        model.run_inference(predict_data_example)  # traces the prediction function now, not at the first message
    return model


def install() -> bool:
    """Replace ``RasaModel.load`` on Rasa 3.6 (idempotent); whether it is replaced."""
    if not written_for("rasa", "3.6.", "speedup model_loading"):
        return False
    if not active():
        RasaModel.load = classmethod(load)
    return True


def active() -> bool:
    """Whether ``RasaModel.load`` is this module's."""
    return RasaModel.load.__func__ is load


def original() -> Any:
    """Rasa's own classmethod (for the tests that compare both)."""
    return _original
