"""``python -m rasa_patches <rasa arguments>``: Rasa's command line with every patch installed first.

``python -m rasa_patches run --model models/all-pdq.tar.gz ...`` is ``rasa run --model ...`` after
:func:`rasa_patches.install`; the exit status and output are Rasa's.
"""

from __future__ import annotations

import sys

import rasa_patches


def main(argv: list[str]) -> None:
    """Install the patches, then run Rasa's CLI on ``argv`` (the arguments after ``rasa``)."""
    rasa_patches.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]  # Rasa's CLI parses sys.argv
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
