"""A conversation's lock in the SQL tracker store, held by whoever writes or deletes its rows.

The server's store (:mod:`stores.sql_tracker_store`) takes it before it saves a turn, the retention commands
(:mod:`stores.retention`) before they delete a conversation, so a forget and a save of the same conversation
never interleave. Only SQLAlchemy here: ``make forget`` imports this without loading Rasa.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def conversation_lock(executor: Any, sender_id: str) -> None:
    """Hold the conversation's lock until the end of the transaction: on PostgreSQL its advisory lock, on
    SQLite the database's single write lock (other dialects: nothing).

    ``executor`` is an ORM session or a connection inside a transaction. Taken by every save of this store
    and by the retention commands (:mod:`stores.retention`), so a forget and a save of the same
    conversation never interleave.
    """
    bind = executor.get_bind() if hasattr(executor, "get_bind") else executor
    if bind.dialect.name == "postgresql":
        executor.execute(sa.text("select pg_advisory_xact_lock(hashtext(:s))"), {"s": sender_id})
    elif bind.dialect.name == "sqlite":  # a write that changes nothing takes SQLite's one write lock now
        executor.execute(sa.text("delete from events where id < 0"))
