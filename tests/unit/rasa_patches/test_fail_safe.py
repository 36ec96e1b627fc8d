"""rasa_patches.fail_safe against Rasa's own Agent: a durable store's failures reach the caller; others keep Rasa's
wrapper."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain

from rasa_patches import fail_safe, versions
from stores.errors import TrackerStoreUnavailable
from stores.sqlite_tracker_store import SQLiteTrackerStore


@pytest.fixture
def store_whose_file_is_gone(tmp_path: Path) -> SQLiteTrackerStore:
    db = tmp_path / "tracker.db"
    store = SQLiteTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    db.unlink()
    return store


@pytest.fixture
def installed() -> Iterator[None]:
    fail_safe.uninstall()
    assert fail_safe.install()
    try:
        yield
    finally:
        fail_safe.uninstall()


def test_rasas_agent_hides_a_store_failure_behind_a_new_conversation(
    store_whose_file_is_gone: SQLiteTrackerStore,
) -> None:
    fail_safe.uninstall()
    wrapped = Agent._create_tracker_store(store_whose_file_is_gone, Domain.empty())
    assert isinstance(wrapped, FailSafeTrackerStore)
    assert asyncio.run(wrapped.retrieve("family-1")) is None  # the bug: "no such conversation", not an error


def test_installed_the_agent_uses_a_durable_store_as_it_is(
    installed: None, store_whose_file_is_gone: SQLiteTrackerStore
) -> None:
    domain = Domain.from_yaml('version: "3.1"\nintents: [greet]')
    used = Agent._create_tracker_store(store_whose_file_is_gone, domain)
    assert used is store_whose_file_is_gone and used.domain is domain
    with pytest.raises(TrackerStoreUnavailable, match="is gone"):
        asyncio.run(used.retrieve("family-1"))


def test_installed_other_stores_keep_rasas_wrapper(installed: None) -> None:
    wrapped = Agent._create_tracker_store(InMemoryTrackerStore(Domain.empty()), Domain.empty())
    assert isinstance(wrapped, FailSafeTrackerStore)
    assert isinstance(Agent._create_tracker_store(None, Domain.empty()), FailSafeTrackerStore)


def test_install_is_idempotent_and_uninstall_restores_rasas_function(installed: None) -> None:
    patched = Agent._create_tracker_store
    assert fail_safe.install() and Agent._create_tracker_store is patched
    fail_safe.uninstall()
    assert Agent._create_tracker_store is not patched
    assert Agent._create_tracker_store.__module__ == "rasa.core.agent"


def test_not_installed_on_another_rasa_version(monkeypatch: pytest.MonkeyPatch) -> None:
    fail_safe.uninstall()
    monkeypatch.setattr(versions, "version", lambda *_: "3.7.0")
    assert not fail_safe.install()
    assert Agent._create_tracker_store.__module__ == "rasa.core.agent"
