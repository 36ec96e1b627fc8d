"""DIET's prediction function traced as written, without AutoGraph's rewrite of its Python source.

Rasa 3.6 wraps a model's ``predict_step`` in ``tf.function`` with AutoGraph on (TensorFlow's default). Before
tracing, AutoGraph parses the source of ``predict_step`` and of every function it calls (DIET's
``batch_predict``, the transformer, the embedding and CRF layers: dozens of functions), rewrites their ``if``
and ``for`` statements into TensorFlow control flow and compiles the rewritten copies. That rewrite was the
largest single step of the Rasa server's cold start (about 4.5 of the ~8 s of CPU that loading DIET took;
docs/deployment.md, "Restart time of a Rasa server").

AutoGraph changes a graph only where Python control flow depends on a tensor's value. DIET's conditions and
loops depend on its configuration and on Python lists, which tracing evaluates the same way either way, so the
graph is the same (``tests/integration/test_model_loading.py`` compares predictions with Rasa's). Where a
model does branch or loop on a tensor, tracing without AutoGraph cannot silently differ: TensorFlow raises
``OperatorNotAllowedInGraphError``, and this patch then traces that model with AutoGraph as Rasa does.
Models run eagerly (``run_eagerly``) are untouched.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from rasa_patches.versions import written_for

logger = logging.getLogger(__name__)

_original: Any = None


def _rasa_predict(self: Any, batch_in: Any) -> Any:
    """Rasa's ``RasaModel._rasa_predict``, with the prediction function first traced without AutoGraph."""
    import tensorflow as tf

    if self._tf_predict_step is not None or self._run_eagerly:
        return _original(self, batch_in)
    signature = self._dynamic_signature(batch_in)
    self._tf_predict_step = tf.function(self.predict_step, input_signature=signature, autograph=False)
    try:
        return _original(self, batch_in)  # the first call traces
    except tf.errors.OperatorNotAllowedInGraphError:
        logger.info("predict_tracing: %s branches on a tensor; traced with AutoGraph", type(self).__name__)
        self._tf_predict_step = tf.function(self.predict_step, input_signature=signature)
        return _original(self, batch_in)


def install() -> bool:
    """Replace ``RasaModel._rasa_predict`` on Rasa 3.6 (idempotent); whether it is replaced."""
    global _original
    if not written_for("rasa", "3.6.", "speedup predict_tracing"):
        return False
    from rasa.utils.tensorflow.models import RasaModel  # here, not at import: it loads TensorFlow

    if not active():
        _original = RasaModel._rasa_predict
        RasaModel._rasa_predict = _rasa_predict
    return True


def active() -> bool:
    """Whether ``RasaModel._rasa_predict`` is this module's."""
    models = sys.modules.get("rasa.utils.tensorflow.models")
    return models is not None and models.RasaModel._rasa_predict is _rasa_predict
