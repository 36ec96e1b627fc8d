"""The short form of ``make chaos`` (chaos/): kill -9 and SIGSTOP of the action server with every channel, then
the bad-input fuzz of REST, socket.io, the pages and Telegram, against freshly started real servers."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaos.runner import run

pytestmark = pytest.mark.integration


def test_the_short_chaos_run_passes_every_drill(tmp_path: Path) -> None:
    lines: list[str] = []
    results = run(short=True, workdir=tmp_path, report=lines.append)
    print("\n" + "\n".join(lines))
    assert [result.name for result in results] == ["action server kill -9", "action server SIGSTOP", "bad-input fuzz"]
    assert all(result.passed for result in results), "\n".join(lines)
