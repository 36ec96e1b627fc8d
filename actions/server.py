"""The action server's entry point: build the knowledge base and indexes, then serve.

``python -m actions.server --actions actions --port 5055`` takes rasa_sdk's own options and does what
``python -m rasa_sdk`` does, after :func:`actions.services.warm_up`. Without the warm-up the first question
after a start pays for loading the summary and building the search indexes (5 s on an idle machine, far more
under load) inside the Rasa server's action timeout, and gets the "can't look that up" fallback. The port
opens only once everything is built, so a health check that answers means the server is ready.
(``rasa run actions --actions actions`` still works; it builds the same things on the first question.)
"""

from __future__ import annotations

import logging
import time

from rasa_sdk.__main__ import main_from_args
from rasa_sdk.endpoint import create_argument_parser

from actions import services

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> None:
    args = create_argument_parser().parse_args(argv)
    started = time.monotonic()
    services.warm_up()
    logger.info("action server: knowledge base and indexes built in %.1f s", time.monotonic() - started)
    main_from_args(args)


if __name__ == "__main__":
    main()
