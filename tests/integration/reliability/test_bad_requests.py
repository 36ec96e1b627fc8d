"""Requests that used to get a 500 or leak something, against the real servers (issue 17, items 9, 10, 13)."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
import requests

from serving.local_servers import Servers

pytestmark = pytest.mark.integration


def webhook(servers: Servers) -> str:
    return servers.rasa_url + "/webhooks/rest/webhook"


def post_raw(servers: Servers, data: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(webhook(servers), data=data, headers={"Content-Type": content_type}, timeout=60)


@pytest.mark.parametrize(
    "data",
    [
        b'{"sender": "deep", "message": "hi", "metadata": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5000 + b"}",
        b'{"sender": "deep", "message": "hi", "metadata": {"a": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
        b'{"sender": "nan", "message": "hi", "metadata": {"x": NaN}}',
        b'{"sender": "inf", "message": "hi", "metadata": {"x": -Infinity}}',
    ],
    ids=["objects-5000-deep", "lists-5000-deep", "nan", "infinity"],
)
def test_deep_or_non_standard_json_gets_a_400_with_a_json_error(servers: Servers, data: bytes) -> None:
    response = post_raw(servers, data)
    assert response.status_code == 400, response.text[:200]
    assert response.json()["error"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""])
def test_rest_refuses_bodies_that_are_not_declared_json(servers: Servers, content_type: str) -> None:
    body = b'{"sender": "cross-site", "message": "what is ALL?"}'
    response = post_raw(servers, body, content_type)
    assert response.status_code == 415
    assert response.json()["error"]
    assert post_raw(servers, body, "application/json; charset=utf-8").status_code == 200


def test_metadata_and_personal_data_are_not_stored(servers: Servers) -> None:
    sender = f"pii-{uuid.uuid4().hex[:10]}"
    message = (
        'I\'m jöhn.müller@bücher.de or "jane q"@example.org, call555\u2013123\u20134567 ext. 89 or 212/555-0199, '
        "card 4111 1111 1111 1111, my son has a fever of 38.5 and ANC 500, he is 4 years old, 2.5 mg"
    )
    metadata = {"email": "leak-me@example.com", "child": {"name": "Zebediah Quux"}, "ip": "203.0.113.77"}
    response = requests.post(
        webhook(servers), json={"sender": sender, "message": message, "metadata": metadata}, timeout=60
    )
    assert response.status_code == 200
    with sqlite3.connect(servers.env["TRACKER_DB"]) as db:
        dump = "\n".join(str(row) for row in db.execute("select * from events where sender_id = ?", (sender,)))
    assert dump  # the conversation was stored ...
    # whole numbers, as typed and as bare digits ("4567" alone also occurs inside stored confidences)
    typed = ("555\u2013123\u20134567", "5551234567", "212/555-0199", "2125550199", "4111 1111", "4111111111111111")
    for personal in ("müller", "bücher", "jane q", *typed, "leak-me", "Zebediah", "203.0.113"):
        assert personal not in dump, personal  # ... without any of it
    for medical in ("38.5", "ANC 500", "4 years old", "2.5 mg"):
        assert medical in dump, medical


@pytest.mark.parametrize(
    "path", ["/widget/" + "a" * 300 + ".js", "/chat/" + "b" * 256, "/kiosk/" + "c/" * 2100 + "x.css"]
)
def test_over_long_static_file_names_are_a_404(servers: Servers, path: str) -> None:
    assert requests.get(servers.rasa_url + path, timeout=10).status_code == 404


def test_the_root_page_does_not_name_the_rasa_version(servers: Servers) -> None:
    import rasa

    response = requests.get(servers.rasa_url + "/", timeout=10)
    assert response.status_code == 200  # still a health check for load balancers
    assert "rasa" not in response.text.lower()
    assert rasa.__version__ not in response.text


@pytest.mark.parametrize("path", ["/chat/", "/kiosk/", "/widget/widget.js", "/vendor/socket.io.min.js"])
def test_head_announces_the_length_of_what_get_sends(servers: Servers, path: str) -> None:
    got = requests.get(servers.rasa_url + path, timeout=10)
    head = requests.head(servers.rasa_url + path, timeout=10)
    assert head.status_code == got.status_code == 200
    assert int(head.headers["Content-Length"]) == len(got.content) > 0
    assert head.content == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"]


@pytest.mark.parametrize(
    "query", ["EIO=4&transport=polling", "EIO=4&transport=polling&sid=", "EIO=4&transport=websocket"]
)
def test_an_engineio_post_without_a_session_id_is_a_400(servers: Servers, query: str) -> None:
    response = requests.post(f"{servers.rasa_url}/socket.io/?{query}", data=b"4hello", timeout=10)
    assert response.status_code == 400  # python-engineio 4.4.1 raised TypeError here: a 500
    assert "Invalid session" in response.text
