"""The widget, demo page and kiosk as served by the real Rasa server: types, caching, security headers, CORS."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
import requests

from serving.local_servers import Servers

pytestmark = pytest.mark.integration


def raw_get(servers: Servers, path: str) -> int:
    """GET without any client-side path normalisation (requests would resolve the dots itself)."""
    url = urlsplit(servers.rasa_url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/widget/widget.js", "text/javascript; charset=utf-8"),
        ("/widget/widget.css", "text/css; charset=utf-8"),
        ("/widget/chat-core.js", "text/javascript; charset=utf-8"),
        ("/vendor/socket.io.min.js", "text/javascript; charset=utf-8"),
        ("/vendor/LICENSE-socket.io-client.txt", "text/plain; charset=utf-8"),
        ("/chat/", "text/html; charset=utf-8"),
        ("/kiosk/", "text/html; charset=utf-8"),
        ("/kiosk/kiosk.js", "text/javascript; charset=utf-8"),
    ],
)
def test_files_are_served_with_their_type_and_nosniff(servers: Servers, path: str, content_type: str) -> None:
    response = requests.get(servers.rasa_url + path, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_pages_have_a_strict_content_security_policy(servers: Servers) -> None:
    for path in ("/chat/", "/kiosk/"):
        csp = requests.get(servers.rasa_url + path, timeout=10).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["connect-src"] == "'self'"
        assert directives["default-src"] == "'none'"
    kiosk = requests.get(servers.rasa_url + "/kiosk/", timeout=10)
    assert kiosk.headers["Referrer-Policy"] == "no-referrer"
    assert kiosk.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in kiosk.headers["Content-Security-Policy"]


def test_the_demo_page_embeds_the_widget_with_one_script_tag(servers: Servers) -> None:
    page = requests.get(servers.rasa_url + "/chat/", timeout=10).text
    assert page.count("<script") == 1
    assert '<script src="/widget/widget.js" defer></script>' in page


def test_folder_urls_redirect_and_etags_revalidate(servers: Servers) -> None:
    redirect = requests.get(servers.rasa_url + "/kiosk", allow_redirects=False, timeout=10)
    assert redirect.status_code == 301
    assert redirect.headers["Location"].endswith("kiosk/")
    first = requests.get(servers.rasa_url + "/widget/widget.js", timeout=10)
    again = requests.get(
        servers.rasa_url + "/widget/widget.js", headers={"If-None-Match": first.headers["ETag"]}, timeout=10
    )
    assert again.status_code == 304
    assert not again.content


@pytest.mark.parametrize(
    "path",
    [
        "/widget/../credentials.yml",
        "/widget/../../credentials.yml",
        "/widget/..%2f..%2fcredentials.yml",
        "/widget/%2e%2e/%2e%2e/credentials.yml",
        "/vendor/..%5c..%5ccredentials.yml",
        "/chat/../../endpoints.yml",
        "/kiosk/%2e%2e%2fchat%2findex.html",
        "/widget/",
        "/widget/.gitignore",
    ],
)
def test_path_traversal_and_folders_are_not_found(servers: Servers, path: str) -> None:
    assert raw_get(servers, path) == 404


def test_other_origins_get_no_cors_by_default(servers: Servers) -> None:
    origin = {"Origin": "https://evil.example"}
    rest = requests.options(
        servers.rasa_url + "/webhooks/rest/webhook",
        headers={**origin, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert "Access-Control-Allow-Origin" not in rest.headers
    polling = requests.get(servers.rasa_url + "/socket.io/?EIO=4&transport=polling", headers=origin, timeout=10)
    assert "Access-Control-Allow-Origin" not in polling.headers
