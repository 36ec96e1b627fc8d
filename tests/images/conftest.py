"""Both servers started from the images built by ``make images`` (built here first if they are missing or
out of date), on free loopback ports with the host's network, as a container runtime would run them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from container_images.build import IMAGES, build_images, host_ca_bundle
from container_images.run import RunningContainer, running_container
from serving.local_servers import free_port, wait_until_up

ACTIONS_REPOSITORY, RASA_REPOSITORY = (spec.repository for spec in IMAGES)


@dataclass(frozen=True)
class ImageServers:
    """The running containers and where they listen."""

    actions: RunningContainer
    rasa: RunningContainer
    actions_port: int
    rasa_port: int
    env: dict[str, str]

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"


@pytest.fixture(scope="session")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Repository -> the ``inputs-`` tag of the image built from this checkout."""
    built = build_images(tmp_path_factory.mktemp("image-build"), extra_ca=host_ca_bundle())
    return {spec.repository: result.image for spec, result in zip(IMAGES, built, strict=True)}


@pytest.fixture(scope="session")
def image_servers(images: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[ImageServers]:
    work = tmp_path_factory.mktemp("image-servers")
    actions_port, rasa_port = free_port(), free_port()
    env = {
        "ACTIONS_PORT": str(actions_port),
        "SANIC_HOST": "127.0.0.1",
        "RASA_PORT": str(rasa_port),
        "RASA_INTERFACE": "127.0.0.1",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
    }
    with contextlib.ExitStack() as stack:
        actions = stack.enter_context(running_container(images[ACTIONS_REPOSITORY], env, work / "actions.log"))
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions.process, work / "actions.log", 180)
        rasa = stack.enter_context(running_container(images[RASA_REPOSITORY], env, work / "rasa.log"))
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa.process, work / "rasa.log", 420)
        yield ImageServers(actions, rasa, actions_port, rasa_port, env)
