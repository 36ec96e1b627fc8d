"""nginx in front: balancing, sticky socket.io, the pages, and what it refuses (API, big bodies, floods)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
import socketio

from actions.knowledge_base import KnowledgeBase
from serving.cluster.cluster import Cluster
from serving.cluster.config import ClusterConfig
from tests.cluster.conftest import rasa_url, send

pytestmark = pytest.mark.cluster

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
    "Cache-Control",
)


def upstreams_since(cluster: Cluster, offset: int, path: str) -> list[str]:
    lines = (cluster.log_dir / "nginx-access.log").read_text()[offset:].splitlines()
    return [line.rsplit("upstream=", 1)[1] for line in lines if f" {path}" in line]


def access_log_size(cluster: Cluster) -> int:
    return len((cluster.log_dir / "nginx-access.log").read_text())


def test_rest_messages_are_spread_over_the_rasa_servers(cluster: Cluster) -> None:
    offset = access_log_size(cluster)
    for n in range(6):
        assert send(cluster.config.public_url, f"spread-{n}-{uuid.uuid4().hex[:6]}", "hello")
    time.sleep(0.2)
    used = set(upstreams_since(cluster, offset, "/webhooks/rest/webhook"))
    assert used == {f"127.0.0.1:{cluster.config.rasa_port(i)}" for i in (1, 2)}


def test_socketio_stays_on_one_server_per_route(cluster: Cluster) -> None:
    url = cluster.config.public_url + "/socket.io/"
    offset = access_log_size(cluster)
    for n in range(16):
        for _ in range(2):
            handshake = requests.get(url, params={"EIO": "4", "transport": "polling", "route": f"r{n}"}, timeout=10)
            assert handshake.status_code == 200
    time.sleep(0.2)
    used = upstreams_since(cluster, offset, "/socket.io/")
    assert len(used) == 32
    assert all(used[i] == used[i + 1] for i in range(0, 32, 2))  # the same route, the same server
    assert len(set(used)) == 2  # different routes are spread


async def socketio_conversation(base_url: str, questions: list[str]) -> list[list[dict[str, Any]]]:
    """One socket.io connection through nginx (long-polling, with a route like the widget's)."""
    client = socketio.AsyncClient(reconnection=False)
    events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    @client.on("bot_uttered")
    async def on_bot(data: dict[str, Any]) -> None:
        await events.put(data)

    confirmed: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    client.on("session_confirm", confirmed.put)
    await client.connect(f"{base_url}?route={uuid.uuid4().hex}", transports=["polling"])
    try:
        # The widget's protocol (channels/socketio.py): a server-issued session, questions with message ids.
        await client.emit("session_request", {})
        await asyncio.wait_for(confirmed.get(), 30)
        replies = []
        for question in questions:
            await client.emit("user_uttered", {"message": question, "message_id": uuid.uuid4().hex})
            reply: list[dict[str, Any]] = []
            while not reply or reply[-1].get("answer_type") != "answer":
                reply.append(await asyncio.wait_for(events.get(), 30))
            replies.append(reply)
        return replies
    finally:
        await client.disconnect()


def test_widget_conversation_over_socketio_through_nginx(cluster: Cluster, kb: KnowledgeBase) -> None:
    async def four_families() -> list[list[list[dict[str, Any]]]]:
        questions = ["what are the symptoms of ALL?", "what is a lumbar puncture?"]
        families = (socketio_conversation(cluster.config.public_url, questions) for _ in range(4))
        return list(await asyncio.gather(*families))

    for replies in asyncio.run(four_families()):
        headings = [reply[-1]["citations"][0]["section"] for reply in replies]
        assert headings == [kb.section("symptoms").heading, kb.section("lumbar-puncture").heading]


@pytest.mark.parametrize("path", ["/chat/", "/kiosk/", "/widget/widget.js", "/widget/chat-core.js"])
def test_pages_served_by_nginx_have_the_rasa_servers_headers(cluster: Cluster, path: str) -> None:
    from_nginx = requests.get(cluster.config.public_url + path, timeout=10)
    from_rasa = requests.get(rasa_url(cluster, 1) + path, timeout=10)
    assert from_nginx.status_code == from_rasa.status_code == 200
    assert from_nginx.content == from_rasa.content
    for name in SECURITY_HEADERS:
        assert from_nginx.headers.get(name) == from_rasa.headers.get(name), name


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/status"),
        ("GET", "/conversations/someone/tracker"),
        ("PUT", "/model"),
        ("GET", "/chat/../../credentials.yml"),
        ("GET", "/widget/.hidden"),
    ],
)
def test_nginx_exposes_only_the_channels_and_pages(cluster: Cluster, method: str, path: str) -> None:
    response = requests.request(method, cluster.config.public_url + path, timeout=10)
    assert response.status_code in (400, 404)


@pytest.mark.parametrize(
    "path", ["/webhooks/telegram/webhook", "/webhooks/twilio/webhook", "/webhooks/whatsapp/webhook"]
)
def test_messaging_webhooks_reach_the_rasa_servers(cluster: Cluster, path: str) -> None:
    # The test cluster runs without messaging credentials, so the Rasa server itself answers 404; what
    # matters is that the answer comes from Rasa (Sanic's text), not from nginx's catch-all.
    response = requests.post(cluster.config.public_url + path, data=b"{}", timeout=10)
    assert response.status_code == 404
    assert "Requested URL" in response.text, response.text[:200]
    assert "nginx" not in response.text


def test_a_body_over_64_kb_is_refused_at_the_edge(cluster: Cluster) -> None:
    body = {"sender": "big", "message": "a" * 70_000}
    response = requests.post(cluster.config.public_url + "/webhooks/rest/webhook", json=body, timeout=10)
    assert response.status_code == 413


def test_a_flood_from_one_client_is_rate_limited(cluster: Cluster) -> None:
    cluster.config.rate_per_second, cluster.config.burst = 5, 5
    cluster.reload_nginx()
    try:
        statuses = []
        for _ in range(30):
            url = cluster.config.public_url + "/webhooks/rest/webhook"
            response = requests.post(url, json={"sender": "flood", "message": "hi"}, timeout=30)
            statuses.append(response.status_code)
        assert statuses[0] == 200
        assert statuses.count(429) >= 10
        time.sleep(1.2)  # the limit is per second: a moment later the same client is served again
        assert send(cluster.config.public_url, "flood", "hello")
    finally:
        cluster.config.rate_per_second, cluster.config.burst = 1000, 1000
        cluster.reload_nginx()
    # Each refusal is logged at warning level, not as an error.
    limited = [line for line in (cluster.log_dir / "nginx-error.log").read_text().splitlines() if "limiting" in line]
    assert limited
    assert all("[warn]" in line for line in limited)


@pytest.fixture
def hospital_limits(cluster: Cluster) -> Iterator[Cluster]:
    """nginx with the production profile's default limits (the fixture's are raised for the load tests)."""
    defaults = ClusterConfig()
    config = cluster.config
    saved = (config.rate_per_second, config.burst)
    config.rate_per_second, config.burst = defaults.rate_per_second, defaults.burst
    cluster.reload_nginx()
    try:
        yield cluster
    finally:
        config.rate_per_second, config.burst = saved
        cluster.reload_nginx()


def test_ten_socketio_clients_from_one_address_connect_and_talk_at_once(hospital_limits: Cluster) -> None:
    async def ten_kiosks() -> list[list[list[dict[str, Any]]]]:
        kiosks = (socketio_conversation(hospital_limits.config.public_url, ["what is induction?"]) for _ in range(10))
        return list(await asyncio.gather(*kiosks, return_exceptions=False))

    replies = asyncio.run(ten_kiosks())
    assert len(replies) == 10
    assert all(reply[0][-1]["answer_type"] == "answer" for reply in replies)


def test_twenty_conversations_sending_three_messages_at_once_are_all_answered(hospital_limits: Cluster) -> None:
    url = hospital_limits.config.public_url + "/webhooks/rest/webhook"
    senders = [f"ward-{n}-{uuid.uuid4().hex[:6]}" for n in range(20)]

    def post(sender: str) -> int:
        return requests.post(url, json={"sender": sender, "message": "what is induction?"}, timeout=120).status_code

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=60) as pool:
        statuses = list(pool.map(post, [sender for sender in senders for _ in range(3)]))
    print(f"60 messages (20 conversations × 3, at once) answered in {time.monotonic() - started:.1f} s")
    assert statuses == [200] * 60
