from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from serving.local_servers import Servers, running_servers


@pytest.fixture(scope="package")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with running_servers(Path(tmp_path_factory.mktemp("servers"))) as running:
        yield running
