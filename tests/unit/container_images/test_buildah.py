"""Reading buildah's human-readable image sizes (decimal units, as containers/image's HumanSize writes them)."""

from __future__ import annotations

import pytest

from container_images.buildah import BuildahError, megabytes


@pytest.mark.parametrize(("size", "expected"), [("2.44 GB", 2440.0), ("428 MB", 428.0), ("950 kB", 0.95)])
def test_megabytes(size: str, expected: float) -> None:
    assert megabytes(size) == pytest.approx(expected)


def test_unknown_unit_is_an_error() -> None:
    with pytest.raises(BuildahError):
        megabytes("3 GiB")
