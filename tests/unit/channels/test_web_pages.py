"""Which files the web pages channel serves, and with which headers (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from channels.web_pages import MOUNTS, WEB_ROOT, headers_for, resolve_file


@pytest.mark.parametrize(
    ("mount", "relative", "expected"),
    [
        ("widget", "widget.js", "widget/widget.js"),
        ("widget", "widget.css", "widget/widget.css"),
        ("vendor", "socket.io.min.js", "vendor/socket.io.min.js"),
        ("chat", "", "chat/index.html"),
        ("kiosk", "", "kiosk/index.html"),
        ("kiosk", "kiosk.js", "kiosk/kiosk.js"),
    ],
)
def test_serves_the_web_files(mount: str, relative: str, expected: str) -> None:
    assert resolve_file(WEB_ROOT, MOUNTS[mount], relative) == (WEB_ROOT / expected).resolve()


@pytest.mark.parametrize(
    "relative",
    [
        "../credentials.yml",
        "../../credentials.yml",
        "../kiosk/index.html",
        "..\\..\\credentials.yml",
        "/etc/passwd",
        "./widget.js",
        "a//b.js",
        ".secret.js",
        "widget.js\x00.png",
        "missing.js",
        "",  # no index for the widget folder
    ],
)
def test_refuses_anything_outside_its_folder(relative: str) -> None:
    assert resolve_file(WEB_ROOT, MOUNTS["widget"], relative) is None


def test_refuses_symlinks_out_of_the_folder_and_unknown_types(tmp_path: Path) -> None:
    (tmp_path / "widget").mkdir()
    (tmp_path / "secret.js").write_text("secret")
    (tmp_path / "widget" / "link.js").symlink_to(tmp_path / "secret.js")
    (tmp_path / "widget" / "notes.yml").write_text("x: 1")
    assert resolve_file(tmp_path, MOUNTS["widget"], "link.js") is None
    assert resolve_file(tmp_path, MOUNTS["widget"], "notes.yml") is None


def test_headers() -> None:
    page = headers_for(WEB_ROOT / "kiosk/index.html", MOUNTS["kiosk"], '"e"')
    assert page["Content-Type"] == "text/html; charset=utf-8"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "no-referrer"
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "connect-src 'self';" in page["Content-Security-Policy"]
    assert page["Cache-Control"] == "no-store"
    script = headers_for(WEB_ROOT / "widget/widget.js", MOUNTS["widget"], '"e"')
    assert script["Content-Type"] == "text/javascript; charset=utf-8"
    assert script["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "max-age" in script["Cache-Control"]
