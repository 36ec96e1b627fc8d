"""A test double: Rasa's in-memory tracker store that cannot save while a flag file exists.

Configured through an endpoints file (``type: tests.channels.unwritable_tracker_store.UnwritableTrackerStore``);
the flag's path comes from ``UNWRITABLE_STORE_FLAG``. While the file exists every save raises
:class:`stores.errors.TrackerStoreUnavailable`, as the project's stores do when their database cannot be written.
"""

from __future__ import annotations

import os
from pathlib import Path

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from stores.errors import TrackerStoreUnavailable


class UnwritableTrackerStore(InMemoryTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        if Path(os.environ["UNWRITABLE_STORE_FLAG"]).exists():
            raise TrackerStoreUnavailable("the test's tracker store is down")
        await super().save(tracker)
