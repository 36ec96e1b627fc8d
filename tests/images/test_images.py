"""Smoke test of the container images (issue 23): both servers started from the images answer over REST with
citations, serve the widget page, run as UID/GID 1001, and the images hold only what they should."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from container_images import buildah
from container_images.build import ROOT
from tests.images.conftest import ACTIONS_REPOSITORY, RASA_REPOSITORY, ImageServers

pytestmark = pytest.mark.images

PDQ_URL = "https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq"
APP_USER = "1001"
HELM = ROOT / "deploy" / "helm"


def answers(servers: ImageServers, sender: str, message: str) -> list[dict[str, Any]]:
    response = requests.post(
        servers.rasa_url + "/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120
    )
    response.raise_for_status()
    return list(response.json())


@pytest.mark.parametrize(
    ("question", "section_word"),
    [
        ("what are the symptoms of ALL?", "symptoms"),
        ("how is childhood ALL diagnosed?", "diagnos"),
        ("what are the risk groups for childhood ALL?", "risk"),
    ],
)
def test_question_over_rest_gets_a_cited_answer(image_servers: ImageServers, question: str, section_word: str) -> None:
    replies = answers(image_servers, f"image-smoke-{section_word}", question)
    payloads = [reply["custom"] for reply in replies if "custom" in reply]
    answered = [payload for payload in payloads if payload.get("answer_type") == "answer"]
    assert answered, f"no answer to {question!r}: {replies}"
    citations = answered[-1]["citations"]
    assert citations
    assert all(citation["url"].startswith(PDQ_URL) for citation in citations), citations
    assert any(section_word in citation["section"].lower() for citation in citations), citations
    assert any(reply.get("text") for reply in replies)


def test_spanish_question_gets_the_spanish_reply_from_the_image(image_servers: ImageServers) -> None:
    # The language detector (lingua, its models compiled into one library) loads and answers inside the image.
    replies = answers(image_servers, "image-smoke-es", "¿Cuáles son los síntomas de la leucemia en los niños?")
    spanish_first_line = "Si es una emergencia, llame ahora mismo al equipo médico de su hijo o al 911."
    assert replies[0]["text"].startswith(spanish_first_line)
    assert replies[-1]["custom"]["language"] == "spanish"


def test_emergency_gets_the_urgent_reply_from_the_image(image_servers: ImageServers) -> None:
    # The safety check lemmatises with the baked pipeline (knowledge/nlp); the image has no spacy-lookups-data.
    replies = answers(image_servers, "image-smoke-urgent", "my son is on chemo and his temperature is 39.2")
    payloads = [reply["custom"] for reply in replies if "custom" in reply]
    assert (payloads[-1]["answer_type"], payloads[-1]["urgent_category"]) == ("urgent", "fever"), replies


def test_widget_page_is_served_from_the_image(image_servers: ImageServers) -> None:
    page = requests.get(image_servers.rasa_url + "/chat/", timeout=30)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "/widget/widget.js" in page.text
    script = requests.get(image_servers.rasa_url + "/widget/widget.js", timeout=30)
    assert script.status_code == 200
    assert (ROOT / "web/widget/widget.js").read_text() == script.text


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    return inodes


def listening_processes(port: int) -> list[int]:
    """The processes that hold a listening socket on ``port``."""
    sockets = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in sockets for fd in (entry / "fd").iterdir()):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def ids(pid: int) -> tuple[list[str], list[str]]:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return status["Uid"].split(), status["Gid"].split()


@pytest.mark.parametrize("which", ["actions", "rasa"])
def test_servers_run_as_uid_and_gid_1001(image_servers: ImageServers, which: str) -> None:
    port = image_servers.actions_port if which == "actions" else image_servers.rasa_port
    pids = listening_processes(port)
    assert pids, f"nothing listens on {port}"
    for pid in pids:
        uids, gids = ids(pid)
        assert set(uids) == {APP_USER}, (pid, uids, gids)
        assert set(gids) == {APP_USER}, (pid, uids, gids)


@pytest.mark.usefixtures("images")
@pytest.mark.parametrize("which", ["actions", "rasa"])
def test_healthcheck_of_the_image_passes(image_servers: ImageServers, which: str) -> None:
    container = image_servers.actions if which == "actions" else image_servers.rasa
    config = buildah.image_config(container.image)
    assert config is not None
    test = config["Docker"]["config"]["Healthcheck"]["Test"]
    assert test[0] == "CMD"
    env = [arg for key, value in image_servers.env.items() for arg in ("-e", f"{key}={value}")]
    done = subprocess.run(
        ["buildah", "run", "--isolation", "chroot", "--network", "host", *env, container.name, "--", *test[1:]],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("repository", [ACTIONS_REPOSITORY, RASA_REPOSITORY])
def test_image_metadata(images: dict[str, str], repository: str) -> None:
    config = buildah.image_config(images[repository])
    assert config is not None
    docker = config["Docker"]["config"]
    assert docker["User"] == f"{APP_USER}:{APP_USER}"
    assert docker["WorkingDir"] == "/app"
    labels = docker["Labels"]
    for key in ("source", "revision", "version"):
        assert labels.get(f"org.opencontainers.image.{key}") not in (None, "", "unknown"), key
    history = " ".join(str(entry.get("created_by", "")) for entry in config["Docker"].get("history", []))
    # No host path, and no step of the image saw the build secret (only the builder stage mounts it).
    assert str(ROOT) not in history
    assert "type=secret" not in history
    assert "extra_ca" not in history
    assert "ca-bundle" not in history


# Issue 23's targets, in megabytes (10**6 bytes, as buildah reports sizes).
SIZE_LIMITS_MB = {ACTIONS_REPOSITORY: 700, RASA_REPOSITORY: 2500}


@pytest.mark.parametrize("repository", [ACTIONS_REPOSITORY, RASA_REPOSITORY])
def test_image_size_within_target(images: dict[str, str], repository: str) -> None:
    size = buildah.image_size(images[repository])
    assert buildah.megabytes(size) <= SIZE_LIMITS_MB[repository], size


# What each image must hold under /app, and what must not be in it.
HOLDS = {
    ACTIONS_REPOSITORY: ["actions/__init__.py", "knowledge/sections.yml", "knowledge/nlp"],
    RASA_REPOSITORY: [
        "models/all-pdq.tar.gz", "credentials.yml", "endpoints.yml", "channels/web_pages.py", "web/chat/index.html",
        "nlu_components/urgent_help.py", "stores/redis_lock_store.py", "rasa_patches/__main__.py",
        "actions/safety", "knowledge/safety", "data/nlu",
    ],
}  # fmt: skip


@pytest.mark.parametrize("repository", [ACTIONS_REPOSITORY, RASA_REPOSITORY])
def test_image_holds_the_app_and_no_tests_var_venv_or_compiler(images: dict[str, str], repository: str) -> None:
    with buildah.mounted(images[repository]) as root:
        app = root / "app"
        for path in HOLDS[repository]:
            assert (app / path).exists(), path
        for absent in ("tests", "var", ".venv", ".git", "eval", "reports", "scripts", "test-artifacts"):
            assert not (app / absent).exists(), absent
        assert not list(app.rglob("test_*.py")), "test modules in /app"
        assert not list(app.rglob("__pycache__")), "host byte code in /app"
        assert not (root / "usr/bin/gcc").exists(), "a compiler in the final image"
        assert not any((root / "run/secrets").glob("*")), "a build secret left in the image"
        assert not (root / "tmp/ca-bundle.pem").exists()
        assert str(ROOT) not in (root / "opt/venv/pyvenv.cfg").read_text()
        sources = " ".join(path.read_text() for path in (root / "etc/apt").rglob("*.sources"))
        assert "bookworm-security" in sources, "the base image must take Debian's security updates"
        owned = [path for path in app.rglob("*") if path.stat().st_uid != 0 or path.stat().st_mode & 0o022]
        assert not owned, f"the app's files must belong to root and not be writable by others: {owned[:5]}"


def _helm(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((HELM / name).read_text()))


@pytest.mark.parametrize(
    ("values", "repository"),
    [("rasa-action-server-values.yaml", ACTIONS_REPOSITORY), ("rasa-values.yaml", RASA_REPOSITORY)],
)
def test_helm_values_match_the_image(images: dict[str, str], values: str, repository: str) -> None:
    chart = _helm(values)
    config = buildah.image_config(images[repository])
    assert config is not None
    docker = config["Docker"]["config"]
    assert str(chart["podSecurityContext"]["runAsUser"]) == APP_USER
    assert str(chart["podSecurityContext"]["runAsGroup"]) == APP_USER
    port = str(chart["applicationSettings"]["port"])
    assert f"{port}/tcp" in docker["ExposedPorts"]
    args = [str(arg) for arg in chart["args"]]
    with buildah.mounted(images[repository]) as root:
        path = next(value.split("=", 1)[1] for value in docker["Env"] if value.startswith("PATH="))
        program = chart["command"][0]
        assert any((root / folder.lstrip("/") / program).exists() for folder in path.split(":")), program
        for arg in args:
            if arg.endswith((".yml", ".tar.gz")) or arg == "actions":
                assert (root / "app" / arg).exists(), arg


@pytest.mark.parametrize(
    ("values", "which"), [("rasa-action-server-values.yaml", "actions"), ("rasa-values.yaml", "rasa")]
)
def test_helm_probes_are_answered_by_the_image(image_servers: ImageServers, values: str, which: str) -> None:
    chart = _helm(values)
    url = image_servers.actions_url if which == "actions" else image_servers.rasa_url
    for probe in ("readinessProbe", "livenessProbe"):
        path = chart[probe]["httpGet"]["path"]
        assert requests.get(url + path, timeout=10).status_code == 200, (probe, path)
