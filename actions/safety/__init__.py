"""The safety layer: emergencies described in parents' words, and requests for one child's advice.

No Rasa import. The NLU component ``nlu_components.urgent_help`` runs :func:`assess` on every
message; the tests use the modules directly:

* ``terms`` — tokenising a message and matching YAML phrases,
* ``temperature`` — temperatures and whether they are a fever,
* ``concepts`` — the signs of each emergency category (``knowledge/safety/concepts.yml``),
* ``situation`` — whether a sign is happening now (``knowledge/safety/situation.yml``),
* ``classifier`` — the trained urgent / personal-advice classifier (``knowledge/safety/training.yml``),
* ``detector`` — both signals combined into one :class:`Assessment`.
"""

from actions.safety.detector import (
    Assessment,
    SafetyDetector,
    assess,
    build_detector,
    default_detector,
    install_default_detector,
)

__all__ = ["Assessment", "SafetyDetector", "assess", "build_detector", "default_detector", "install_default_detector"]
