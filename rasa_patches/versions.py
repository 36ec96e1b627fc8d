"""Whether a patch is on the library version it was written for.

Every patch replaces internals of one library release line (Rasa 3.6, python-engineio 4.4, ...); on any other
version it must change nothing, because the function it replaces may no longer be the one it was checked
against (each patch's test compares it with that original).
"""

from __future__ import annotations

import logging
from importlib.metadata import version

logger = logging.getLogger(__name__)


def written_for(distribution: str, release_line: str, patch: str) -> bool:
    """Whether the installed ``distribution`` (e.g. ``rasa``) is in ``release_line`` (e.g. ``3.6.``).

    When it is not, logs that ``patch`` was not installed and returns False.
    """
    found = version(distribution)
    if found.startswith(release_line):
        return True
    logger.warning("%s: written for %s %sx, found %s; not installed", patch, distribution, release_line, found)
    return False
