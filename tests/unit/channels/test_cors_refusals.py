"""Which cross-site requests count as refused, and how often a refused origin is logged."""

from __future__ import annotations

import itertools

from rasa.server import configure_cors
from sanic import Sanic

from channels.cors_refusals import RefusalLog, is_refused

HOSPITAL = "https://www.hospital.example"


def resources_of(app_name: str, origins: list[str] | str | None) -> list[tuple[object, dict[str, object]]]:
    """The allowlist exactly as `rasa run --cors ...` configures it (Rasa's own configure_cors)."""
    app = Sanic(app_name)
    configure_cors(app, origins)
    return list(app.ctx.sanic_cors.resources)


def test_only_origins_outside_the_allowlist_are_refused() -> None:
    allowed = resources_of("cors_allowlist", [HOSPITAL])
    assert not is_refused(HOSPITAL, "bot.example", "/socket.io/", allowed)
    assert is_refused("https://elsewhere.example", "bot.example", "/socket.io/", allowed)
    assert is_refused("http://www.hospital.example", "bot.example", "/socket.io/", allowed)  # scheme counts


def test_without_cors_origins_every_other_site_is_refused_but_the_server_itself_is_not() -> None:
    default = resources_of("cors_default", None)
    assert is_refused(HOSPITAL, "bot.example:5005", "/socket.io/", default)
    assert not is_refused("http://bot.example:5005", "bot.example:5005", "/socket.io/", default)
    assert not is_refused("http://BOT.example:5005", "bot.example:5005", "/kiosk/", default)


def test_a_refused_origin_is_logged_once_per_quiet_period() -> None:
    now = [0.0]
    log = RefusalLog(quiet_seconds=60, clock=lambda: now[0])
    assert log.should_log("https://a.example")
    assert not log.should_log("https://a.example")
    assert log.should_log("https://b.example")  # each origin on its own
    now[0] = 59.9
    assert not log.should_log("https://a.example")
    now[0] = 60.0
    assert log.should_log("https://a.example")
    assert not log.should_log("https://a.example")


def test_a_flood_of_origins_cannot_grow_the_memory_and_expired_ones_make_room() -> None:
    now = [0.0]
    log = RefusalLog(quiet_seconds=60, max_origins=3, clock=lambda: now[0])
    logged = [log.should_log(f"https://{i}.example") for i in range(5)]
    assert logged == [True, True, True, False, False]
    assert len(log.last_logged) == 3
    now[0] = 61.0
    assert log.should_log("https://new.example")
    assert set(log.last_logged) == {"https://new.example"}
    assert list(itertools.islice((log.should_log(f"https://x{i}.example") for i in range(5)), 5)) == [
        True, True, False, False, False,
    ]  # fmt: skip
