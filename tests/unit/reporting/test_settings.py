"""The report's settings: command line over environment, defaults, and a clear message for every wrong value
(through the real command, ``python -m reporting``, where it matters what the user sees)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from reporting.settings import ReportSettingsError, settings_from
from serving.paths import ROOT

TODAY = dt.date(2026, 11, 30)


def test_defaults_are_the_last_30_days_of_the_local_store_and_n_3() -> None:
    settings = settings_from(env={}, today=TODAY)
    assert (settings.store, settings.first_day, settings.last_day) == ("var/tracker.db", dt.date(2026, 11, 1), TODAY)
    assert settings.min_conversations == 3
    assert settings.out_dir == Path("var/report")


def test_the_environment_is_read_and_the_command_line_wins() -> None:
    env = {
        "TRACKER_URL": "postgresql://u:p@db/rasa", "TRACKER_DB": "other.db", "FROM": "2026-10-01",
        "TO": "2026-10-31", "REPORT_MIN_CONVERSATIONS": "5", "REPORT_DIR": "out",
    }  # fmt: skip
    from_env = settings_from(env=env, today=TODAY)
    assert from_env.store == "postgresql://u:p@db/rasa"  # TRACKER_URL before TRACKER_DB
    assert (from_env.first_day, from_env.last_day, from_env.min_conversations) == (
        dt.date(2026, 10, 1), dt.date(2026, 10, 31), 5,
    )  # fmt: skip
    given = settings_from(url="sqlite:///x.db", first="2026-09-01", last="2026-09-02", min_conversations="2", env=env)
    assert (given.store, given.first_day, given.last_day, given.min_conversations) == (
        "sqlite:///x.db", dt.date(2026, 9, 1), dt.date(2026, 9, 2), 2,
    )  # fmt: skip
    # The period is whole UTC days, the last one included.
    assert given.start == dt.datetime(2026, 9, 1, tzinfo=dt.timezone.utc).timestamp()
    assert given.end - given.start == 2 * 86400


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FROM": "1 Nov"}, "FROM='1 Nov' is not a date: write it as YYYY-MM-DD"),
        ({"TO": "2026-11-31"}, "TO='2026-11-31' is not a date"),
        ({"FROM": "2026-11-05", "TO": "2026-11-01"}, "FROM=2026-11-05 is after TO=2026-11-01"),
        ({"REPORT_MIN_CONVERSATIONS": "0"}, "REPORT_MIN_CONVERSATIONS='0' must be a whole number of 1 or more"),
        ({"REPORT_MIN_CONVERSATIONS": "three"}, "REPORT_MIN_CONVERSATIONS='three' must be a whole number"),
    ],
)
def test_a_wrong_setting_is_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(ReportSettingsError, match="^" + message.replace("(", r"\(")):
        settings_from(env=env, today=TODAY)


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reporting", *args], capture_output=True, text=True, check=False, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **(env or {})}, timeout=120,
    )  # fmt: skip


def test_the_command_answers_a_wrong_date_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    result = run("--out", str(tmp_path / "out"), env={"FROM": "2026-13-01"})
    assert result.returncode == 2
    assert result.stderr == "report: FROM='2026-13-01' is not a date: write it as YYYY-MM-DD, e.g. 2026-11-01\n"
    assert not (tmp_path / "out").exists()


def test_the_command_names_a_missing_store(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "nowhere.db"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr == f"report: no tracker store at {tmp_path / 'nowhere.db'}\n"
