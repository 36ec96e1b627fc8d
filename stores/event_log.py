"""Reading the tracker store's events in time order, for the content owner's report (``make report``).

The store is the ``events`` table that Rasa's SQL tracker stores write (one row per event: ``sender_id``,
``type_name``, ``timestamp``, ``data`` the event as JSON), on SQLite or PostgreSQL; it is opened with
:func:`stores.retention.open_store`. Only the event types the report uses are read (``user``, ``bot``,
``slot``), never the others, and the rows come as they are stored: decoding them is the reader's job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

READ_TYPES = ("user", "bot", "slot")
BATCH_ROWS = 2000

_EVENTS_BETWEEN = sa.text(
    "select sender_id, type_name, timestamp, data from events "
    "where type_name in :types and timestamp >= :start and timestamp < :end "
    "order by sender_id, id"
).bindparams(sa.bindparam("types", expanding=True))


@dataclass(frozen=True)
class StoredEvent:
    """One row of the ``events`` table: ``data`` is the event's JSON text as stored (maybe not valid)."""

    sender_id: str
    type_name: str
    timestamp: float
    data: str | None


def events_between(engine: Engine, start: float, end: float) -> Iterator[StoredEvent]:
    """The ``user``, ``bot`` and ``slot`` events with ``start <= timestamp < end`` (Unix seconds), one
    conversation after the other and each in the order it was stored."""
    with engine.connect() as connection:
        rows = connection.execution_options(stream_results=True).execute(
            _EVENTS_BETWEEN, {"types": list(READ_TYPES), "start": start, "end": end}
        )
        for batch in rows.partitions(BATCH_ROWS):
            for sender_id, type_name, timestamp, data in batch:
                yield StoredEvent(str(sender_id), str(type_name), float(timestamp or 0.0), data)
